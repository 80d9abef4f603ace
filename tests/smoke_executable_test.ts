/**
 * The release workflow's smoke test (scripts/smoke_executable.ts), run here against a
 * stand-in for the executable: `deno compile` cannot run on this machine, so the stand-in
 * is a script running `deno run` with exactly the flags and baked arguments `compile
 * --dry-run` prints for config/agent.example.toml installed as config/agent.toml, as the
 * workflow builds it.
 */
import { assertEquals, assertIncludes } from "./support/assert.ts";
import { cli, parseDryRun, ROOT, runDeno } from "./support/cli.ts";

Deno.test("the release smoke test passes against an executable built the way the workflow builds it", async () => {
  const build = await Deno.makeTempDir({ prefix: "fluux-release-" });
  try {
    await Deno.mkdir(`${build}/config`);
    await Deno.copyFile(`${ROOT}config/agent.example.toml`, `${build}/config/agent.toml`);
    const compiled = await cli(["compile", "--dry-run", "--no-secrets"], {
      cwd: build,
      env: { HOME: build },
    });
    assertEquals(compiled.code, 0, compiled.stderr);
    const dry = parseDryRun(compiled.stdout);
    const executable = `${build}/fluux-agent`;
    await Deno.writeTextFile(
      executable,
      `#!/bin/sh\nexec '${Deno.execPath()}' run --quiet --no-prompt ${dry.flags.join(" ")} ` +
        `'${dry.entry}' ${dry.baked.join(" ")} "$@"\n`,
    );
    await Deno.chmod(executable, 0o755);
    const smoke = await runDeno(
      ["run", "-A", `${ROOT}scripts/smoke_executable.ts`, executable, "config/agent.toml"],
      { cwd: build },
    );
    assertEquals(smoke.code, 0, smoke.stdout + smoke.stderr);
    assertIncludes(smoke.stdout, "$ fluux-agent check  -> exit 0");
    assertIncludes(smoke.stdout, "$ fluux-agent permissions  -> exit 0");
    assertIncludes(smoke.stdout, "Smoke test passed");
  } finally {
    await Deno.remove(build, { recursive: true });
  }
});
