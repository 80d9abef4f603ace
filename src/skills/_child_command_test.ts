import assert from "node:assert/strict";
import { skillChildCommand } from "./_child_command.ts";

Deno.test("skillChildCommand() closes module loading, and npm too for a user skill", () => {
  const options = {
    denoPath: "/usr/bin/deno",
    flags: ["--allow-net=api.example.com:443"],
    memoryMb: 64,
    configPath: "/srv/agent/deno.json",
  };
  const user = skillChildCommand("data:text/javascript,boot", { ...options, confined: true });
  assert.equal(user.command, "/usr/bin/deno");
  assert.deepEqual(user.args, [
    "run",
    "--quiet",
    "--no-prompt",
    "--frozen",
    "--no-remote",
    "--no-npm",
    "--config",
    "/srv/agent/deno.json",
    "--v8-flags=--max-old-space-size=64",
    "--allow-net=api.example.com:443",
    "data:text/javascript,boot",
  ]);
  const builtin = skillChildCommand("data:,b", { ...options, confined: false });
  assert.ok(builtin.args.includes("--frozen") && builtin.args.includes("--no-remote"));
  assert.ok(!builtin.args.includes("--no-npm"), "a built-in may load the packages the agent ships");
});
