/**
 * A compiled executable on another machine, as far as this machine can build one: `deno
 * compile` cannot run here (it downloads its runtime), so these tests take the command line
 * `compile --dry-run` prints and run `deno run` with exactly its permission flags and baked
 * arguments, from another working directory, after the build directory is gone.
 */
import { assertEquals, assertExcludes, assertIncludes, assertTrue } from "./support/assert.ts";
import { agentConfigToml } from "./support/agent_process.ts";
import { cli, DENO_DIR, MAIN, parseDryRun, runDeno } from "./support/cli.ts";
import { startFakeLlm } from "./support/fake_llm.ts";
import { connectHuman } from "./support/human.ts";
import { startProsody } from "./support/prosody.ts";
import { AGENT_V8_FLAGS } from "../src/config/mod.ts";
import { skillRuntimeModules } from "../src/skills/mod.ts";
import { fileURLToPath } from "node:url";

/** A build directory holding `config/agent.toml`, and a HOME for the build. */
async function buildDir(toml: string) {
  const dir = await Deno.makeTempDir({ prefix: "fluux-build-" });
  await Deno.mkdir(`${dir}/config`);
  await Deno.mkdir(`${dir}/home`);
  await Deno.writeTextFile(`${dir}/config/agent.toml`, toml);
  return { dir, home: `${dir}/home` };
}

/** A deployment elsewhere: the same layout, the password in its own `.env`. */
async function deployDir(toml: string) {
  const dir = await Deno.makeTempDir({ prefix: "fluux-deploy-" });
  await Deno.mkdir(`${dir}/config`);
  await Deno.mkdir(`${dir}/home`);
  await Deno.writeTextFile(`${dir}/config/agent.toml`, toml);
  await Deno.writeTextFile(`${dir}/.env`, "BOT_PASSWORD=botpass\n");
  return { dir, home: `${dir}/home` };
}

function listOf(flags: string[], name: string): string[] {
  return flags.find((flag) => flag.startsWith(`${name}=`))?.slice(name.length + 1).split(",") ??
    [];
}

Deno.test("compile --dry-run bakes no path of the build machine; its flags run the agent from another directory", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm();
  // The tests' usual config, with the data directory written relative.
  const toml = agentConfigToml({ prosody, llmUrl: llm.url }, "./data/memory")
    .replace("[server]", "[server]\ntls_verify = false");
  const build = await buildDir(toml);
  // Built without the secret: only variable names are baked in.
  const compiled = await cli(["compile", "--dry-run", "--no-secrets"], {
    cwd: build.dir,
    env: { HOME: build.home },
  });
  assertEquals(compiled.code, 0, compiled.stderr);
  const dry = parseDryRun(compiled.stdout);
  const printed = await cli(["permissions", "--no-secrets"], {
    cwd: build.dir,
    env: { HOME: build.home },
  });
  assertEquals(printed.code, 0, printed.stderr);
  await Deno.remove(build.dir, { recursive: true });

  assertEquals(dry.entry, MAIN);
  assertEquals(dry.baked, ["--config", "config/agent.toml"]);
  assertEquals(dry.includes, skillRuntimeModules().map((url) => fileURLToPath(url)));
  assertEquals(listOf(dry.flags, "--allow-read"), [".env", "config/agent.toml", "data/memory"]);
  assertEquals(listOf(dry.flags, "--allow-write"), ["data/memory"]);
  // The executable's V8 keeps its heap small, as `deno task start` does.
  assertTrue(dry.flags.includes(AGENT_V8_FLAGS[0]!), dry.flags.join(" "));
  assertExcludes(dry.flags.join(" "), build.dir);
  const net = listOf(dry.flags, "--allow-net");
  assertTrue(net.includes(`127.0.0.1:${prosody.c2sPort}`), net.join(","));
  assertTrue(!net.some((host) => host.endsWith(":53")), `no name server: ${net.join(",")}`);
  // What `permissions` printed in the build directory is the same set, absolute, plus the
  // home .env that an executable is never given.
  const here = printed.stdout.trim().split(" ");
  assertEquals(listOf(here, "--allow-read"), [
    `${build.dir}/.env`,
    `${build.dir}/config/agent.toml`,
    `${build.dir}/data/memory`,
    `${build.home}/.fluux-agent/.env`,
  ]);
  assertEquals(listOf(here, "--allow-net"), net);

  const deploy = await deployDir(toml);
  const env = { HOME: deploy.home };
  try {
    const asBaked = (command: string[] = []) => [
      "run",
      ...dry.flags,
      dry.entry,
      ...dry.baked,
      ...command,
    ];
    const check = await runDeno(asBaked(["check"]), { cwd: deploy.dir, env });
    assertEquals(check.code, 0, check.stderr);
    assertIncludes(check.stdout, `# Data directory: ${deploy.dir}/data/memory`);
    assertIncludes(check.stdout, `# .env files: ${deploy.dir}/.env\n`);
    const permissions = await runDeno(asBaked(["permissions"]), { cwd: deploy.dir, env });
    assertEquals(permissions.code, 0, permissions.stderr);
    assertEquals(listOf(permissions.stdout.trim().split(" "), "--allow-read"), [
      `${deploy.dir}/.env`,
      `${deploy.dir}/config/agent.toml`,
      `${deploy.dir}/data/memory`,
    ]);

    const child = new Deno.Command(Deno.execPath(), {
      args: asBaked(),
      cwd: deploy.dir,
      clearEnv: true,
      env: { ...env, DENO_DIR },
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const stderr = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
    let log = "";
    try {
      while (!log.includes("Online as")) {
        const { value, done } = await stderr.read();
        if (done) break;
        log += value;
      }
      assertIncludes(log, "Online as bot@localhost", log);
      await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
      await alice.send("bot@localhost", "hello from elsewhere");
      const reply = await alice.nextMessage({ from: "bot@localhost", withBody: true });
      assertIncludes(reply.body ?? "", "hello from elsewhere");
      const history = await Deno.readTextFile(
        `${deploy.dir}/data/memory/alice@localhost/history.jsonl`,
      );
      assertIncludes(history, "hello from elsewhere");
    } finally {
      child.kill("SIGTERM");
      for (;;) {
        const { value, done } = await stderr.read();
        if (done) break;
        log += value;
      }
      assertEquals((await child.status).code, 0, log);
    }
    assertExcludes(log, "Not permitted");
  } finally {
    await Deno.remove(deploy.dir, { recursive: true });
  }
});

const UNREACHABLE = `
[server]
host = "127.0.0.1"
port = 9
jid = "bot@localhost"
password = "\${BOT_PASSWORD}"

[llm]
provider = "ollama"
model = "m"
host = "http://127.0.0.1:9"
`;

Deno.test("an executable's flags refuse another config, a missing one, or other hosts, with a clear error", async () => {
  const build = await buildDir(UNREACHABLE);
  const compiled = await cli(["compile", "--dry-run", "--no-secrets"], {
    cwd: build.dir,
    env: { HOME: build.home },
  });
  await Deno.remove(build.dir, { recursive: true });
  assertEquals(compiled.code, 0, compiled.stderr);
  const dry = parseDryRun(compiled.stdout);
  const run = (cwd: string, more: string[] = []) =>
    runDeno(["run", ...dry.flags, dry.entry, ...dry.baked, ...more], {
      cwd,
      env: { HOME: cwd },
    });

  const empty = await Deno.makeTempDir({ prefix: "fluux-empty-" });
  const deploy = await deployDir(
    UNREACHABLE.replace('"127.0.0.1"', '"xmpp.example.org"').replace("@localhost", "@example.org"),
  );
  try {
    const nothing = await run(empty);
    assertEquals(nothing.code, 2);
    assertIncludes(nothing.stderr, `Config file not found: "${empty}/config/agent.toml"`);

    await Deno.writeTextFile(`${empty}/other.toml`, UNREACHABLE);
    const other = await run(deploy.dir, ["--config", `${empty}/other.toml`]);
    assertEquals(other.code, 2);
    assertIncludes(
      other.stderr,
      `fluux-agent: Not permitted to read the config file "${empty}/other.toml"`,
    );

    // The deployment's config names another XMPP server (essential) and so other attachment
    // hosts than the ones baked in.
    const elsewhere = await run(deploy.dir);
    assertEquals(elsewhere.code, 2, elsewhere.stderr);
    const lines = elsewhere.stderr.trim().split("\n");
    assertIncludes(lines[0] ?? "", "This process does not hold permissions the config needs");
    assertTrue(lines.includes("  --allow-net=xmpp.example.org:9"), elsewhere.stderr);
    assertTrue(lines.includes("  --allow-net=example.org:443"), elsewhere.stderr);
    // Nothing was started, so nothing was written.
    assertEquals(await Deno.stat(`${deploy.dir}/data`).catch(() => undefined), undefined);
  } finally {
    await Deno.remove(empty, { recursive: true });
    await Deno.remove(deploy.dir, { recursive: true });
  }
});
