// The `note` of a request (the current time): on Anthropic after every cached part, at the end of
// the last user message, with the cache breakpoints before it; elsewhere at the end of the system.
import assert from "node:assert/strict";
import { startFakeLlm } from "../../tests/support/fake_llm.ts";
import { createLlmClient, type LlmSettings } from "./mod.ts";

const NOTE = "[Current date and time: Tuesday 2026-12-01, 12:00 UTC]";

function settings(provider: LlmSettings["provider"], host: string): LlmSettings {
  return {
    provider,
    model: "fake-model",
    api_key: "key",
    host: provider === "openai" ? `${host}/v1` : host,
    max_tokens_per_request: 100,
    timeout_secs: 5,
    max_retries: 0,
  };
}

const request = {
  system: "Be brief.",
  messages: [
    { role: "user" as const, content: "first" },
    { role: "assistant" as const, content: "ok" },
    { role: "user" as const, content: "second" },
  ],
  cache: { stable_messages: 2 },
  note: NOTE,
};

Deno.test("anthropic: a note goes after the cached prefix, as the last block of the new message", async () => {
  await using fake = await startFakeLlm();
  await createLlmClient(settings("anthropic", fake.url)).chat(request);
  const body = fake.requests.at(-1)!.body as {
    system: { text: string; cache_control?: unknown }[];
    messages: { content: { type: string; text: string; cache_control?: unknown }[] }[];
  };
  assert.deepEqual(body.system, [{
    type: "text",
    text: "Be brief.",
    cache_control: { type: "ephemeral" },
  }]);
  assert.deepEqual(body.messages[1]!.content.at(-1)!.cache_control, { type: "ephemeral" });
  assert.deepEqual(body.messages[2]!.content, [
    { type: "text", text: "second" },
    { type: "text", text: NOTE },
  ]);
});

for (const provider of ["ollama", "openai"] as const) {
  Deno.test(`${provider}: a note goes at the end of the system prompt`, async () => {
    await using fake = await startFakeLlm();
    await createLlmClient(settings(provider, fake.url)).chat(request);
    const body = fake.requests.at(-1)!.body as { messages: { role: string; content: unknown }[] };
    assert.deepEqual(body.messages[0], { role: "system", content: `Be brief.\n\n${NOTE}` });
    assert.deepEqual(body.messages.at(-1), { role: "user", content: "second" });
  });
}

Deno.test("anthropic: in a tool round the note is after the last breakpoint too", async () => {
  await using fake = await startFakeLlm();
  await createLlmClient(settings("anthropic", fake.url)).chat({
    ...request,
    messages: [
      ...request.messages,
      { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "x", input: {} }] },
      {
        role: "user",
        content: [{ type: "tool_result", tool_use_id: "t1", content: "42", is_error: false }],
      },
    ],
    tools: [{ name: "x", description: "X", input_schema: { type: "object" } }],
  });
  const body = fake.requests.at(-1)!.body as {
    messages: { content: { type: string; text?: string; cache_control?: unknown }[] }[];
  };
  const last = body.messages.at(-1)!.content;
  assert.deepEqual(last.map((block) => [block.type, block.cache_control !== undefined]), [
    ["tool_result", true],
    ["text", false],
  ]);
  assert.equal(last[1]!.text, NOTE);
});
