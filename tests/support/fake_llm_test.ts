import assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import { Ollama } from "ollama";
import OpenAI from "openai";
import { FAKE_ERROR_MARKER, startFakeLlm, waitForRequests } from "./fake_llm.ts";

function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: "POST", body: JSON.stringify(body) });
}

const anthropicBody = (text: string, extra: Record<string, unknown> = {}) => ({
  model: "m",
  max_tokens: 10,
  messages: [{ role: "user", content: text }],
  ...extra,
});

Deno.test("startFakeLlm() echoes the last user message in the Anthropic format", async () => {
  await using fake = await startFakeLlm();
  const response = await post(`${fake.url}/v1/messages`, anthropicBody("hi there"));
  const message = await response.json();
  assert.equal(message.type, "message");
  assert.deepEqual(message.content, [{ type: "text", text: "echo: hi there" }]);
  assert.equal(message.stop_reason, "end_turn");
  assert.equal(fake.requests[0]?.path, "/v1/messages");
  assert.deepEqual(fake.requests[0]?.body, anthropicBody("hi there"));
});

Deno.test("startFakeLlm() streams a tool call over SSE that the Anthropic SDK assembles", async () => {
  await using fake = await startFakeLlm();
  fake.script(() => ({ text: "Let me look", tool_calls: [{ name: "lookup", input: { q: "x" } }] }));
  const sdk = new Anthropic({
    apiKey: "k",
    baseURL: fake.url,
    maxRetries: 0,
    // Set explicitly so the SDK reads no environment variable beyond ANTHROPIC_CUSTOM_HEADERS.
    webhookKey: null,
    logLevel: "off",
    openTelemetry: false,
  });
  const message = await sdk.messages.stream(anthropicBody("find x") as never).finalMessage();
  assert.deepEqual(message.content.map((block) => block.type), ["text", "tool_use"]);
  const call = message.content[1];
  assert.ok(call?.type === "tool_use");
  assert.deepEqual([call.name, call.input], ["lookup", { q: "x" }]);
  assert.equal(message.stop_reason, "tool_use");
});

Deno.test("startFakeLlm() answers Ollama chat streamed and not, and lists models", async () => {
  await using fake = await startFakeLlm({ models: ["llama-fake"] });
  const ollama = new Ollama({ host: fake.url });
  const messages = [{ role: "user", content: "ping" }];
  const whole = await ollama.chat({ model: "llama-fake", messages, stream: false });
  assert.equal(whole.message.content, "echo: ping");
  let streamed = "";
  for await (const part of await ollama.chat({ model: "llama-fake", messages, stream: true })) {
    streamed += part.message.content;
  }
  assert.equal(streamed, "echo: ping");
  const { models } = await ollama.list();
  assert.deepEqual(models.map((model) => model.name), ["llama-fake"]);
});

Deno.test("startFakeLlm() answers a tool result with done: <result> by default", async () => {
  await using fake = await startFakeLlm();
  const response = await post(`${fake.url}/api/chat`, {
    model: "m",
    stream: false,
    messages: [
      { role: "user", content: "time?" },
      { role: "assistant", content: "", tool_calls: [{ function: { name: "t", arguments: {} } }] },
      { role: "tool", content: "noon", tool_name: "t" },
    ],
  });
  assert.equal((await response.json()).message.content, "done: noon");
});

Deno.test("startFakeLlm() embeds texts into stable unit vectors", async () => {
  await using fake = await startFakeLlm({ embedding_dimensions: 4 });
  const ollama = new Ollama({ host: fake.url });
  const first = await ollama.embed({ model: "m", input: ["cat", "dog"] });
  const again = await ollama.embed({ model: "m", input: "cat" });
  assert.equal(first.embeddings.length, 2);
  assert.deepEqual(again.embeddings[0], first.embeddings[0]);
  assert.notDeepEqual(first.embeddings[0], first.embeddings[1]);
  for (const vector of first.embeddings) {
    assert.equal(vector.length, 4);
    assert.ok(Math.abs(Math.hypot(...vector) - 1) < 1e-9);
  }
});

Deno.test("startFakeLlm() answers OpenAI's /v1/embeddings with the vectors /api/embed gives", async () => {
  await using fake = await startFakeLlm({ embedding_dimensions: 4, api_key: "sk-test" });
  const post = (path: string, body: unknown, key = "sk-test") =>
    fetch(`${fake.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
    });
  const openai = await (await post("/v1/embeddings", { model: "m", input: ["cat", "dog"] })).json();
  const ollama = await (await post("/api/embed", { model: "m", input: ["cat", "dog"] })).json();
  assert.deepEqual(openai.data.map((item: { index: number }) => item.index), [0, 1]);
  assert.deepEqual(
    openai.data.map((item: { embedding: number[] }) => item.embedding),
    ollama.embeddings,
  );
  const refused = await post("/v1/embeddings", { model: "m", input: "cat" }, "wrong");
  assert.equal(refused.status, 401);
  await refused.body?.cancel();
});

Deno.test("failNext() fails that many requests with the marker, then answers again", async () => {
  await using fake = await startFakeLlm();
  fake.failNext(529, 2, { retry_after: "1" });
  const statuses = [];
  for (let i = 0; i < 3; i++) {
    const response = await post(`${fake.url}/v1/messages`, anthropicBody("x"));
    const text = await response.text();
    statuses.push(response.status);
    if (response.status === 529) {
      assert.ok(text.includes(FAKE_ERROR_MARKER));
      assert.equal(response.headers.get("retry-after"), "1");
    }
  }
  assert.deepEqual(statuses, [529, 529, 200]);
});

Deno.test("script() can answer with a raw status and body, and sees the offered tools", async () => {
  await using fake = await startFakeLlm();
  const seen: string[][] = [];
  fake.script((call) => {
    seen.push(call.tool_names);
    return { status: 418, body: "teapot" };
  });
  const response = await post(`${fake.url}/v1/messages`, {
    ...anthropicBody("x"),
    tools: [{ name: "brew", description: "", input_schema: { type: "object" } }],
  });
  assert.deepEqual([response.status, await response.text()], [418, "teapot"]);
  assert.deepEqual(seen, [["brew"]]);
});

Deno.test("waitForRequests() resolves once the requests arrived, even while they are delayed", async () => {
  await using fake = await startFakeLlm({ delay_ms: 30_000 });
  const pending = post(`${fake.url}/api/chat`, { model: "m", stream: false, messages: [] });
  await waitForRequests(fake, 1, { path: "/api/chat" });
  assert.equal(fake.requests.length, 1);
  await fake.close();
  // Closing cuts the delay short: the request is answered instead of hanging.
  await (await pending).body?.cancel();
});

Deno.test("waitForRequests() names what is missing when they do not arrive", async () => {
  await using fake = await startFakeLlm();
  await assert.rejects(waitForRequests(fake, 1, { path: "/api/embed", timeout_ms: 20 }), {
    message: 'Expected 1 requests on "/api/embed" within 20 ms',
  });
});

Deno.test("startFakeLlm() with record off keeps no requests but still counts them", async () => {
  await using fake = await startFakeLlm({ record: false });
  await (await fetch(`${fake.url}/api/tags`)).body?.cancel();
  await waitForRequests(fake, 1);
  assert.deepEqual([fake.requests.length, fake.request_count], [0, 1]);
});

Deno.test("startFakeLlm() refuses another API key and answers for the models it has only", async () => {
  await using fake = await startFakeLlm({ api_key: "right", models: ["known"] });
  const anthropic = (apiKey: string) =>
    new Anthropic({
      apiKey,
      baseURL: fake.url,
      maxRetries: 0,
      webhookKey: null,
      logLevel: "off",
      openTelemetry: false,
    });
  await assert.rejects(anthropic("wrong").models.retrieve("known"), { status: 401 });
  assert.equal((await anthropic("right").models.retrieve("known")).id, "known");
  await assert.rejects(anthropic("right").models.retrieve("other"), { status: 404 });
  await assert.rejects(
    anthropic("right").messages.create({
      model: "other",
      max_tokens: 1,
      messages: [{ role: "user", content: "x" }],
    }),
    { status: 404, type: "not_found_error" },
  );
  const ollama = new Ollama({ host: fake.url, headers: { authorization: "Bearer right" } });
  assert.deepEqual((await ollama.show({ model: "known" })).capabilities, ["completion", "tools"]);
  await assert.rejects(ollama.show({ model: "other" }), { status_code: 404 });
  const stranger = new Ollama({ host: fake.url });
  await assert.rejects(stranger.show({ model: "known" }), { status_code: 401 });
  assert.equal(fake.chat_count, 1, "only the chat with the unknown model was a chat");
});

function openAi(url: string): OpenAI {
  return new OpenAI({
    apiKey: "k",
    baseURL: `${url}/v1`,
    maxRetries: 0,
    organization: null,
    project: null,
    webhookSecret: null,
    logLevel: "off",
  });
}

Deno.test("startFakeLlm() answers OpenAI chat completions with text and a tool call", async () => {
  await using fake = await startFakeLlm();
  const sdk = openAi(fake.url);
  const echo = await sdk.chat.completions.create({
    model: "m",
    messages: [{ role: "user", content: [{ type: "text", text: "hi there" }] }],
  });
  assert.equal(echo.choices[0]?.message.content, "echo: hi there");
  assert.equal(echo.choices[0]?.finish_reason, "stop");
  fake.script(() => ({ tool_calls: [{ name: "lookup", input: { q: "x" } }] }));
  const called = await sdk.chat.completions.create({
    model: "m",
    messages: [{ role: "user", content: "find x" }],
    tools: [{ type: "function", function: { name: "lookup", parameters: { type: "object" } } }],
  });
  const call = called.choices[0]?.message.tool_calls?.[0];
  assert.ok(call?.type === "function");
  assert.deepEqual([call.function.name, JSON.parse(call.function.arguments)], ["lookup", {
    q: "x",
  }]);
  assert.equal(called.choices[0]?.finish_reason, "tool_calls");
  assert.deepEqual(fake.requests.map((r) => r.path), [
    "/v1/chat/completions",
    "/v1/chat/completions",
  ]);
});

Deno.test("startFakeLlm() streams OpenAI chunks that the SDK assembles, tool call and usage included", async () => {
  await using fake = await startFakeLlm();
  fake.script(() => ({
    text: "Let me look",
    tool_calls: [{ name: "lookup", input: { q: "a longer query" } }],
    usage: { input_tokens: 12, output_tokens: 5 },
  }));
  const stream = openAi(fake.url).chat.completions.stream({
    model: "m",
    messages: [{ role: "user", content: "find x" }],
    stream_options: { include_usage: true },
  });
  const completion = await stream.finalChatCompletion();
  const message = completion.choices[0]?.message;
  assert.equal(message?.content, "Let me look");
  const call = message?.tool_calls?.[0];
  assert.ok(call?.type === "function");
  assert.deepEqual([call.function.name, JSON.parse(call.function.arguments)], ["lookup", {
    q: "a longer query",
  }]);
  assert.equal(completion.choices[0]?.finish_reason, "tool_calls");
  assert.deepEqual([completion.usage?.prompt_tokens, completion.usage?.completion_tokens], [12, 5]);
});

Deno.test("startFakeLlm() answers OpenAI errors and model look-ups in OpenAI's format", async () => {
  await using fake = await startFakeLlm({ models: ["known"], api_key: "k" });
  const sdk = openAi(fake.url);
  assert.equal((await sdk.models.retrieve("known")).object, "model");
  const missing = await sdk.models.retrieve("other").catch((error) => error);
  assert.ok(missing instanceof OpenAI.NotFoundError);
  assert.equal(missing.code, "model_not_found");
  fake.failNext(429);
  const limited = await sdk.chat.completions.create({ model: "known", messages: [] }).catch((
    error,
  ) => error);
  assert.ok(limited instanceof OpenAI.RateLimitError);
  assert.match(limited.message, new RegExp(FAKE_ERROR_MARKER));
});
