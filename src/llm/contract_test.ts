/**
 * The contract every provider keeps, run against each one through its real SDK and a local
 * server speaking its wire format. Wire views translate a recorded request into the same shape
 * so the cases stay shared.
 */
import assert from "node:assert/strict";
import {
  FAKE_ERROR_MARKER,
  type RecordedRequest,
  startFakeLlm,
  waitForRequests,
} from "../../tests/support/fake_llm.ts";
import { createLlmClient, LlmError, type LlmSettings, UsageMeter } from "./mod.ts";
import type { ChatMessage, ContentBlock, ToolDefinition } from "./mod.ts";

const API_KEY = "sk-contract-secret-0123";
// A 1x1 transparent PNG.
const PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
const CLOCK: ToolDefinition = {
  name: "get_time",
  description: "Tells the time in a zone",
  input_schema: { type: "object", properties: { zone: { type: "string" } }, required: ["zone"] },
};

interface WireView {
  system(body: Wire): unknown;
  /** The conversation without the system prompt, as [role, text] pairs. */
  history(body: Wire): [string, string][];
  max_tokens(body: Wire): unknown;
  tool_names(body: Wire): string[];
  /** The last message's tool result as { tool, id?, content }. */
  tool_result(body: Wire): Record<string, unknown>;
  /** The images of the last message, base64. */
  images(body: Wire): string[];
  /** Whether the request lets the model call tools. */
  tools_allowed(body: Wire): boolean;
}

// deno-lint-ignore no-explicit-any
type Wire = any;

const VIEWS: Record<LlmSettings["provider"], WireView> = {
  anthropic: {
    system: (body) => body.system,
    history: (body) => body.messages.map((m: Wire) => [m.role, textOf(m.content)]),
    max_tokens: (body) => body.max_tokens,
    tool_names: (body) => (body.tools ?? []).map((t: Wire) => t.name),
    tool_result: (body) => {
      const last = body.messages.at(-1);
      const result = last.content.find((b: Wire) => b.type === "tool_result");
      const call = body.messages.at(-2).content.find((b: Wire) => b.type === "tool_use");
      return { role: last.role, tool: call.name, id: result.tool_use_id, content: result.content };
    },
    images: (body) =>
      body.messages.at(-1).content.filter((b: Wire) => b.type === "image").map((b: Wire) => {
        assert.deepEqual([b.source.type, b.source.media_type], ["base64", "image/png"]);
        return b.source.data;
      }),
    tools_allowed: (body) => body.tools !== undefined && body.tool_choice?.type !== "none",
  },
  ollama: {
    system: (body) => body.messages[0].role === "system" ? body.messages[0].content : undefined,
    history: (body) =>
      body.messages.filter((m: Wire) => m.role !== "system").map((m: Wire) => [m.role, m.content]),
    max_tokens: (body) => body.options.num_predict,
    tool_names: (body) => (body.tools ?? []).map((t: Wire) => t.function.name),
    tool_result: (body) => {
      const last = body.messages.at(-1);
      const call = body.messages.at(-2).tool_calls[0].function;
      assert.equal(last.tool_name, call.name);
      return { role: last.role, tool: last.tool_name, content: last.content };
    },
    images: (body) => body.messages.at(-1).images ?? [],
    tools_allowed: (body) => body.tools !== undefined,
  },
  openai: {
    system: (body) => body.messages[0].role === "system" ? body.messages[0].content : undefined,
    history: (body) =>
      body.messages.filter((m: Wire) => m.role !== "system").map((
        m: Wire,
      ) => [m.role, textOf(m.content)]),
    max_tokens: (body) => body.max_tokens,
    tool_names: (body) => (body.tools ?? []).map((t: Wire) => t.function.name),
    tool_result: (body) => {
      const last = body.messages.at(-1);
      const call = body.messages.at(-2).tool_calls[0];
      assert.equal(call.type, "function");
      assert.equal(last.tool_call_id, call.id);
      return {
        role: last.role,
        tool: call.function.name,
        id: last.tool_call_id,
        content: last.content,
      };
    },
    images: (body) =>
      body.messages.at(-1).content.filter((p: Wire) => p.type === "image_url").map((p: Wire) => {
        const prefix = "data:image/png;base64,";
        assert.ok(p.image_url.url.startsWith(prefix), p.image_url.url.slice(0, 40));
        return p.image_url.url.slice(prefix.length);
      }),
    tools_allowed: (body) => body.tools !== undefined && body.tool_choice !== "none",
  },
};

/** Where each provider's API lives on the fake: OpenAI's base URL has its version path. */
const hostOf = (provider: LlmSettings["provider"], url: string) =>
  provider === "openai" ? `${url}/v1` : url;

function textOf(content: string | null | { type: string; text?: string }[]): string {
  if (content === null) return "";
  return typeof content === "string"
    ? content
    : content.filter((b) => b.type === "text").map((b) => b.text).join("");
}

async function setup(provider: LlmSettings["provider"], overrides: Partial<LlmSettings> = {}) {
  const fake = await startFakeLlm();
  const usage = new UsageMeter();
  const delays: number[] = [];
  const client = createLlmClient({
    provider,
    model: "test-model",
    api_key: API_KEY,
    host: hostOf(provider, fake.url),
    max_tokens_per_request: 256,
    timeout_secs: 10,
    max_retries: 2,
    ...overrides,
  }, {
    usage,
    sleep: (ms) => {
      delays.push(ms);
      return Promise.resolve();
    },
  });
  const body = (index = -1): Wire => (fake.requests.at(index) as RecordedRequest).body;
  return { fake, client, usage, delays, body, view: VIEWS[provider] };
}

const user = (content: string | ContentBlock[]): ChatMessage => ({ role: "user", content });

for (const provider of ["anthropic", "ollama", "openai"] as const) {
  const test = (name: string, fn: () => Promise<void>) => Deno.test(`${provider}: ${name}`, fn);

  test("chat() returns the model's text", async () => {
    const { fake, client } = await setup(provider);
    await using _ = fake;
    const answer = await client.chat({ system: "", messages: [user("hello")] });
    assert.equal(answer.text, "echo: hello");
    assert.deepEqual(answer.content, [{ type: "text", text: "echo: hello" }]);
    assert.equal(answer.stop_reason, "end_turn");
    assert.equal(answer.model, "test-model");
  });

  test("chat() sends the system prompt, the history and the token cap", async () => {
    const { fake, client, body, view } = await setup(provider);
    await using _ = fake;
    const messages: ChatMessage[] = [
      user("first"),
      { role: "assistant", content: [{ type: "text", text: "echo: first" }] },
      user("second"),
    ];
    await client.chat({ system: "Be brief", messages, max_tokens: 100_000 });
    assert.equal(view.system(body()), "Be brief");
    assert.deepEqual(view.history(body()), [
      ["user", "first"],
      ["assistant", "echo: first"],
      ["user", "second"],
    ]);
    assert.equal(view.max_tokens(body()), 256);
    await client.chat({ system: "", messages: [user("x")], max_tokens: 50 });
    assert.equal(view.system(body()), undefined);
    assert.equal(view.max_tokens(body()), 50);
  });

  test("chat() offers tools, parses a tool call and sends its result back", async () => {
    const { fake, client, body, view } = await setup(provider);
    await using _ = fake;
    fake.script((call) =>
      call.last_is_tool_result
        ? { text: `It is ${call.tool_results[0]}` }
        : { tool_calls: [{ name: "get_time", input: { zone: "UTC" } }] }
    );
    const messages: ChatMessage[] = [user("What time is it?")];
    const first = await client.chat({ system: "", messages, tools: [CLOCK] });
    assert.deepEqual(view.tool_names(body()), ["get_time"]);
    assert.equal(first.stop_reason, "tool_use");
    const call = first.content.find((b) => b.type === "tool_use");
    assert.ok(call?.type === "tool_use" && call.id.length > 0, "a tool_use block with an id");
    assert.deepEqual([call.name, call.input], ["get_time", { zone: "UTC" }]);

    messages.push({ role: "assistant", content: first.content });
    messages.push(user([{ type: "tool_result", tool_use_id: call.id, content: "12:00" }]));
    const second = await client.chat({ system: "", messages, tools: [CLOCK] });
    assert.equal(second.text, "It is 12:00");
    const sent = view.tool_result(body());
    assert.equal(sent.tool, "get_time");
    assert.equal(sent.content, "12:00");
    if (provider !== "ollama") assert.equal(sent.id, call.id);
  });

  test('chat() with tool_choice "none" lets the model call no tool', async () => {
    const { fake, client, body, view } = await setup(provider);
    await using _ = fake;
    await client.chat({ system: "", messages: [user("hi")], tools: [CLOCK], tool_choice: "none" });
    assert.equal(view.tools_allowed(body()), false);
    await client.chat({ system: "", messages: [user("hi")], tools: [CLOCK] });
    assert.equal(view.tools_allowed(body()), true);
  });

  test("chat() sends an image block in the provider's format", async () => {
    const { fake, client, body, view } = await setup(provider);
    await using _ = fake;
    const content: ContentBlock[] = [
      { type: "text", text: "What is this?" },
      { type: "image", media_type: "image/png", data: PNG },
    ];
    const answer = await client.chat({ system: "", messages: [user(content)] });
    assert.equal(answer.text, "echo: What is this?");
    assert.deepEqual(view.images(body()), [PNG]);
  });

  test("chat() records usage in the meter", async () => {
    const { fake, client, usage } = await setup(provider);
    await using _ = fake;
    fake.script(() => ({ text: "ok", usage: { input_tokens: 11, output_tokens: 7 } }));
    const answer = await client.chat({ system: "", messages: [user("a")] });
    await client.chat({ system: "", messages: [user("b")] });
    assert.deepEqual(answer.usage, { input_tokens: 11, output_tokens: 7 });
    assert.deepEqual(usage.totals(), {
      calls: 2,
      failed_calls: 0,
      input_tokens: 22,
      output_tokens: 14,
    });
  });

  test("chat() reports the prompt cache's tokens apart from the input, where the API has them", async () => {
    const { fake, client } = await setup(provider);
    await using _ = fake;
    fake.script(() => ({
      text: "ok",
      usage: { input_tokens: 11, output_tokens: 7, cache_read_tokens: 40, cache_write_tokens: 5 },
    }));
    const answer = await client.chat({ system: "", messages: [user("a")] });
    const expected = {
      anthropic: {
        input_tokens: 11,
        output_tokens: 7,
        cache_read_tokens: 40,
        cache_write_tokens: 5,
      },
      // OpenAI reports reads only (inside prompt_tokens); Ollama no cache at all.
      openai: { input_tokens: 11, output_tokens: 7, cache_read_tokens: 40 },
      ollama: { input_tokens: 11, output_tokens: 7 },
    }[provider];
    assert.deepEqual(answer.usage, expected);
  });

  test("chat() retries once after a 500 and succeeds", async () => {
    const { fake, client, delays } = await setup(provider);
    await using _ = fake;
    fake.failNext(500);
    const answer = await client.chat({ system: "", messages: [user("again")] });
    assert.equal(answer.text, "echo: again");
    assert.equal(fake.requests.length, 2);
    assert.equal(delays.length, 1);
  });

  test("chat() waits the retry-after of a 429", async () => {
    const { fake, client, delays } = await setup(provider);
    await using _ = fake;
    fake.failNext(429, 1, { retry_after: "3" });
    await client.chat({ system: "", messages: [user("x")] });
    assert.deepEqual(delays, [3000]);
  });

  test('chat() fails at once with kind "auth" on a 401', async () => {
    const { fake, client, usage } = await setup(provider);
    await using _ = fake;
    fake.failNext(401, 5);
    await assert.rejects(client.chat({ system: "", messages: [user("x")] }), (error) => {
      assert.ok(error instanceof LlmError);
      assert.deepEqual([error.kind, error.status, error.retryable], ["auth", 401, false]);
      return true;
    });
    assert.equal(fake.requests.length, 1);
    assert.equal(usage.totals().failed_calls, 1);
  });

  test("chat() error messages hold neither the response body nor the API key", async () => {
    const { fake, client } = await setup(provider, { max_retries: 0 });
    await using _ = fake;
    for (const status of [400, 401, 404, 429, 500, 529]) {
      fake.failNext(status);
      const error = await client.chat({ system: "", messages: [user("x")] }).catch((e) => e);
      assert.ok(error instanceof LlmError, `HTTP ${status} gives an LlmError`);
      assert.equal(error.status, status);
      assert.ok(!error.message.includes(FAKE_ERROR_MARKER), `body in: ${error.message}`);
      assert.ok(!String(error.stack).includes(API_KEY), `key in: ${error.message}`);
    }
  });

  test('chat() fails with kind "timeout" when the model is too slow', async () => {
    const { fake, client } = await setup(provider, { timeout_secs: 0.2 });
    await using _ = fake;
    fake.setDelay(30_000);
    await assert.rejects(client.chat({ system: "", messages: [user("x")] }), { kind: "timeout" });
    assert.equal(fake.requests.length, 1);
  });

  test("chat() rejects with the caller's reason when the caller aborts", async () => {
    const { fake, client } = await setup(provider);
    await using _ = fake;
    fake.setDelay(30_000);
    const controller = new AbortController();
    const reason = new DOMException("Conversation closed", "AbortError");
    const pending = client.chat({ system: "", messages: [user("x")], signal: controller.signal });
    await waitForRequests(fake, 1);
    controller.abort(reason);
    await assert.rejects(pending, (error) => error === reason);
    assert.equal(fake.requests.length, 1);
  });

  test('chat() fails with kind "network" when nothing listens, after retrying', async () => {
    const { fake, client, delays } = await setup(provider);
    await fake.close();
    await assert.rejects(client.chat({ system: "", messages: [user("x")] }), { kind: "network" });
    assert.equal(delays.length, 2);
  });
}

Deno.test("anthropic: chat() sends the API key and a PDF document block", async () => {
  const { fake, client, body } = await setup("anthropic");
  await using _ = fake;
  const pdf = btoa("%PDF-1.4 fake");
  await client.chat({
    system: "",
    messages: [user([{ type: "document", media_type: "application/pdf", data: pdf, name: "cv" }])],
  });
  const headers = fake.requests[0]!.headers;
  assert.ok(`${headers["x-api-key"]} ${headers["authorization"]}`.includes(API_KEY));
  assert.deepEqual(body().messages[0].content[0], {
    type: "document",
    source: { type: "base64", media_type: "application/pdf", data: pdf },
    title: "cv",
  });
});

Deno.test("ollama: chat() turns a document into a note the model can read", async () => {
  const { fake, client, body } = await setup("ollama");
  await using _ = fake;
  await client.chat({
    system: "",
    messages: [user([{ type: "document", media_type: "application/pdf", data: "", name: "cv" }])],
  });
  assert.match(body().messages[0].content, /document "cv" \(application\/pdf\)/);
});

Deno.test("createLlmClient() refuses an Anthropic client without an API key", () => {
  assert.throws(
    () =>
      createLlmClient({
        provider: "anthropic",
        model: "m",
        host: "http://127.0.0.1:1",
        max_tokens_per_request: 1,
        timeout_secs: 1,
        max_retries: 0,
      }),
    { name: "TypeError", message: /"api_key" is missing/ },
  );
});

Deno.test("openai: chat() sends the API key as a bearer token, and no header without one", async () => {
  const { fake, client } = await setup("openai");
  await using _ = fake;
  await client.chat({ system: "", messages: [user("x")] });
  assert.equal(fake.requests[0]!.path, "/v1/chat/completions");
  assert.equal(fake.requests[0]!.headers["authorization"], `Bearer ${API_KEY}`);
  const { fake: open, client: keyless } = await setup("openai", { api_key: undefined });
  await using __ = open;
  assert.equal((await keyless.chat({ system: "", messages: [user("y")] })).text, "echo: y");
  assert.equal(open.requests[0]!.headers["authorization"], undefined);
});

Deno.test("openai: chat() sends max_completion_tokens to OpenAI's own host", async () => {
  await using fake = await startFakeLlm();
  const client = createLlmClient({
    provider: "openai",
    model: "test-model",
    api_key: API_KEY,
    host: "https://api.openai.com/v1",
    max_tokens_per_request: 300,
    timeout_secs: 10,
    max_retries: 0,
  }, {
    // The real host is out of reach: the same request goes to the fake instead.
    fetch: (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      return fetch(`${fake.url}${url.pathname}`, init);
    },
  });
  await client.chat({ system: "", messages: [user("x")] });
  const body = fake.requests[0]!.body as Wire;
  assert.deepEqual([body.max_completion_tokens, body.max_tokens], [300, undefined]);
});

Deno.test("openai: chat() marks a failed tool result and keeps text after tool results", async () => {
  const { fake, client, body } = await setup("openai");
  await using _ = fake;
  await client.chat({
    system: "",
    messages: [
      user("time?"),
      { role: "assistant", content: [{ type: "tool_use", id: "c1", name: "get_time", input: {} }] },
      user([
        { type: "tool_result", tool_use_id: "c1", content: "no clock", is_error: true },
        { type: "text", text: "and hurry" },
      ]),
    ],
    tools: [CLOCK],
  });
  const wire = body().messages;
  assert.deepEqual(wire[1], {
    role: "assistant",
    content: null,
    tool_calls: [{ id: "c1", type: "function", function: { name: "get_time", arguments: "{}" } }],
  });
  assert.deepEqual(wire.slice(2), [
    { role: "tool", tool_call_id: "c1", content: "Error: no clock" },
    { role: "user", content: "and hurry" },
  ]);
});

Deno.test("openai: chat() inlines a text document and notes a PDF", async () => {
  const { fake, client, body } = await setup("openai");
  await using _ = fake;
  await client.chat({
    system: "",
    messages: [user([
      { type: "document", media_type: "text/plain", data: btoa("line one"), name: "notes" },
      { type: "document", media_type: "application/pdf", data: "", name: "cv" },
    ])],
  });
  assert.deepEqual(body().messages[0].content.map((p: Wire) => p.text), [
    '[Attached document "notes"]\nline one',
    '[Attached document "cv" (application/pdf) cannot be read by this model]',
  ]);
});

Deno.test("openai: chat() reads tool arguments that are not JSON as none", async () => {
  const { fake, client } = await setup("openai");
  await using _ = fake;
  fake.script(() => ({
    status: 200,
    body: {
      id: "c",
      object: "chat.completion",
      created: 0,
      model: "test-model",
      choices: [{
        index: 0,
        finish_reason: "tool_calls",
        message: {
          role: "assistant",
          content: null,
          tool_calls: [{
            id: "t1",
            type: "function",
            function: { name: "get_time", arguments: "{zone" },
          }],
        },
      }],
    },
  }));
  const answer = await client.chat({ system: "", messages: [user("x")], tools: [CLOCK] });
  assert.deepEqual(answer.content, [{ type: "tool_use", id: "t1", name: "get_time", input: {} }]);
  assert.equal(answer.stop_reason, "tool_use");
});

Deno.test("createLlmClient() routes between models when given the config's model ids", async () => {
  await using fake = await startFakeLlm();
  const usage = new UsageMeter();
  const llm = createLlmClient({
    provider: "ollama",
    model: "down-model",
    host: "http://127.0.0.1:1",
    default: "ollama:down-model",
    fallback: ["openai:test-model"],
    tiers: { light: "anthropic:small-model" },
    providers: {
      ollama: { host: "http://127.0.0.1:1" },
      anthropic: { api_key: API_KEY, host: fake.url },
      openai: { host: `${fake.url}/v1` },
    },
    max_tokens_per_request: 64,
    timeout_secs: 5,
    max_retries: 0,
  }, { usage });
  const light = await llm.chat({ system: "", messages: [user("sum up")] }, { tier: "light" });
  assert.deepEqual([light.text, light.model, light.model_id], [
    "echo: sum up",
    "small-model",
    "anthropic:small-model",
  ]);
  // Nothing listens on the default's port: the fallback answers, through its own API.
  const answer = await llm.chat({ system: "", messages: [user("hello")] });
  assert.equal(answer.model_id, "openai:test-model");
  assert.deepEqual(fake.requests.map((r) => r.path), ["/v1/messages", "/v1/chat/completions"]);
  assert.deepEqual(usage.totals().last_answer, {
    model: "openai:test-model",
    tier: "standard",
    instead_of: "ollama:down-model",
  });
});
