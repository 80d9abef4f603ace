import assert from "node:assert/strict";
import { permissionFlags } from "./permission_flags.ts";
import { loadToml, MINIMAL_TOML } from "./_testing.ts";

const TOML = `
[server]
host = "xmpp.example.com"
jid = "bot@example.com"
password = "\${BOT_PASSWORD}"
tls_verify = false

[llm]
provider = "anthropic"
model = "claude-sonnet-4-5"
api_key = "\${ANTHROPIC_API_KEY:-none}"

[memory]
path = "\${DATA_DIR:-./data/memory}"
`;

Deno.test("permissionFlags() grants exactly the hosts, files and variables the config uses", async () => {
  const loaded = await loadToml(TOML, { env: { BOT_PASSWORD: "pw" } });
  const uploads = ["example.com", "files.example.com", "share.example.com", "upload.example.com"]
    .flatMap((host) => [443, 5281, 5443, 7443].map((port) => `${host}:${port}`));
  const xmpp = ["xmpp.example.com:443", "xmpp.example.com:5222", "xmpp.example.com:5281"]
    .concat(["xmpp.example.com:5443", "xmpp.example.com:7443"]);
  assert.deepEqual(permissionFlags(loaded), [
    `--allow-net=${["api.anthropic.com:443", ...uploads, ...xmpp].join(",")}`,
    "--allow-read=/home/bot/.fluux-agent/.env,/srv/agent/.env,/srv/agent/config/agent.toml," +
    "/srv/agent/data/memory",
    "--allow-write=/srv/agent/data/memory",
    "--allow-env=ANTHROPIC_API_KEY,ANTHROPIC_CUSTOM_HEADERS,BOT_PASSWORD,DATA_DIR,FLUUX_CONFIG,HOME",
  ]);
});

Deno.test("permissionFlags() takes the LLM port from its URL and adds library variables", async () => {
  const loaded = await loadToml(
    MINIMAL_TOML.replace('model = "llama3"', 'model = "llama3"\nhost = "http://[::1]:8080/"') +
      "[attachments]\nenabled = false\n[upload]\nenabled = false\n",
  );
  const flags = permissionFlags(loaded, { libraryEnv: ["NO_COLOR"] });
  assert.equal(flags[0], "--allow-net=[::1]:8080,localhost:5222");
  assert.equal(flags[3], "--allow-env=FLUUX_CONFIG,HOME,NO_COLOR");
  assert.equal(flags.length, 4);
});

Deno.test("permissionFlags() lists a host shared by XMPP and the LLM once", async () => {
  const loaded = await loadToml(
    MINIMAL_TOML.replace('model = "llama3"', 'model = "llama3"\nhost = "http://localhost:5222"') +
      "[attachments]\nenabled = false\n[upload]\nenabled = false\n",
  );
  assert.equal(permissionFlags(loaded)[0], "--allow-net=localhost:5222");
});

Deno.test("permissionFlags() grants the attachment hosts and nothing else for them", async () => {
  const loaded = await loadToml(
    `${MINIMAL_TOML}\n[attachments]\nhosts = ["upload.example.org:5443"]\n` +
      '[upload]\nhost = "upload.example.org:5443"\n',
  );
  assert.equal(
    permissionFlags(loaded)[0],
    "--allow-net=localhost:11434,localhost:5222,upload.example.org:5443",
  );
});

Deno.test("permissionFlags() grants the upload host, by default the attachments' hosts", async () => {
  const off = "[attachments]\nenabled = false\n";
  const chosen = await loadToml(`${MINIMAL_TOML}\n${off}[upload]\nhost = "files.example.org"\n`);
  assert.equal(
    permissionFlags(chosen)[0],
    "--allow-net=files.example.org,localhost:11434,localhost:5222",
  );
  const byDefault = await loadToml(`${MINIMAL_TOML}\n${off}`);
  assert.ok(permissionFlags(byDefault)[0]?.includes("upload.localhost:443"));
  assert.ok(permissionFlags(byDefault)[0]?.includes("share.localhost:5281"));
});

Deno.test("permissionFlags() refuses a path a Deno flag cannot express", async () => {
  const loaded = await loadToml(`${MINIMAL_TOML}\n[memory]\npath = "/data/a,b"\n`);
  assert.throws(() => permissionFlags(loaded), {
    name: "TypeError",
    message: 'Cannot grant --allow-read for "/data/a,b": a Deno flag cannot hold a comma',
  });
});

Deno.test("permissionFlags() grants the host of every configured LLM provider", async () => {
  const loaded = await loadToml(
    MINIMAL_TOML.replace(
      'provider = "ollama"\nmodel = "llama3"',
      'default = "anthropic:claude-sonnet-4-5"\nfallback = ["ollama:llama3.1:8b"]\n' +
        '[llm.tiers]\nheavy = "openai:gpt-4.1"\n' +
        '[llm.providers.anthropic]\napi_key = "${ANTHROPIC_API_KEY}"\n' +
        '[llm.providers.ollama]\nhost = "http://gpu.lan:11434"\n' +
        '[llm.providers.openai]\nhost = "https://openrouter.ai/api/v1"\napi_key = "k"\n',
    ) + "[attachments]\nenabled = false\n[upload]\nenabled = false\n",
    { env: { ANTHROPIC_API_KEY: "sk-ant" } },
  );
  const flags = permissionFlags(loaded);
  assert.equal(
    flags[0],
    "--allow-net=api.anthropic.com:443,gpu.lan:11434,localhost:5222,openrouter.ai:443",
  );
  assert.equal(
    flags[3],
    "--allow-env=ANTHROPIC_API_KEY,ANTHROPIC_CUSTOM_HEADERS,FLUUX_CONFIG,HOME," +
      "OPENAI_CUSTOM_HEADERS",
  );
});

Deno.test("permissionFlags() adds nothing for keyword-only memory search", async () => {
  const plain = await loadToml(MINIMAL_TOML);
  const search = await loadToml(`${MINIMAL_TOML}\n[memory.search]\nenabled = true\n`);
  assert.deepEqual(
    permissionFlags(search, { searchDenoPath: "/usr/bin/deno" }),
    permissionFlags(plain),
  );
});

Deno.test("permissionFlags() grants the embedder's host and starting the index process", async () => {
  const loaded = await loadToml(
    `${MINIMAL_TOML}\n[attachments]\nenabled = false\n[upload]\nenabled = false\n[memory.search]\nenabled = true\n` +
      `provider = "openai"\nhost = "https://embed.example.org:8443/v1"\n`,
  );
  const flags = permissionFlags(loaded, { searchDenoPath: "/usr/bin/deno" });
  assert.deepEqual(flags, [
    "--allow-net=embed.example.org:8443,localhost:11434,localhost:5222",
    "--allow-read=/home/bot/.fluux-agent/.env,/srv/agent/.env,/srv/agent/config/agent.toml," +
    "/srv/agent/data/memory",
    "--allow-write=/srv/agent/data/memory",
    "--allow-env=DENO_DIR,FLUUX_CONFIG,HOME,XDG_CACHE_HOME",
    "--allow-run=/usr/bin/deno",
  ]);
  assert.ok(!flags.some((flag) => flag.includes("ffi")), "the agent never holds --allow-ffi");
  // Without the deno path (a caller that does not start the index process) no run grant.
  assert.ok(!permissionFlags(loaded).some((flag) => flag.startsWith("--allow-run")));
});

Deno.test("permissionFlags() grants a shared folder outside the data directory", async () => {
  const loaded = await loadToml(
    `${MINIMAL_TOML}\n[memory.search]\nenabled = true\n[memory.shared]\npath = "../team-notes"\n`,
  );
  const flags = permissionFlags(loaded);
  assert.ok(flags[1]!.split(/[=,]/).includes("/srv/team-notes"), flags[1]);
  assert.ok(flags[2]!.split(/[=,]/).includes("/srv/team-notes"), flags[2]);
  const portable = permissionFlags(loaded, { portable: true });
  assert.ok(portable[1]!.split(/[=,]/).includes("../team-notes"), portable[1]);
});
