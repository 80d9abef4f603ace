import assert from "node:assert/strict";
import { compileArgs } from "./compile_args.ts";
import { permissionFlags } from "./permission_flags.ts";
import { loadToml, MINIMAL_TOML } from "./_testing.ts";

Deno.test("compileArgs() bakes portable permission flags, the includes and the config path as given", async () => {
  const loaded = await loadToml(
    `${MINIMAL_TOML}[attachments]\nenabled = false\n[upload]\nenabled = false\n`,
  );
  assert.deepEqual(
    compileArgs(loaded, {
      output: "dist/fluux-agent",
      target: "x86_64-unknown-linux-gnu",
      include: ["/src/skills/worker_main.ts", "/src/skills/builtin/web_search/mod.ts"],
    }),
    [
      "compile",
      "--output",
      "dist/fluux-agent",
      "--target",
      "x86_64-unknown-linux-gnu",
      "--include",
      "/src/skills/worker_main.ts",
      "--include",
      "/src/skills/builtin/web_search/mod.ts",
      "--allow-net=localhost:11434,localhost:5222",
      // Relative, as written: Deno resolves them against the working directory the
      // executable starts in, as the agent does; no home directory of this machine.
      "--allow-read=.env,config/agent.toml,data/memory",
      "--allow-write=data/memory",
      "--allow-env=FLUUX_CONFIG,HOME",
      // Memory before raw speed, as with `deno task start` (src/config/v8_flags.ts).
      "--v8-flags=--max-semi-space-size=2,--optimize-for-size",
      "main.ts",
      "--config",
      "config/agent.toml",
    ],
  );
});

Deno.test("compileArgs() keeps absolute paths absolute and resolves to what permissionFlags() grants here", async () => {
  const loaded = await loadToml(`${MINIMAL_TOML}[memory]\npath = "/var/lib/fluux"\n`);
  const args = compileArgs(loaded, { output: "out", entry: "/checkout/main.ts" });
  assert.ok(!args.includes("--target"));
  assert.deepEqual(args.slice(-3), ["/checkout/main.ts", "--config", "config/agent.toml"]);
  assert.ok(args.includes("--allow-write=/var/lib/fluux"), args.join(" "));
  const read = args.find((arg) => arg.startsWith("--allow-read="))!.split(/[=,]/).slice(1);
  const here = permissionFlags(loaded)[1]!.split(/[=,]/).slice(1);
  // Every baked path, resolved against this working directory, is one `permissions` prints;
  // what `permissions` adds is the home .env a compiled executable never reads.
  const resolved = read.map((path) => path.startsWith("/") ? path : `/srv/agent/${path}`);
  assert.deepEqual(here.filter((path) => !resolved.includes(path)), [
    "/home/bot/.fluux-agent/.env",
  ]);
  assert.ok(resolved.every((path) => here.includes(path)));
});
