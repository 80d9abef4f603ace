/**
 * A local HTTP server that speaks the LLM wire formats the agent uses, so tests and benchmarks
 * run the real SDKs with no real model:
 * - Anthropic Messages API: `POST /v1/messages` (JSON, or SSE when the body asks `stream: true`),
 *   `GET /v1/models/{model}`
 * - Ollama: `POST /api/chat` (JSON when `stream: false`, else NDJSON), `GET /api/tags`,
 *   `POST /api/show`, `POST /api/embed`, `GET /api/version`
 * - OpenAI Chat Completions (host `{url}/v1`): `POST /v1/chat/completions` (JSON, or SSE chunks
 *   when the body asks `stream: true`), `GET /v1/models/{model}` (a look-up without Anthropic's
 *   `anthropic-version` header is answered in OpenAI's format)
 * - OpenAI-compatible embeddings: `POST /v1/embeddings` (the same vectors as `/api/embed`)
 *
 * Like the real APIs, it can refuse a wrong API key (401) and models it does not have (404).
 *
 * By default a chat answers `echo: <last user text>` (without the agent's note of the current
 * time), or `done: <tool result>` when the last message carries tool results. Nothing is logged per request.
 *
 * A streamed answer is written out whole at once, or, with a token rate
 * (`tokens_per_second`, `setTokenRate()`, or a turn's own), one event per token (a word with
 * its spaces, or a run of line breaks) at that rate (an answer not streamed then comes when
 * all its tokens would have been written); a turn with `cut_after_tokens` breaks the
 * connection off after that many tokens.
 *
 * @module
 */

import { openAiCompletion, openAiError, openAiModel, openAiStream } from "./_fake_openai.ts";
import { PromptCacheSim } from "./_fake_anthropic_cache.ts";
import {
  anthropicEvents,
  ollamaEvents,
  pacedResponse,
  type StreamEvents,
  tokensOf,
} from "./_fake_stream.ts";

/** A distinctive string inside every error body the fake sends; error messages must not show it. */
export const FAKE_ERROR_MARKER = "fake-llm-error-body-5e1d";

/** A request as the fake received it. */
export interface RecordedRequest {
  method: string;
  /** The URL path, e.g. `/v1/messages`. */
  path: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The parsed JSON body; `undefined` when there was none. */
  body: unknown;
  /** Arrival time, epoch milliseconds. */
  time: number;
}

/** A tool call the fake model makes. */
export interface FakeToolCall {
  /** The call's id (Anthropic `tool_use`, OpenAI `tool_calls`). @default {"toolu_fake_<n>" / "call_fake_<n>"} */
  id?: string;
  name: string;
  input: Record<string, unknown>;
}

/** A model answer, rendered in whichever wire format was asked. */
export interface FakeTurn {
  text?: string;
  tool_calls?: FakeToolCall[];
  /** @default {"tool_use" when there are tool calls, else "end_turn"} */
  stop_reason?: "end_turn" | "tool_use" | "max_tokens";
  /**
   * The tokens reported; the prompt cache's, when given, as each API says them (Anthropic's
   * `cache_read_input_tokens`/`cache_creation_input_tokens`, OpenAI's `cached_tokens` inside
   * `prompt_tokens`; Ollama has none). @default {about one token per four characters}
   */
  usage?: FakeUsage;
  /** Wait before answering. @default {the delay set with setDelay()} */
  delay_ms?: number;
  /** Streamed: text tokens per second. @default {the rate set with setTokenRate()} */
  tokens_per_second?: number;
  /**
   * Streamed: break the connection off after this many text tokens, before the answer's end.
   * @default {never}
   */
  cut_after_tokens?: number;
}

/** Tokens a fake answer reports. */
export interface FakeUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens?: number;
  cache_write_tokens?: number;
}

/** A raw HTTP answer, e.g. an error. Without `body`, an error status gets the API's error body. */
export interface FakeRawReply {
  status: number;
  /** A string is sent as text/plain, anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  delay_ms?: number;
}

/** What a script returns; `undefined` means the default answer. */
export type FakeReply = FakeTurn | FakeRawReply | undefined;

/** What a script sees of one chat request. */
export interface FakeCall {
  api: "anthropic" | "ollama" | "openai";
  request: RecordedRequest;
  /** The text of the last user message ("" when none). */
  last_user_text: string;
  /** Whether the last message carries tool results (Anthropic `tool_result`, else `tool`). */
  last_is_tool_result: boolean;
  /** The tool result contents of the last message. */
  tool_results: string[];
  /** The names of the tools the request offers. */
  tool_names: string[];
  /** 0 for the first chat request this fake has seen. */
  index: number;
}

/** Decides the answer to a chat request. */
export type FakeHandler = (call: FakeCall) => FakeReply | Promise<FakeReply>;

/** Options of {@linkcode startFakeLlm}. */
export interface FakeLlmOptions {
  /** The initial script. @default {echo} */
  handler?: FakeHandler;
  /** Delay before every chat answer, in milliseconds. @default {0} */
  delay_ms?: number;
  /** Text tokens per second of every streamed answer. @default {all at once} */
  tokens_per_second?: number;
  /** Keep every request in `requests`; turn off for long benchmarks. @default {true} */
  record?: boolean;
  /**
   * The models the fake has: `GET /api/tags` lists them, and a chat, `GET /v1/models/{model}`
   * or `POST /api/show` for any other answers 404 with the API's "not found" error.
   * @default {every model is there; `/api/tags` lists ["fake-model"]}
   */
  models?: string[];
  /**
   * The only API key accepted (Anthropic `x-api-key`, or a bearer token): any other gets 401
   * with the API's authentication error. @default {any key, or none}
   */
  api_key?: string;
  /** Length of the vectors `POST /api/embed` and `POST /v1/embeddings` return. @default {8} */
  embedding_dimensions?: number;
  /**
   * Apply Anthropic's prompt caching rules (see `_fake_anthropic_cache.ts`) to `/v1/messages`:
   * the usage then counts cached tokens as the API does, and more than 4 breakpoints is a 400.
   * A clock may be given, for a test of the 5-minute lifetime. @default {false}
   */
  prompt_cache?: boolean | { now: () => number };
}

/** A running fake. */
export interface FakeLlm extends AsyncDisposable {
  /** Base URL, e.g. `http://127.0.0.1:43117`; use it as the provider host. */
  readonly url: string;
  readonly port: number;
  /** Requests received so far, oldest first (empty when `record` is off). */
  readonly requests: RecordedRequest[];
  /** Requests received so far, counted even when `record` is off. */
  readonly request_count: number;
  /** Chat requests (`/v1/messages`, `/api/chat`, `/v1/chat/completions`) received so far. */
  readonly chat_count: number;
  /** Replaces the script; `undefined` restores the echo. */
  script(handler: FakeHandler | undefined): void;
  /** Sets the delay before every chat answer that does not set its own. */
  setDelay(ms: number): void;
  /** Sets the token rate of every streamed answer that does not set its own; `undefined`: all at once. */
  setTokenRate(tokens_per_second: number | undefined): void;
  /**
   * Makes the next `count` API requests (chat, embed, model look-ups; not `/api/tags` or
   * `/api/version`) fail with `status` and an error body holding {@linkcode FAKE_ERROR_MARKER},
   * before the script runs.
   */
  failNext(status: number, count?: number, options?: { retry_after?: string }): void;
  /** Stops the server, cutting any delayed answer short. */
  close(): Promise<void>;
}

type Waiter = { count: number; path: string | undefined; resolve: () => void };

/**
 * Starts a fake LLM server on a free loopback port.
 *
 * @param options Initial script, delay, recording, model list
 * @returns The running fake; close it when done (or `await using fake = await startFakeLlm()`)
 *
 * @example
 * ```ts
 * await using fake = await startFakeLlm();
 * fake.script(({ last_user_text }) =>
 *   last_user_text.includes("weather")
 *     ? { tool_calls: [{ name: "get_weather", input: { city: "Paris" } }] }
 *     : undefined
 * );
 * ```
 */
export function startFakeLlm(options: FakeLlmOptions = {}): Promise<FakeLlm> {
  const record = options.record ?? true;
  const models = options.models ?? ["fake-model"];
  const known = (model: unknown) => options.models === undefined || models.includes(String(model));
  const dimensions = options.embedding_dimensions ?? 8;
  const closing = new AbortController();
  const requests: RecordedRequest[] = [];
  const counts = new Map<string, number>();
  const failures: { status: number; left: number; retry_after: string | undefined }[] = [];
  const waiters: Waiter[] = [];
  let handler = options.handler;
  let delay_ms = options.delay_ms ?? 0;
  let token_rate = options.tokens_per_second;
  let total = 0;
  let chats = 0;
  let chat_index = 0;
  let next_id = 1;
  const cache = options.prompt_cache === undefined || options.prompt_cache === false
    ? undefined
    : new PromptCacheSim(options.prompt_cache === true ? Date.now : options.prompt_cache.now);

  async function serve(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const path = url.pathname;
    let body: unknown;
    if (req.method === "POST") {
      const text = await req.text();
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        return Response.json({ error: "Body is not JSON" }, { status: 400 });
      }
    }
    const recorded: RecordedRequest = {
      method: req.method,
      path,
      headers: record ? Object.fromEntries(req.headers) : {},
      body,
      time: Date.now(),
    };
    if (record) requests.push(recorded);
    total++;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    notify();
    const api = apiOf(path, req.headers);
    const isChat = req.method === "POST" &&
      (path === "/v1/messages" || path === "/api/chat" || path === "/v1/chat/completions");
    if (isChat) chats++;
    const apiRequest = req.method === "POST" || path.startsWith("/v1/models/");
    if (options.api_key !== undefined && apiRequest) {
      const given = req.headers.get("x-api-key") ??
        req.headers.get("authorization")?.replace(/^Bearer /, "");
      if (given !== options.api_key) return errorResponse(api, 401, {});
    }
    const failure = apiRequest ? failures[0] : undefined;
    if (failure) {
      if (--failure.left <= 0) failures.shift();
      const headers = failure.retry_after ? { "retry-after": failure.retry_after } : {};
      return errorResponse(api, failure.status, headers);
    }
    const model = path.startsWith("/v1/models/")
      ? decodeURIComponent(path.slice("/v1/models/".length))
      : (body as { model?: unknown } | undefined)?.model;
    if ((isChat || path === "/api/show" || path.startsWith("/v1/models/")) && !known(model)) {
      return notFound(api, String(model));
    }
    if (isChat) return await chat(api, recorded);
    if (req.method === "GET" && path.startsWith("/v1/models/") && api === "openai") {
      return Response.json(openAiModel(String(model)));
    }
    if (req.method === "GET" && path.startsWith("/v1/models/")) {
      return Response.json({
        type: "model",
        id: model,
        display_name: String(model),
        created_at: "2025-01-01T00:00:00Z",
      });
    }
    if (req.method === "POST" && path === "/api/show") return show(String(model));
    if (req.method === "POST" && path === "/api/embed") return embed(recorded.body, dimensions);
    if (req.method === "POST" && path === "/v1/embeddings") {
      return openAiEmbed(recorded.body, dimensions);
    }
    if (req.method === "GET" && path === "/api/tags") return tags(models);
    if (req.method === "GET" && path === "/api/version") return Response.json({ version: "0.0.0" });
    return errorResponse(api, 404, {});
  }

  async function chat(
    api: FakeCall["api"],
    request: RecordedRequest,
  ): Promise<Response> {
    const wire = (request.body ?? {}) as WireBody;
    const cached = api === "anthropic" && cache !== undefined
      ? cache.apply(request.body as Record<string, unknown>)
      : undefined;
    if (cached !== undefined && "error" in cached) {
      return Response.json({
        type: "error",
        error: { type: "invalid_request_error", message: cached.error },
      }, { status: 400 });
    }
    const call = describeCall(api, request, wire, chat_index++);
    let reply: FakeReply;
    try {
      reply = handler ? await handler(call) : undefined;
    } catch (error) {
      console.error("Fake LLM script threw:", error);
      return Response.json({ error: "Fake LLM script threw" }, { status: 500 });
    }
    const turn: FakeTurn | FakeRawReply = reply ?? {
      text: call.last_is_tool_result
        ? `done: ${call.tool_results.join("\n")}`
        : `echo: ${call.last_user_text}`,
    };
    // Not req.signal: listening to it makes Deno warn on every completed response.
    await pause(turn.delay_ms ?? delay_ms, closing.signal);
    if ("status" in turn) return rawResponse(api, turn);
    const id = next_id++;
    const prefix = api === "openai" ? "call_fake" : "toolu_fake";
    const calls = (turn.tool_calls ?? []).map((c, i) => ({
      ...c,
      id: c.id ?? `${prefix}_${id}_${i}`,
    }));
    const text = turn.text ?? "";
    const output_tokens = Math.max(1, Math.ceil((text.length + JSON.stringify(calls).length) / 4));
    const usage: FakeUsage = turn.usage ?? (cached === undefined
      ? {
        input_tokens: Math.ceil(
          (JSON.stringify(wire.messages ?? []).length +
            (typeof wire.system === "string"
              ? wire.system.length
              : JSON.stringify(wire.system ?? []).length)) / 4,
        ),
        output_tokens,
      }
      : {
        input_tokens: cached.input_tokens,
        output_tokens,
        cache_read_tokens: cached.cache_read_input_tokens,
        cache_write_tokens: cached.cache_creation_input_tokens,
      });
    const stop = turn.stop_reason ?? (calls.length ? "tool_use" : "end_turn");
    const model = typeof wire.model === "string" ? wire.model : "fake-model";
    const rate = turn.tokens_per_second ?? token_rate;
    const paced = rate !== undefined || turn.cut_after_tokens !== undefined;
    const streamed = (events: StreamEvents) =>
      pacedResponse(events, {
        tokens_per_second: rate,
        cut_after_tokens: turn.cut_after_tokens,
        signal: closing.signal,
      });
    // Not streamed, the answer comes once all of it is written, at the same rate.
    const whole = async (body: unknown) => {
      if (rate !== undefined && rate > 0) {
        await pause((tokensOf(text, true).length * 1000) / rate, closing.signal);
      }
      return Response.json(body);
    };
    if (api === "openai") {
      const completion = {
        id: `chatcmpl-fake-${id}`,
        model,
        text,
        calls,
        stop_reason: stop,
        usage,
      };
      return wire.stream
        ? streamed(openAiStream(completion, wire.stream_options?.include_usage === true, paced))
        : await whole(openAiCompletion(completion));
    }
    if (api === "anthropic") {
      const message = anthropicMessage(`msg_fake_${id}`, model, text, calls, stop, usage);
      return wire.stream ? streamed(anthropicEvents(message, paced)) : await whole(message);
    }
    const done = {
      model,
      created_at: new Date().toISOString(),
      message: {
        role: "assistant",
        content: text,
        ...(calls.length
          ? { tool_calls: calls.map((c) => ({ function: { name: c.name, arguments: c.input } })) }
          : {}),
      },
      done: true,
      done_reason: stop === "max_tokens" ? "length" : "stop",
      total_duration: 0,
      load_duration: 0,
      prompt_eval_count: usage.input_tokens,
      prompt_eval_duration: 0,
      eval_count: usage.output_tokens,
      eval_duration: 0,
    };
    if (wire.stream === false) return await whole(done);
    return streamed(ollamaEvents(done, paced));
  }

  function notify(): void {
    for (let i = waiters.length - 1; i >= 0; i--) {
      const waiter = waiters[i]!;
      if ((waiter.path === undefined ? total : counts.get(waiter.path) ?? 0) >= waiter.count) {
        waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: closing.signal, onListen() {} },
    serve,
  );
  const port = server.addr.port;
  const fake: FakeLlm & { [WAIT]: typeof wait } = {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    get request_count() {
      return total;
    },
    get chat_count() {
      return chats;
    },
    script(next) {
      handler = next;
    },
    setDelay(ms) {
      delay_ms = ms;
    },
    setTokenRate(rate) {
      token_rate = rate;
    },
    failNext(status, count = 1, failure_options = {}) {
      failures.push({ status, left: count, retry_after: failure_options.retry_after });
    },
    async close() {
      closing.abort();
      await server.finished;
    },
    [Symbol.asyncDispose]() {
      return fake.close();
    },
    [WAIT]: wait,
  };
  function wait(count: number, path: string | undefined): Promise<void> {
    return new Promise((resolve) => {
      waiters.push({ count, path, resolve });
      notify();
    });
  }
  return Promise.resolve(fake);
}

const WAIT = Symbol("wait");

/**
 * Resolves once the fake has received `count` requests in all (or on `options.path`).
 *
 * @param fake A fake from {@linkcode startFakeLlm}
 * @param count The number of requests to wait for
 * @param options `path` to count only one endpoint; `timeout_ms` @default {5000}
 * @throws {Error} when they have not arrived within the timeout
 */
export async function waitForRequests(
  fake: FakeLlm,
  count: number,
  options: { path?: string; timeout_ms?: number } = {},
): Promise<void> {
  const { path, timeout_ms = 5000 } = options;
  const wait = (fake as FakeLlm & { [WAIT]?: (n: number, p?: string) => Promise<void> })[WAIT];
  if (!wait) throw new TypeError("Cannot wait: the fake was not made by startFakeLlm()");
  let id: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    id = setTimeout(() => {
      reject(
        new Error(
          `Expected ${count} requests${path ? ` on "${path}"` : ""} within ${timeout_ms} ms`,
        ),
      );
    }, timeout_ms);
  });
  try {
    await Promise.race([wait(count, path), timeout]);
  } finally {
    clearTimeout(id);
  }
}

interface WireBody {
  model?: unknown;
  system?: string | { text?: string }[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  messages?: { role: string; content: unknown }[];
  tools?: { name?: string; function?: { name?: string } }[];
}

type WireBlock = { type?: string; text?: string; content?: unknown };

function describeCall(
  api: FakeCall["api"],
  request: RecordedRequest,
  wire: WireBody,
  index: number,
) {
  const messages = wire.messages ?? [];
  const last = messages.at(-1);
  const lastUser = messages.findLast((m) => m.role === "user");
  const blocks = (content: unknown): WireBlock[] =>
    typeof content === "string"
      ? [{ type: "text", text: content }]
      : (content as WireBlock[]) ?? [];
  // The agent's note of the current time is left out, so that the echo answers what was said.
  const textOf = (content: unknown) =>
    blocks(content).filter((b) => b.type === "text" && !isTimeNote(b.text))
      .map((b) => b.text ?? "").join("\n");
  let tool_results: string[];
  if (api === "anthropic") {
    tool_results = blocks(last?.content).filter((b) => b.type === "tool_result").map((b) =>
      typeof b.content === "string" ? b.content : textOf(b.content)
    );
  } else {
    const trailing = messages.slice(messages.findLastIndex((m) => m.role !== "tool") + 1);
    tool_results = trailing.map((m) => String(m.content));
  }
  return {
    api,
    request,
    last_user_text: lastUser ? textOf(lastUser.content) : "",
    last_is_tool_result: tool_results.length > 0,
    tool_results,
    tool_names: (wire.tools ?? []).map((t) => t.name ?? t.function?.name ?? ""),
    index,
  } satisfies FakeCall;
}

function isTimeNote(text: string | undefined): boolean {
  return text?.startsWith("[Current date and time: ") === true;
}

function anthropicMessage(
  id: string,
  model: string,
  text: string,
  calls: Required<FakeToolCall>[],
  stop_reason: string,
  usage: FakeUsage,
) {
  const content = [
    ...(text ? [{ type: "text" as const, text }] : []),
    ...calls.map((c) => ({ type: "tool_use" as const, id: c.id, name: c.name, input: c.input })),
  ];
  return {
    id,
    type: "message",
    role: "assistant",
    model,
    content,
    stop_reason,
    stop_sequence: null,
    usage: {
      input_tokens: usage.input_tokens,
      output_tokens: usage.output_tokens,
      ...(usage.cache_read_tokens === undefined
        ? {}
        : { cache_read_input_tokens: usage.cache_read_tokens }),
      ...(usage.cache_write_tokens === undefined
        ? {}
        : { cache_creation_input_tokens: usage.cache_write_tokens }),
    },
  };
}

const ANTHROPIC_ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  429: "rate_limit_error",
  529: "overloaded_error",
};

/** Which API a request speaks: Anthropic and OpenAI share `/v1/models/{model}`. */
function apiOf(path: string, headers: Headers): FakeCall["api"] {
  if (path === "/v1/chat/completions") return "openai";
  if (path.startsWith("/v1/models") && !headers.has("anthropic-version")) return "openai";
  return path.startsWith("/v1/") ? "anthropic" : "ollama";
}

function errorResponse(
  api: FakeCall["api"],
  status: number,
  headers: Record<string, string>,
): Response {
  const message = `Fake failure ${status}: ${FAKE_ERROR_MARKER}`;
  const body = api === "anthropic"
    ? { type: "error", error: { type: ANTHROPIC_ERROR_TYPES[status] ?? "api_error", message } }
    : api === "openai"
    ? openAiError(status, message)
    : { error: message };
  return Response.json(body, { status, headers });
}

/** The API's answer for a model it does not have. */
function notFound(api: FakeCall["api"], model: string): Response {
  const body = api === "anthropic"
    ? { type: "error", error: { type: "not_found_error", message: `model: ${model}` } }
    : api === "openai"
    ? openAiError(404, `The model \`${model}\` does not exist`)
    : { error: `model '${model}' not found` };
  return Response.json(body, { status: 404 });
}

function show(model: string): Response {
  return Response.json({
    modelfile: `FROM ${model}`,
    parameters: "",
    template: "{{ .Prompt }}",
    details: { format: "gguf", family: "fake", parameter_size: "1B", quantization_level: "Q4_0" },
    model_info: {},
    capabilities: ["completion", "tools"],
  });
}

function rawResponse(api: FakeCall["api"], reply: FakeRawReply): Response {
  const headers = reply.headers ?? {};
  if (reply.body === undefined && reply.status >= 400) {
    return errorResponse(api, reply.status, headers);
  }
  if (typeof reply.body === "string") {
    return new Response(reply.body, { status: reply.status, headers });
  }
  return Response.json(reply.body ?? {}, { status: reply.status, headers });
}

function embed(body: unknown, dimensions: number): Response {
  const { model, input } = (body ?? {}) as { model?: string; input?: string | string[] };
  const inputs = Array.isArray(input) ? input : [input ?? ""];
  const embeddings = inputs.map((text) => unitVector(text, dimensions));
  return Response.json({
    model: model ?? "fake-model",
    embeddings,
    total_duration: 0,
    load_duration: 0,
    prompt_eval_count: inputs.join(" ").split(/\s+/).length,
  });
}

/** OpenAI's `/v1/embeddings` answer, with the vectors `/api/embed` gives the same texts. */
function openAiEmbed(body: unknown, dimensions: number): Response {
  const { model, input } = (body ?? {}) as { model?: string; input?: string | string[] };
  const inputs = Array.isArray(input) ? input : [input ?? ""];
  return Response.json({
    object: "list",
    data: inputs.map((text, index) => ({
      object: "embedding",
      index,
      embedding: unitVector(text, dimensions),
    })),
    model: model ?? "fake-model",
    usage: { prompt_tokens: inputs.join(" ").length, total_tokens: inputs.join(" ").length },
  });
}

function tags(models: string[]): Response {
  return Response.json({
    models: models.map((name) => ({
      name,
      model: name,
      modified_at: "2025-01-01T00:00:00Z",
      size: 1,
      digest: hash(name).toString(16),
      details: { format: "gguf", family: "fake", parameter_size: "1B", quantization_level: "Q4_0" },
    })),
  });
}

/** A stable unit vector for a text (equal texts, equal vectors; nothing semantic). */
function unitVector(text: string, dimensions: number): number[] {
  const vector = Array.from(
    { length: dimensions },
    (_, i) => (hash(`${i}:${text}`) % 2001) / 1000 - 1,
  );
  const norm = Math.hypot(...vector) || 1;
  return vector.map((x) => x / norm);
}

/** FNV-1a, 32 bits. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(id);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const id = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
