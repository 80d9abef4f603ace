/**
 * Starting and stopping as an operator sees it: the LLM is checked before the agent goes
 * online (a wrong key or an unknown model stops the start; a provider that is merely down
 * does not), a model that goes away later is reported as such, and a Ctrl-C stops cleanly with
 * one "Stopping" and no room rejoin.
 */
import { assertEquals, assertIncludes, assertTrue } from "./support/assert.ts";
import { agentConfigToml, startAgent } from "./support/agent_process.ts";
import { startFakeLlm } from "./support/fake_llm.ts";
import { connectHuman } from "./support/human.ts";
import { startProsody } from "./support/prosody.ts";

const BOT = "bot@localhost";
const ROOT = decodeURIComponent(new URL("..", import.meta.url).pathname);
const DENO_DIR = Deno.env.get("DENO_DIR") ??
  `${Deno.env.get("XDG_CACHE_HOME") ?? `${Deno.env.get("HOME")}/.cache`}/deno`;

Deno.test("a wrong LLM key stops the start with the provider's reason, before going online", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await using llm = await startFakeLlm({ api_key: "the-right-key" });
  const agent = await startAgent({ prosody, llmUrl: llm.url, waitOnline: false });
  const code = await agent.exited;
  await agent.stop();
  const log = agent.lines.events.join("\n");
  assertEquals(code, 1, log);
  assertTrue(
    agent.lines.events.some((line) =>
      /ERROR .*LLM anthropic\/test-model cannot be used: .*rejected the credentials/.test(line)
    ),
    log,
  );
  const reason = agent.lines.events.find((line) => line.startsWith("fluux-agent: "));
  assertEquals(
    reason,
    'fluux-agent: LLM provider "anthropic" rejected the credentials (HTTP 401, authentication_error)',
  );
  assertTrue(!log.includes("Online as"), "never went online");
  assertTrue(!log.includes("test-key"), "the key is not logged");
});

Deno.test("an unknown model stops the start, naming the model", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await using llm = await startFakeLlm({ models: ["llama3.2"] });
  const agent = await startAgent({
    prosody,
    llmUrl: llm.url,
    provider: "ollama",
    waitOnline: false,
  });
  const code = await agent.exited;
  await agent.stop();
  assertEquals(code, 1);
  const reason = agent.lines.events.find((line) => line.startsWith("fluux-agent: "));
  assertEquals(
    reason,
    'fluux-agent: LLM provider "ollama" does not know the model "test-model" (HTTP 404)',
  );
  // The look-up said 404; one chat of one token confirmed it was the model, not the endpoint.
  assertEquals(llm.chat_count, 1);
});

Deno.test("an LLM that is down at start is a warning: the agent goes online and answers later", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm();
  llm.failNext(503);
  await using agent = await startAgent({ prosody, llmUrl: llm.url });
  assertTrue(
    agent.lines.events.some((line) =>
      /WARN .*LLM anthropic\/test-model could not be checked \(overloaded: .*HTTP 503/.test(line)
    ),
    agent.lines.events.join("\n"),
  );
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  await alice.send(BOT, "up again?");
  assertEquals((await alice.nextMessage({ from: BOT, withBody: true })).body, "echo: up again?");
});

Deno.test("a model that goes away while running is reported as not available", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm();
  await using agent = await startAgent({ prosody, llmUrl: llm.url });
  llm.failNext(404);
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  await alice.send(BOT, "still there?");
  const reply = (await alice.nextMessage({ from: BOT, withBody: true })).body ?? "";
  assertIncludes(reply, "not available");
  assertTrue(!reply.includes("try again"), reply);
  await agent.waitForLog(/WARN .*Handled chat from alice@localhost: the LLM failed .*not_found/);
});

Deno.test("Ctrl-C on deno task start stops once and schedules no room rejoin", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await using llm = await startFakeLlm();
  const dir = await Deno.makeTempDir({ prefix: "fluux-stop-" });
  try {
    const file = `${dir}/agent.toml`;
    const rooms = ["dev", "ops"].map((room) =>
      `[[rooms]]\njid = "${room}@conference.localhost"\nnick = "bot"\n`
    ).join("\n");
    const config = agentConfigToml({ prosody, llmUrl: llm.url, extraToml: rooms }, `${dir}/memory`);
    await Deno.writeTextFile(file, config.replace("[server]", "[server]\ntls_verify = false"));
    // Its own session, so that a signal to its process group is what a terminal's Ctrl-C does:
    // it reaches `deno task`, the `start` launcher and the agent at once.
    const task = new Deno.Command("setsid", {
      args: [Deno.execPath(), "task", "--quiet", "--cwd", ROOT, "start", "--config", file],
      clearEnv: true,
      env: { DENO_DIR, PATH: Deno.env.get("PATH") ?? "", HOME: dir, BOT_PASSWORD: "botpass" },
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    // A start that never gets there must fail the test, not hang it.
    const guard = setTimeout(() => Deno.kill(-task.pid, "SIGKILL"), 30_000);
    const stderr = task.stderr.pipeThrough(new TextDecoderStream()).getReader();
    let log = "";
    const readUntil = async (done: () => boolean) => {
      while (!done()) {
        const chunk = await stderr.read();
        if (chunk.done) return;
        log += chunk.value;
      }
    };
    try {
      await readUntil(() => ["dev", "ops"].every((room) => log.includes(`Joined ${room}@`)));
      assertIncludes(log, "Joined ops@conference.localhost", log);
    } finally {
      Deno.kill(-task.pid, "SIGINT");
      // Pressed twice, or the launcher forwarding what the agent already got: one stop.
      await readUntil(() => log.includes(" Stopping"));
      try {
        Deno.kill(-task.pid, "SIGINT");
      } catch {
        // Already gone.
      }
      await readUntil(() => false);
    }
    const status = await task.status;
    clearTimeout(guard);
    assertEquals(status.code, 0, log);
    assertEquals(log.match(/ Stopping$/gm)?.length, 1, log);
    assertTrue(!/rejoining/.test(log), log);
    assertIncludes(log, "Stopped");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
