// loadConfig(): where paths resolve, what a process without permissions is told, and
// `--no-secrets`.
import assert from "node:assert/strict";
import { ConfigError } from "./config_error.ts";
import { loadConfig } from "./load_config.ts";
import { fixtureOptions, loadToml, MINIMAL_TOML, rejection } from "./_testing.ts";

const SECRETS_TOML = `
[server]
host = "localhost"
jid = "bot@localhost"
password = "\${XMPP_PASS}"

[llm]
provider = "anthropic"
model = "claude-sonnet-5"
api_key = "\${ANTHROPIC_API_KEY}"

[[rooms]]
jid = "dev@conference.localhost"
password = "\${ROOM_PASS}"
`;

Deno.test("loadConfig() keeps the paths as written beside their absolute form", async () => {
  const loaded = await loadToml(`${MINIMAL_TOML}\n[memory]\npath = "./state/../data"\n`);
  assert.equal(loaded.baseDir, "/srv/agent");
  assert.equal(loaded.dataDir, "/srv/agent/data");
  assert.deepEqual(loaded.portable, {
    path: "config/agent.toml",
    dataDir: "data",
    envFiles: [".env"],
  });
  const absolute = await loadConfig(
    "/etc/fluux/agent.toml",
    fixtureOptions({
      files: { "/etc/fluux/agent.toml": `${MINIMAL_TOML}\n[memory]\npath = "/var/lib/fluux"\n` },
    }),
  );
  assert.deepEqual(absolute.portable, {
    path: "/etc/fluux/agent.toml",
    dataDir: "/var/lib/fluux",
    envFiles: [".env"],
  });
});

Deno.test("loadConfig() skips ~/.fluux-agent/.env when the process may not read it", async () => {
  const files = {
    "/srv/agent/config/agent.toml": SECRETS_TOML,
    "/home/bot/.fluux-agent/.env": "XMPP_PASS=from-home\nANTHROPIC_API_KEY=k\nROOM_PASS=r\n",
  };
  const readable = await loadConfig("config/agent.toml", fixtureOptions({ files }));
  assert.equal(readable.config.server.password, "from-home");
  const error = await rejection(loadConfig("config/agent.toml", {
    ...fixtureOptions({ files }),
    mayRead: (path) => !path.startsWith("/home/"),
  }));
  assert.ok(error instanceof ConfigError);
  assert.match(error.message, /server\.password: environment variable "XMPP_PASS" is not set/);
});

Deno.test("loadConfig() says when the process may not read the config file", async () => {
  const error = await rejection(loadConfig("/etc/fluux/agent.toml", {
    ...fixtureOptions({}),
    readTextFile: () => Promise.reject(new Deno.errors.NotCapable("Requires read access")),
  }));
  assert.ok(error instanceof ConfigError);
  assert.match(
    error.message,
    /^Not permitted to read the config file "\/etc\/fluux\/agent\.toml": it is not in this process's --allow-read\. A compiled executable holds the permissions of the config it was built with/,
  );
});

Deno.test("loadConfig() names a variable the process may not read", async () => {
  const error = await rejection(loadConfig("config/agent.toml", {
    ...fixtureOptions({ files: { "/srv/agent/config/agent.toml": SECRETS_TOML } }),
    env: (name) => {
      if (name === "HOME" || name === "ROOM_PASS") return "x";
      throw new Deno.errors.NotCapable(`Requires env access to "${name}"`);
    },
  }));
  assert.ok(error instanceof ConfigError);
  assert.match(
    error.message,
    /server\.password: not permitted to read the environment variable "XMPP_PASS": it is not in this process's --allow-env/,
  );
  assert.match(error.message, /llm\.api_key: not permitted to read .*"ANTHROPIC_API_KEY"/);
});

Deno.test("loadConfig() with allowUnsetSecrets lists unset secrets instead of failing", async () => {
  const files = { "/srv/agent/config/agent.toml": SECRETS_TOML };
  await assert.rejects(loadConfig("config/agent.toml", fixtureOptions({ files })), ConfigError);
  const loaded = await loadConfig("config/agent.toml", {
    ...fixtureOptions({ files, env: { ROOM_PASS: "room-secret" } }),
    allowUnsetSecrets: true,
  });
  assert.deepEqual(loaded.unsetSecrets.map(({ key, variable }) => [key, variable]), [
    ["server.password", "XMPP_PASS"],
    ["llm.api_key", "ANTHROPIC_API_KEY"],
  ]);
  assert.equal(loaded.config.server.password, "(unset)");
  assert.deepEqual(loaded.secrets, ["room-secret"]);
  assert.deepEqual(loaded.variables, ["ANTHROPIC_API_KEY", "ROOM_PASS", "XMPP_PASS"]);
});

Deno.test("loadConfig() with allowUnsetSecrets still fails on an unset variable that is no secret", async () => {
  const toml = MINIMAL_TOML.replace('host = "localhost"', 'host = "${XMPP_HOST}"');
  const error = await rejection(loadConfig("config/agent.toml", {
    ...fixtureOptions({ files: { "/srv/agent/config/agent.toml": toml } }),
    allowUnsetSecrets: true,
  }));
  assert.ok(error instanceof ConfigError);
  assert.match(error.message, /server\.host: environment variable "XMPP_HOST" is not set/);
});
