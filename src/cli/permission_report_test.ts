import assert from "node:assert/strict";
import { loadConfig } from "../config/mod.ts";
import { permissionReport } from "./permission_report.ts";

const TOML = `
[server]
host = "xmpp.example.org"
jid = "bot@example.org"
password = "pw"

[llm]
provider = "ollama"
model = "m"

[memory]
path = "./data"
`;

async function loaded() {
  return await loadConfig("agent.toml", {
    cwd: "/srv/agent",
    home: "/home/bot",
    env: () => undefined,
    mayRead: () => false,
    readTextFile: (path) =>
      path === "/srv/agent/agent.toml"
        ? Promise.resolve(TOML)
        : Promise.reject(new Deno.errors.NotFound(path)),
  });
}

Deno.test("permissionReport() puts the XMPP server and the data directory apart as essential", async () => {
  const config = await loaded();
  const granted = new Set(["net:localhost:11434", "read:/srv/agent/agent.toml"]);
  const holds = (descriptor: Deno.PermissionDescriptor) =>
    granted.has(`${descriptor.name}:${Object.values(descriptor)[1]}`) ||
    descriptor.name === "env" ||
    (descriptor.name === "read" && String(descriptor.path).endsWith(".env"));
  for (const portable of [false, true]) {
    const report = await permissionReport(config, { denoPath: "deno", portable, holds });
    const dir = portable ? "data" : "/srv/agent/data";
    assert.deepEqual(report.essential, [
      "--allow-net=xmpp.example.org:5222",
      `--allow-read=${dir}`,
      `--allow-write=${dir}`,
    ]);
    assert.ok(report.other.includes("--allow-net=example.org"), report.other.join(" "));
    assert.ok(!report.other.some((flag) => flag.includes("data")), report.other.join(" "));
  }
});
