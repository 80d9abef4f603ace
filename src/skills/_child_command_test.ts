import assert from "node:assert/strict";
import { childCommand } from "./_child_command.ts";

const REQUEST = {
  module: new URL("file:///srv/skills/probe/mod.ts"),
  timeoutMs: 30_000,
  message: {
    type: "run" as const,
    input: {},
    context: { credentials: {}, stateDir: "/s", settings: {} },
  },
};

Deno.test("childCommand() runs deno with the skill's flags and heap limit under deno run", () => {
  const { command, args } = childCommand(REQUEST, {
    denoPath: "/usr/bin/deno",
    flags: ["--allow-net"],
    memoryMb: 128,
    configPath: "/app/deno.json",
    standalone: false,
  });
  assert.equal(command, "/usr/bin/deno");
  assert.deepEqual(args.slice(0, -1), [
    "run",
    "--quiet",
    "--no-prompt",
    "--config",
    "/app/deno.json",
    "--v8-flags=--max-old-space-size=128",
    "--allow-net",
  ]);
  assert.match(args.at(-1)!, /^data:text\/javascript,/);
});

Deno.test("childCommand() re-runs a compiled executable as skill-child with the same flags", () => {
  assert.deepEqual(
    childCommand(REQUEST, {
      denoPath: "/opt/fluux/fluux-agent",
      flags: ["--allow-net=api.example:443", "--allow-write=/s/notes"],
      memoryMb: 128,
      standalone: true,
    }),
    {
      command: "/opt/fluux/fluux-agent",
      args: [
        "skill-child",
        "--allow-net=api.example:443",
        "--allow-write=/s/notes",
        "--timeout-ms=30000",
        "file:///srv/skills/probe/mod.ts",
      ],
    },
  );
});
