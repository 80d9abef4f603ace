import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { closedLoadingFlags, projectDenoConfig } from "./deno_child.ts";

Deno.test("closedLoadingFlags() closes prompts, the lock file and remote modules, in a fixed order", () => {
  assert.deepEqual(closedLoadingFlags(), ["--no-prompt", "--frozen", "--no-remote"]);
  assert.deepEqual(closedLoadingFlags({ cachedOnly: true }), [
    "--no-prompt",
    "--frozen",
    "--cached-only",
    "--no-remote",
  ]);
  assert.deepEqual(closedLoadingFlags({ noNpm: true }), [
    "--no-prompt",
    "--frozen",
    "--no-remote",
    "--no-npm",
  ]);
  for (const flags of [closedLoadingFlags(), closedLoadingFlags({ cachedOnly: true })]) {
    assert.ok(!flags.some((flag) => flag.startsWith("--allow") || flag === "-A"), String(flags));
  }
});

Deno.test("childEnvironment() and readableVariables() pass on only the variables named, set and readable", async () => {
  // A process that may read FLUUX_A and not FLUUX_B, though both are set.
  const dir = await Deno.makeTempDir();
  try {
    const script = `${dir}/probe.ts`;
    const module = new URL("./deno_child.ts", import.meta.url).href;
    await Deno.writeTextFile(
      script,
      `import { childEnvironment, readableVariables } from ${JSON.stringify(module)};
      const names = ["FLUUX_A", "FLUUX_B", "FLUUX_UNSET"];
      console.log(JSON.stringify([childEnvironment(names), readableVariables(names)]));`,
    );
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-config", "--no-prompt", "--allow-env=FLUUX_A,FLUUX_UNSET", script],
      clearEnv: true,
      env: { FLUUX_A: "a", FLUUX_B: "secret", FLUUX_OTHER: "other", NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
    assert.deepEqual(JSON.parse(new TextDecoder().decode(output.stdout)), [
      { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1", FLUUX_A: "a" },
      { FLUUX_A: "a" },
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("projectDenoConfig() is the project's deno.json", async () => {
  const expected = fileURLToPath(new URL("../../deno.json", import.meta.url));
  assert.equal(projectDenoConfig(), expected);
  assert.equal(JSON.parse(await Deno.readTextFile(expected)).name, "@fluux/agent");
});
