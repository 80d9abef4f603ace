import assert from "node:assert/strict";
import { childCommand } from "./_child_command.ts";

const REQUEST = {
  module: new URL("file:///srv/skills/probe/mod.ts"),
  confined: true,
  timeoutMs: 30_000,
  message: {
    type: "run" as const,
    input: {},
    context: { credentials: {}, stateDir: "/s", settings: {} },
  },
};

Deno.test("childCommand() runs deno with the skill's flags and heap limit, module loading closed", () => {
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
    "--frozen",
    "--no-remote",
    "--no-npm",
    "--config",
    "/app/deno.json",
    "--v8-flags=--max-old-space-size=128",
    "--allow-net",
  ]);
  assert.match(args.at(-1)!, /^data:text\/javascript,/);
  // A user skill's module is not in the boot module: the child imports it under its flags.
  assert.ok(!decodeURIComponent(args.at(-1)!).includes(REQUEST.module.href));
});

Deno.test("childCommand() lets a built-in load the packages the agent ships", () => {
  const { args } = childCommand({ ...REQUEST, confined: false }, {
    denoPath: "/usr/bin/deno",
    flags: [],
    memoryMb: 128,
    standalone: false,
  });
  assert.ok(args.includes("--frozen") && args.includes("--no-remote"));
  assert.ok(!args.includes("--no-npm"));
  assert.ok(decodeURIComponent(args.at(-1)!).includes(REQUEST.module.href));
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
        "--confined",
        "--timeout-ms=30000",
        "file:///srv/skills/probe/mod.ts",
      ],
    },
  );
});
