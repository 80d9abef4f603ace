/**
 * Attack: a link to another port of the agent's own XMPP domain (an admin console, a metrics
 * endpoint) sent as an attachment. The default attachment hosts name the domain and its
 * upload hosts on the https ports upload services use only, so such a link is refused before
 * any lookup or connection, and the agent's own network grant holds no port-less entry.
 */
import assert from "node:assert/strict";
import { AttachmentDownloader } from "../../src/attachments/mod.ts";
import { loadConfig, permissionFlags } from "../../src/config/mod.ts";

const TOML = `
[server]
host = "xmpp.example.org"
jid = "bot@example.org"
password = "pw"
[llm]
provider = "ollama"
model = "llama3"
`;

Deno.test("default attachment hosts grant the upload ports only, not every port of the domain", async () => {
  const dir = await Deno.makeTempDir({ prefix: "attachment_ports_" });
  try {
    await Deno.writeTextFile(`${dir}/agent.toml`, TOML);
    const loaded = await loadConfig(`${dir}/agent.toml`, { cwd: dir, env: () => undefined });
    const net = permissionFlags(loaded).find((flag) => flag.startsWith("--allow-net="))
      ?.slice("--allow-net=".length).split(",") ?? [];
    for (const host of ["example.org", "upload.example.org", "share.example.org"]) {
      assert.ok(net.includes(`${host}:443`), `${host}:443 is granted`);
      assert.ok(!net.includes(host), `${host} is not granted on every port`);
    }
    assert.ok(net.every((entry) => /:\d+$/.test(entry)), net.join(","));

    const lookups: string[] = [];
    const downloader = new AttachmentDownloader({
      allowedHosts: loaded.config.attachments.hosts,
      resolve: (host) => {
        lookups.push(host);
        return Promise.resolve(["93.184.215.14"]);
      },
      connect: () => Promise.reject(new Error("No connection may be opened")),
    });
    for (const url of ["https://example.org:8443/admin", "https://upload.example.org:5280/x"]) {
      const result = await downloader.download(`${dir}/files`, { url });
      assert.equal(result.ok, false);
      assert.match(result.ok ? "" : result.reason, /^refused: host ".*" is not allowed/);
    }
    assert.deepEqual(lookups, [], "refused before any lookup");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
