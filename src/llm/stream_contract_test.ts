/**
 * The streaming contract every provider keeps, through its real SDK and the fake server's
 * streamed wire format (Anthropic SSE events, Ollama NDJSON lines, OpenAI SSE chunks).
 */
import assert from "node:assert/strict";
import { FAKE_ERROR_MARKER, startFakeLlm } from "../../tests/support/fake_llm.ts";
import { createLlmClient, LlmError, type LlmSettings, UsageMeter } from "./mod.ts";
import type { ToolDefinition } from "./mod.ts";

const CLOCK: ToolDefinition = {
  name: "get_time",
  description: "Tells the time in a zone",
  input_schema: { type: "object", properties: { zone: { type: "string" } }, required: ["zone"] },
};
const ANSWER = "First paragraph, short.\n\nSecond one:\n\n```\ncode line\n```\n\nThe end.";

async function setup(provider: LlmSettings["provider"], max_retries = 2, timeout_secs = 10) {
  const fake = await startFakeLlm({ tokens_per_second: 2000 });
  const usage = new UsageMeter();
  const client = createLlmClient({
    provider,
    model: "test-model",
    api_key: "k",
    host: provider === "openai" ? `${fake.url}/v1` : fake.url,
    max_tokens_per_request: 256,
    timeout_secs,
    max_retries,
  }, { usage, sleep: () => Promise.resolve() });
  return { fake, client, usage };
}

const ask = (text: string) => ({
  system: "",
  messages: [{ role: "user" as const, content: text }],
});

for (const provider of ["anthropic", "ollama", "openai"] as const) {
  const test = (name: string, fn: () => Promise<void>) => Deno.test(`${provider}: ${name}`, fn);

  test("chat() with on_text streams the answer piece by piece and resolves it whole", async () => {
    const { fake, client, usage } = await setup(provider);
    await using _ = fake;
    fake.script(() => ({ text: ANSWER, usage: { input_tokens: 7, output_tokens: 20 } }));
    const pieces: string[] = [];
    const answer = await client.chat({ ...ask("hi"), on_text: (text) => pieces.push(text) });
    assert.equal((fake.requests[0]?.body as { stream?: unknown }).stream, true);
    assert.ok(pieces.length > 10, `many pieces, got ${pieces.length}`);
    assert.equal(pieces.join(""), ANSWER);
    assert.equal(answer.text, ANSWER);
    assert.equal(answer.stop_reason, "end_turn");
    assert.deepEqual(answer.usage, { input_tokens: 7, output_tokens: 20 });
    assert.equal(usage.totals().calls, 1);
  });

  test("chat() with on_text assembles a streamed tool call", async () => {
    const { fake, client } = await setup(provider);
    await using _ = fake;
    fake.script(() => ({
      text: "Let me look.",
      tool_calls: [{ name: "get_time", input: { zone: "UTC" } }],
    }));
    const pieces: string[] = [];
    const answer = await client.chat({
      ...ask("time?"),
      tools: [CLOCK],
      on_text: (text) => pieces.push(text),
    });
    assert.equal(answer.stop_reason, "tool_use");
    assert.equal(pieces.join(""), "Let me look.");
    const call = answer.content.find((block) => block.type === "tool_use");
    assert.ok(call?.type === "tool_use");
    assert.deepEqual([call.name, call.input], ["get_time", { zone: "UTC" }]);
  });

  test("chat() with on_text cut midway rejects with cut_off and is not retried", async () => {
    const { fake, client } = await setup(provider);
    await using _ = fake;
    fake.script(() => ({ text: ANSWER, cut_after_tokens: 4 }));
    const pieces: string[] = [];
    const error = await client.chat({ ...ask("hi"), on_text: (text) => pieces.push(text) })
      .then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof LlmError, `an LlmError, got ${error}`);
    assert.equal(error.cut_off, true);
    assert.equal(error.retryable, false);
    assert.equal(fake.chat_count, 1, "no second attempt");
    assert.ok(pieces.length > 0 && ANSWER.startsWith(pieces.join("")));
    assert.ok(pieces.join("").length < ANSWER.length);
  });

  test("chat() with on_text that fails before any text is retried as usual", async () => {
    const { fake, client } = await setup(provider);
    await using _ = fake;
    fake.failNext(529);
    const pieces: string[] = [];
    const answer = await client.chat({ ...ask("hi"), on_text: (text) => pieces.push(text) });
    assert.equal(answer.text, "echo: hi");
    assert.equal(pieces.join(""), "echo: hi");
    assert.equal(fake.chat_count, 2);
  });

  test("chat() with on_text: an event that is not JSON fails without quoting it", async () => {
    const { fake, client } = await setup(provider, 0);
    await using _ = fake;
    const body = provider === "ollama"
      ? `{"done":false}\n<html>${FAKE_ERROR_MARKER}</html>\n`
      : `data: <html>${FAKE_ERROR_MARKER}</html>\n\n`;
    const type = provider === "ollama" ? "application/x-ndjson" : "text/event-stream";
    fake.script(() => ({ status: 200, body, headers: { "content-type": type } }));
    const error = await client.chat({ ...ask("hi"), on_text: () => {} })
      .then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof LlmError, `an LlmError, got ${error}`);
    assert.match(error.message, /streamed something that is not its API's answer/);
    assert.ok(!error.message.includes(FAKE_ERROR_MARKER), error.message);
  });

  test("chat() with on_text: timeout_secs limits the wait for each piece, not the whole", async () => {
    const { fake, client } = await setup(provider, 0, 1);
    await using _ = fake;
    // About 2 s in all, a piece every 100 ms: well within a limit of 1 s per piece, even when a
    // busy machine holds a piece up for a few hundred milliseconds.
    const words = Array.from({ length: 20 }, (_, i) => `w${i}`).join(" ");
    fake.script(() => ({ text: words, tokens_per_second: 10 }));
    assert.equal((await client.chat({ ...ask("hi"), on_text: () => {} })).text, words);
    fake.script(() => ({ text: words, delay_ms: 2000 }));
    const error = await client.chat({ ...ask("hi"), on_text: () => {} })
      .then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof LlmError && error.kind === "timeout", `a timeout, got ${error}`);
  });
}
