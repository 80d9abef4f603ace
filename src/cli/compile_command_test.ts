import assert from "node:assert/strict";
import { loadConfig } from "../config/mod.ts";
import { compileCommand } from "./compile_command.ts";

const TOML = `
[server]
host = "localhost"
jid = "bot@localhost"
password = "pw"

[llm]
provider = "ollama"
model = "m"

[skills.url_fetch]
enabled = true
`;

Deno.test("compileCommand() lets the executable re-run itself and warns about skills it cannot serve", async () => {
  const loaded = await loadConfig("agent.toml", {
    cwd: "/srv/agent",
    env: () => undefined,
    mayRead: () => false,
    readTextFile: (path) =>
      path === "/srv/agent/agent.toml"
        ? Promise.resolve(TOML)
        : Promise.reject(new Deno.errors.NotFound(path)),
  });
  const { args, warnings } = await compileCommand(loaded, {
    entry: "/checkout/main.ts",
    output: "dist/win/fluux-agent",
    target: "x86_64-pc-windows-msvc",
  });
  assert.ok(args.includes("--allow-run=./fluux-agent.exe,fluux-agent.exe"), args.join(" "));
  assert.ok(args.includes("--unstable-worker-options"), args.join(" "));
  assert.ok(!args.some((arg) => arg.startsWith("--allow-read=") && arg.includes("/checkout")));
  assert.equal(args.filter((arg) => arg === "--include").length, 5);
  assert.deepEqual(warnings, [
    'Skill "url_fetch" needs any host, which an executable cannot give its child alone (the ' +
    "child holds the executable's own permissions): its calls will be refused there. Run the " +
    'agent with "deno task start" to use it',
  ]);
});
