import assert from "node:assert/strict";
import { compileArgs } from "./compile_args.ts";
import { loadToml, MINIMAL_TOML } from "./_testing.ts";

Deno.test("compileArgs() bakes the permission flags, the command and the config path in", async () => {
  const loaded = await loadToml(`${MINIMAL_TOML}[attachments]\nenabled = false\n`);
  assert.deepEqual(
    compileArgs(loaded, { output: "dist/fluux-agent", target: "x86_64-unknown-linux-gnu" }),
    [
      "compile",
      "--output",
      "dist/fluux-agent",
      "--target",
      "x86_64-unknown-linux-gnu",
      "--allow-net=localhost:11434,localhost:5222",
      "--allow-read=/home/bot/.fluux-agent/.env,/srv/agent/.env,/srv/agent/config/agent.toml," +
      "/srv/agent/data/memory",
      "--allow-write=/srv/agent/data/memory",
      "--allow-env=FLUUX_CONFIG,HOME",
      "main.ts",
      "run",
      "--config",
      "/srv/agent/config/agent.toml",
    ],
  );
});

Deno.test("compileArgs() leaves --target out by default and takes another entry and command", async () => {
  const loaded = await loadToml(MINIMAL_TOML);
  const args = compileArgs(loaded, { output: "out", entry: "src/cli.ts", command: "serve" });
  assert.ok(!args.includes("--target"));
  assert.deepEqual(args.slice(-4), [
    "src/cli.ts",
    "serve",
    "--config",
    "/srv/agent/config/agent.toml",
  ]);
});
