/**
 * The command line as a user runs it: `deno task start`, `check` (also without the secrets),
 * `permissions`, and the errors for a missing or broken config. `compile --dry-run` and its
 * flags are in portable_executable_test.ts.
 */
import { assertEquals, assertExcludes, assertIncludes, assertTrue } from "./support/assert.ts";
import { agentConfigToml } from "./support/agent_process.ts";
import { cli as runCli, DENO_DIR, ROOT } from "./support/cli.ts";
import { startFakeLlm } from "./support/fake_llm.ts";
import { connectHuman } from "./support/human.ts";
import { startProsody } from "./support/prosody.ts";

async function cli(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}) {
  return await runCli(args, { ...options, env: { DENO_DIR, ...options.env } });
}

const SECRET = "hunter2-correct-horse";

async function writeConfig(extra = ""): Promise<{ dir: string; file: string }> {
  const dir = await Deno.makeTempDir({ prefix: "fluux-cli-" });
  const file = `${dir}/agent.toml`;
  await Deno.writeTextFile(
    file,
    `[server]
host = "xmpp.example.org"
jid = "bot@example.org"
password = "\${BOT_PASSWORD}"

[llm]
provider = "anthropic"
model = "claude-sonnet-5"
api_key = "\${ANTHROPIC_API_KEY}"

[memory]
path = "${dir}/memory"
${extra}`,
  );
  return { dir, file };
}

const ENV = { BOT_PASSWORD: SECRET, ANTHROPIC_API_KEY: "sk-ant-secret-key-123" };

Deno.test("a missing config says where it looked and how to make one", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const run = await cli(["run"], { cwd: dir });
    assertEquals(run.code, 2);
    assertIncludes(run.stderr, `${dir}/config/agent.toml`);
    assertIncludes(run.stderr, "config/agent.example.toml");
    assertEquals(run.stderr.trim().split("\n").length, 1, "one line");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--config without a path is a usage error on one line", async () => {
  const run = await cli(["check", "--config"]);
  assertEquals(run.code, 2);
  assertEquals(
    run.stderr.trim(),
    'fluux-agent: Missing value for "--config": pass --config <path>',
  );
});

Deno.test("a broken config names the key, what was expected and what was found", async () => {
  const { dir, file } = await writeConfig(
    '[agent]\nalowed_jids = ["a@b"]\n[keepalive]\nping_interval_secs = "often"',
  );
  try {
    const run = await cli(["check", "--config", file], { env: ENV });
    assertEquals(run.code, 2);
    assertIncludes(run.stderr, 'agent.alowed_jids: unknown key; did you mean "allowed_jids"?');
    assertIncludes(run.stderr, "keepalive.ping_interval_secs");
    assertIncludes(run.stderr, '"often"');
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an unset variable is named with its key", async () => {
  const { dir, file } = await writeConfig();
  try {
    const run = await cli(["check", "--config", file], { env: { BOT_PASSWORD: "x", HOME: dir } });
    assertEquals(run.code, 2);
    assertIncludes(run.stderr, "llm.api_key");
    assertIncludes(run.stderr, "ANTHROPIC_API_KEY");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("check prints the effective settings with secrets hidden; FLUUX_CONFIG selects the file", async () => {
  const { dir, file } = await writeConfig();
  try {
    const run = await cli(["check"], { env: { ...ENV, FLUUX_CONFIG: file, HOME: dir } });
    assertEquals(run.code, 0, run.stderr);
    assertIncludes(run.stdout, "xmpp.example.org");
    assertIncludes(run.stdout, "dm_history_token_budget = 50000");
    assertExcludes(run.stdout + run.stderr, SECRET);
    assertExcludes(run.stdout + run.stderr, "sk-ant-secret-key-123");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("permissions prints exactly the hosts, files and variables the config needs", async () => {
  const { dir, file } = await writeConfig();
  try {
    const run = await cli(["permissions", "--config", file], { env: { ...ENV, HOME: dir } });
    assertEquals(run.code, 0, run.stderr);
    const flags = run.stdout.trim().split(" ");
    const net = (flags[0] ?? "").replace("--allow-net=", "").split(",");
    const expected = [
      "api.anthropic.com:443",
      "xmpp.example.org:5222",
      // Attachment downloads: the domain and its usual upload hosts, on upload ports only.
      "example.org:443",
      "upload.example.org:5281",
    ];
    for (const host of expected) assertTrue(net.includes(host), `${host} in ${flags[0]}`);
    // Nothing else but the other upload hosts on upload ports: no name server either (host
    // names resolve through the system).
    const others = net.filter((host) =>
      !expected.includes(host) &&
      !/^((files|share|upload|xmpp)\.)?example\.org:(443|5281|5443|7443)$/.test(host)
    );
    assertEquals(others, []);
    assertIncludes(run.stdout, `--allow-write=${dir}/memory`);
    assertIncludes(run.stdout, "ANTHROPIC_API_KEY,ANTHROPIC_CUSTOM_HEADERS,BOT_PASSWORD");
    assertTrue(!run.stdout.includes("--allow-all") && !run.stdout.includes(" -A"), "never -A");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("check --no-secrets validates a config whose secrets are not set, and shows them unset", async () => {
  const { dir, file } = await writeConfig();
  try {
    const strict = await cli(["check", "--config", file], { env: { HOME: dir } });
    assertEquals(strict.code, 2);
    assertIncludes(strict.stderr, "BOT_PASSWORD");
    const run = await cli(["check", "--no-secrets", "--config", file], { env: { HOME: dir } });
    assertEquals(run.code, 0, run.stderr);
    assertIncludes(
      run.stdout,
      "# Secrets not set (checked without them): BOT_PASSWORD (server.password), " +
        "ANTHROPIC_API_KEY (llm.api_key)",
    );
    assertIncludes(run.stdout, 'password = "(unset)"');
    assertIncludes(run.stdout, 'api_key = "(unset)"');
    // A set secret stays hidden, and a problem that is no secret still fails.
    const one = await cli(["check", "--no-secrets", "--config", file], {
      env: { HOME: dir, ANTHROPIC_API_KEY: "sk-ant-secret-key-123" },
    });
    assertEquals(one.code, 0, one.stderr);
    assertIncludes(one.stdout, 'api_key = "********"');
    assertExcludes(one.stdout, "sk-ant-secret-key-123");
    await Deno.writeTextFile(file, "\n[agent]\nmax_tool_rounds = 0\n", { append: true });
    const invalid = await cli(["check", "--no-secrets", "--config", file], { env: { HOME: dir } });
    assertEquals(invalid.code, 2);
    assertIncludes(invalid.stderr, "agent.max_tool_rounds");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--no-secrets is refused by the commands that need the secrets", async () => {
  const { dir, file } = await writeConfig();
  try {
    const run = await cli(["run", "--no-secrets", "--config", file], { env: { HOME: dir } });
    assertEquals(run.code, 2);
    assertEquals(
      run.stderr.trim(),
      'fluux-agent: "--no-secrets" is for check, permissions and compile: "run" needs them',
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task start runs the agent under its derived permissions and stops on SIGTERM", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm();
  const dir = await Deno.makeTempDir({ prefix: "fluux-start-" });
  try {
    const file = `${dir}/agent.toml`;
    const config = agentConfigToml({ prosody, llmUrl: llm.url }, `${dir}/memory`);
    // `deno task start` cannot pass --cert: the agent accepts the test certificate unchecked.
    await Deno.writeTextFile(file, config.replace("[server]", "[server]\ntls_verify = false"));
    const task = new Deno.Command(Deno.execPath(), {
      args: ["task", "--quiet", "--cwd", ROOT, "start", "--config", file],
      env: { BOT_PASSWORD: "botpass", HOME: dir, DENO_DIR },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stderr = task.stderr.pipeThrough(new TextDecoderStream()).getReader();
    let log = "";
    try {
      while (!log.includes("Online as")) {
        const { value, done } = await stderr.read();
        if (done) break;
        log += value;
      }
      assertIncludes(log, "Online as bot@localhost", log);
      // deno task, the start launcher (main.ts start) and the agent it runs hold the config's path.
      const agent = (await commandLines()).find((args) =>
        args.includes(file) && args.at(-3) === "run"
      );
      assertIncludes(agent?.find((arg) => arg.endsWith("main.js")) ?? "", "/.bundle/", `${agent}`);
      await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
      await alice.send("bot@localhost", "/ping");
      assertEquals(
        (await alice.nextMessage({ from: "bot@localhost", withBody: true })).body,
        "pong",
      );
    } finally {
      try {
        task.kill("SIGTERM");
      } catch {
        // Already ended: the assertions above say why.
      }
      for (;;) {
        const { value, done } = await stderr.read();
        if (done) break;
        log += value;
      }
      const status = await task.status;
      await task.stdout.cancel().catch(() => {});
      assertEquals(status.code, 0, log);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** The arguments (after the executable) of every process this user may read. */
async function commandLines(): Promise<string[][]> {
  const lines: string[][] = [];
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    const text = await Deno.readTextFile(`/proc/${entry.name}/cmdline`).catch(() => "");
    if (text !== "") lines.push(text.split("\0").slice(1, -1));
  }
  return lines;
}
