/**
 * Anthropic Messages API adapter, through `@anthropic-ai/sdk`.
 * https://docs.anthropic.com/en/api/messages
 *
 * @module
 */
import Anthropic from "@anthropic-ai/sdk";
import type { ChatMessage, ChatRequest, ChatResponse, ContentBlock, StopReason } from "../types.ts";
import type { AdapterCallOptions, AdapterSettings, ProviderAdapter } from "./_adapter.ts";
import { decodeBase64 } from "./_adapter.ts";
import { readMessageStream } from "./_anthropic_stream.ts";
import { checkedFetch, notTheApi } from "./_checked_answers.ts";
import { withPlainHeaders } from "./_plain_headers.ts";
import { errorFromFailure, errorFromStatus } from "./_errors.ts";
import { LlmError } from "../llm_error.ts";

const PROVIDER = "anthropic";

/**
 * Talks to the Anthropic Messages API. The SDK's own retries are off: the client wrapper
 * retries. Constructing it reads the environment variable `ANTHROPIC_CUSTOM_HEADERS` (the SDK
 * always does), so the process needs `--allow-env` for that name.
 */
export class AnthropicProvider implements ProviderAdapter {
  #sdk: Anthropic;
  #settings: AdapterSettings;

  /**
   * @param settings Model, host, API key and optional fetch
   * @throws {Deno.errors.NotCapable} when `ANTHROPIC_CUSTOM_HEADERS` may not be read
   */
  constructor(settings: AdapterSettings) {
    this.#settings = settings;
    this.#sdk = new Anthropic({
      apiKey: settings.api_key ?? null,
      baseURL: settings.host,
      maxRetries: 0,
      // The wrapper enforces the real limit with an AbortSignal; this only backs it up.
      timeout: 24 * 3600 * 1000,
      // Explicit values keep the SDK from reading more environment variables.
      webhookKey: null,
      logLevel: "off",
      openTelemetry: false,
      // Only JSON reaches the SDK: its errors quote the start of any other body.
      fetch: checkedFetch(
        PROVIDER,
        withPlainHeaders((input, init) => (settings.fetch ?? globalThis.fetch)(input, init)),
        { model: settings.model, jsonErrorsToSdk: true, readsStreams: true },
      ),
    });
  }

  /**
   * Sends one Messages API request (streamed when the request has `on_text`) and maps the
   * answer back to neutral types.
   */
  async chat(request: ChatRequest, options: AdapterCallOptions): Promise<ChatResponse> {
    const params: Anthropic.MessageCreateParamsNonStreaming = {
      model: this.#settings.model,
      max_tokens: options.max_tokens,
      messages: request.messages.map(toWireMessage),
    };
    if (request.system) params.system = request.system;
    if (request.tools?.length) {
      params.tools = request.tools.map((tool) => ({
        name: tool.name,
        description: tool.description,
        input_schema: tool.input_schema as Anthropic.Tool.InputSchema,
      }));
      params.tool_choice = { type: request.tool_choice ?? "auto" };
    }
    if (request.cache !== undefined) markCacheBreakpoints(params, request.cache.stable_messages);
    // After the breakpoints, so that the note is in no cached prefix (it changes every call).
    if (request.note !== undefined && request.note !== "") appendNote(params, request.note);
    let message: Anthropic.Message;
    try {
      const on_text = request.on_text;
      if (on_text === undefined) {
        message = await this.#sdk.messages.create(params, { signal: options.signal });
      } else {
        // Server-sent events, read here as they come (the SDK builds and sends the request).
        const response = await this.#sdk.messages.create({ ...params, stream: true }, {
          signal: options.signal,
        }).asResponse();
        message = await readMessageStream(PROVIDER, response, on_text);
      }
    } catch (error) {
      throw options.signal.aborted ? error : this.#mapError(error);
    }
    return fromWireMessage(message);
  }

  /** `GET /v1/models/{model}`: free, and answers 401 for a wrong key, 404 for an unknown model. */
  async lookUpModel(options: { signal: AbortSignal }): Promise<void> {
    try {
      await this.#sdk.models.retrieve(this.#settings.model, {}, { signal: options.signal });
    } catch (error) {
      throw options.signal.aborted ? error : this.#mapError(error);
    }
  }

  #mapError(error: unknown): unknown {
    // What the checked fetch threw, wrapped by the SDK as a connection error.
    if (error instanceof Error && error.cause instanceof LlmError) return error.cause;
    if (error instanceof Anthropic.APIError && typeof error.status === "number") {
      // Not kept as the cause: the SDK's message holds the answer's body.
      return errorFromStatus(PROVIDER, error.status, {
        headers: error.headers,
        model: this.#settings.model,
        code: error.type,
      });
    }
    if (error instanceof LlmError) return error;
    if (error instanceof Anthropic.APIConnectionError || error instanceof TypeError) {
      return errorFromFailure(PROVIDER, this.#settings.host, error);
    }
    return error;
  }
}

const EPHEMERAL = { type: "ephemeral" } as const;

/**
 * Puts `cache_control` breakpoints (at most four, as the API allows) where the request's prefix
 * stays the same next time: the last tool, the system prompt, the last message of the stable
 * history and, when the request goes past the new message (tool rounds), its last message, so
 * the next round reads the rounds before it. The API caches the prefix up to each breakpoint in
 * the order tools → system → messages.
 * https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching
 */
function markCacheBreakpoints(
  params: Anthropic.MessageCreateParamsNonStreaming,
  stable: number,
): void {
  const lastTool = params.tools?.at(-1);
  if (lastTool !== undefined) {
    params.tools![params.tools!.length - 1] = {
      ...lastTool,
      cache_control: EPHEMERAL,
    } as Anthropic.ToolUnion;
  }
  if (typeof params.system === "string") {
    params.system = [{ type: "text", text: params.system, cache_control: EPHEMERAL }];
  }
  const messages = params.messages;
  const marks = new Set<number>();
  if (stable > 0 && stable <= messages.length) marks.add(stable - 1);
  if (messages.length > stable + 1) marks.add(messages.length - 1);
  for (const index of marks) {
    const message = messages[index]!;
    const content: Anthropic.ContentBlockParam[] = typeof message.content === "string"
      ? [{ type: "text", text: message.content }]
      : [...message.content];
    const last = content.at(-1);
    if (last === undefined) continue;
    content[content.length - 1] = {
      ...last,
      cache_control: EPHEMERAL,
    } as Anthropic.ContentBlockParam;
    messages[index] = { ...message, content } as Anthropic.MessageParam;
  }
}

/** Adds a text block at the end of the last user message (or the system prompt, without one). */
function appendNote(params: Anthropic.MessageCreateParamsNonStreaming, note: string): void {
  const index = params.messages.findLastIndex((message) => message.role === "user");
  const message = params.messages[index];
  if (message === undefined) {
    const system = typeof params.system === "string" ? params.system : "";
    params.system = Array.isArray(params.system)
      ? [...params.system, { type: "text", text: note }]
      : system === ""
      ? note
      : `${system}\n\n${note}`;
    return;
  }
  const content: Anthropic.ContentBlockParam[] = typeof message.content === "string"
    ? (message.content === "" ? [] : [{ type: "text", text: message.content }])
    : [...message.content];
  params.messages[index] = {
    ...message,
    content: [...content, { type: "text", text: note }],
  } as Anthropic.MessageParam;
}

function toWireMessage(message: ChatMessage): Anthropic.MessageParam {
  if (typeof message.content === "string") return { role: message.role, content: message.content };
  return { role: message.role, content: message.content.map(toWireBlock) };
}

function toWireBlock(block: ContentBlock): Anthropic.ContentBlockParam {
  switch (block.type) {
    case "text":
      return { type: "text", text: block.text };
    case "image":
      return {
        type: "image",
        source: {
          type: "base64",
          media_type: block.media_type as Anthropic.Base64ImageSource["media_type"],
          data: block.data,
        },
      };
    case "document": {
      const title = block.name === undefined ? {} : { title: block.name };
      if (block.media_type.startsWith("text/")) {
        const text = new TextDecoder().decode(decodeBase64(block.data));
        return {
          type: "document",
          source: { type: "text", media_type: "text/plain", data: text },
          ...title,
        };
      }
      return {
        type: "document",
        source: { type: "base64", media_type: "application/pdf", data: block.data },
        ...title,
      };
    }
    case "tool_use":
      return { type: "tool_use", id: block.id, name: block.name, input: block.input };
    case "tool_result":
      return {
        type: "tool_result",
        tool_use_id: block.tool_use_id,
        content: block.content,
        ...(block.is_error === undefined ? {} : { is_error: block.is_error }),
      };
  }
}

function fromWireMessage(message: Anthropic.Message): ChatResponse {
  if (!Array.isArray(message?.content)) {
    throw notTheApi(PROVIDER, 200, "JSON that is not a message");
  }
  const content: ContentBlock[] = [];
  for (const block of message.content) {
    if (block.type === "text") content.push({ type: "text", text: block.text });
    if (block.type === "tool_use") {
      content.push({
        type: "tool_use",
        id: block.id,
        name: block.name,
        input: (block.input ?? {}) as Record<string, unknown>,
      });
    }
  }
  return {
    content,
    text: content.map((block) => block.type === "text" ? block.text : "").join(""),
    stop_reason: toStopReason(message.stop_reason),
    usage: {
      input_tokens: message.usage?.input_tokens ?? 0,
      output_tokens: message.usage?.output_tokens ?? 0,
      ...cacheUsage(message.usage),
    },
    model: message.model,
  };
}

function toStopReason(reason: string | null): StopReason {
  return reason === "end_turn" || reason === "tool_use" || reason === "max_tokens" ||
      reason === "stop_sequence"
    ? reason
    : "other";
}

/** The prompt cache's share of the input, when the API reports one. */
function cacheUsage(
  usage:
    | { cache_read_input_tokens?: number | null; cache_creation_input_tokens?: number | null }
    | undefined,
): { cache_read_tokens?: number; cache_write_tokens?: number } {
  const read = usage?.cache_read_input_tokens ?? 0;
  const write = usage?.cache_creation_input_tokens ?? 0;
  return {
    ...(read > 0 ? { cache_read_tokens: read } : {}),
    ...(write > 0 ? { cache_write_tokens: write } : {}),
  };
}
