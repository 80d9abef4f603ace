/**
 * OpenAI Chat Completions adapter, through the `openai` package: OpenAI itself and every
 * server that speaks the same API (Mistral, DeepSeek, Gemini's and OpenRouter's compatible
 * endpoints, vLLM, llama.cpp, LM Studio). `host` is the base URL with its version path;
 * requests go to `{host}/chat/completions`.
 * https://platform.openai.com/docs/api-reference/chat/create
 *
 * @module
 */
import OpenAI from "openai";
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionContentPart,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
} from "openai/resources/chat/completions";
import type { ChatMessage, ChatRequest, ChatResponse, ContentBlock, StopReason } from "../types.ts";
import { LLM_DEFAULT_HOSTS } from "../model_id.ts";
import type { AdapterCallOptions, AdapterSettings, ProviderAdapter } from "./_adapter.ts";
import { decodeBase64 } from "./_adapter.ts";
import { errorFromFailure, errorFromStatus } from "./_errors.ts";
import { withPlainHeaders } from "./_plain_headers.ts";
import { LlmError } from "../llm_error.ts";

const PROVIDER = "openai";

/**
 * Talks to an OpenAI-compatible Chat Completions server. The package's own retries are off
 * (the client wrapper retries), and every setting it would otherwise read from the
 * environment is given, but for `OPENAI_CUSTOM_HEADERS`, which constructing it always reads:
 * the process needs `--allow-env` for that name. Without an API key no `Authorization` header
 * is sent (local servers need none).
 */
export class OpenAiProvider implements ProviderAdapter {
  #sdk: OpenAI;
  #settings: AdapterSettings;

  /** @param settings Model, host (with its version path), optional API key and fetch */
  constructor(settings: AdapterSettings) {
    this.#settings = settings;
    this.#sdk = new OpenAI({
      // The package refuses to start without a key; without one the header is removed below.
      apiKey: settings.api_key ?? "none",
      adminAPIKey: null,
      organization: null,
      project: null,
      webhookSecret: null,
      baseURL: settings.host,
      maxRetries: 0,
      // The wrapper enforces the real limit with an AbortSignal; this only backs it up.
      timeout: 24 * 3600 * 1000,
      logLevel: "off",
      ...(settings.api_key === undefined ? { defaultHeaders: { authorization: null } } : {}),
      fetch: withPlainHeaders((input, init) => (settings.fetch ?? globalThis.fetch)(input, init)),
    });
  }

  /**
   * Sends one `POST /chat/completions` (streamed as server-sent chunks when the request has
   * `on_text`) and maps the answer back to neutral types.
   */
  async chat(request: ChatRequest, options: AdapterCallOptions): Promise<ChatResponse> {
    const params: ChatCompletionCreateParamsNonStreaming = {
      model: this.#settings.model,
      messages: toWireMessages(request.system, request.messages),
    };
    // OpenAI's newer models refuse the older name; most compatible servers know only it.
    if (this.#settings.host.startsWith(LLM_DEFAULT_HOSTS.openai)) {
      params.max_completion_tokens = options.max_tokens;
    } else params.max_tokens = options.max_tokens;
    if (request.tools?.length) {
      params.tools = request.tools.map((tool) => ({
        type: "function",
        function: { name: tool.name, description: tool.description, parameters: tool.input_schema },
      }));
      params.tool_choice = request.tool_choice ?? "auto";
    }
    let completion: ChatCompletion;
    try {
      const on_text = request.on_text;
      completion = on_text === undefined
        ? await this.#sdk.chat.completions.create(params, { signal: options.signal })
        : await collect(
          await this.#sdk.chat.completions.create(
            { ...params, stream: true, stream_options: { include_usage: true } },
            { signal: options.signal },
          ),
          on_text,
        );
    } catch (error) {
      throw options.signal.aborted ? error : this.#mapError(error);
    }
    return fromWire(completion);
  }

  /**
   * `GET {host}/models/{model}`: free. Many compatible servers have no such endpoint and
   * answer 404, which the client wrapper settles with a one-token chat.
   */
  async lookUpModel(options: { signal: AbortSignal }): Promise<void> {
    try {
      await this.#sdk.models.retrieve(this.#settings.model, { signal: options.signal });
    } catch (error) {
      throw options.signal.aborted ? error : this.#mapError(error);
    }
  }

  #mapError(error: unknown): unknown {
    if (error instanceof LlmError) return error;
    if (error instanceof OpenAI.APIError && typeof error.status === "number") {
      return errorFromStatus(PROVIDER, error.status, {
        headers: error.headers,
        cause: error,
        model: this.#settings.model,
        code: error.code ?? error.type,
      });
    }
    if (error instanceof OpenAI.APIConnectionError || error instanceof TypeError) {
      return errorFromFailure(PROVIDER, this.#settings.host, error);
    }
    if (error instanceof SyntaxError) {
      // The package's stream parser met an event that is not JSON (its message quotes none).
      return new LlmError(
        `LLM provider "${PROVIDER}" streamed something that is not its API's answer`,
        { kind: "server" },
      );
    }
    if (error instanceof OpenAI.APIError) {
      // An error object in the middle of a stream: no status, and its text is not shown.
      return new LlmError(`LLM provider "${PROVIDER}" sent an error in the middle of its answer`, {
        kind: "server",
      });
    }
    return error;
  }
}

/**
 * Joins a streamed completion's chunks into one completion: the text pieces (each handed on as
 * it comes), the tool calls (their arguments arrive in pieces, by index), the finish reason and
 * the usage chunk.
 *
 * @throws {LlmError} kind `server` when the stream ends before a finish reason
 */
async function collect(
  chunks: AsyncIterable<ChatCompletionChunk>,
  on_text: (text: string) => void,
): Promise<ChatCompletion> {
  let text = "";
  let model = "";
  let id = "";
  let finish: ChatCompletion.Choice["finish_reason"] | undefined;
  let usage: ChatCompletion["usage"];
  const calls: { id: string; name: string; arguments: string }[] = [];
  for await (const chunk of chunks) {
    id ||= chunk.id;
    model ||= chunk.model;
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices?.[0];
    if (choice === undefined) continue;
    const piece = choice.delta?.content ?? "";
    if (piece !== "") {
      text += piece;
      on_text(piece);
    }
    for (const call of choice.delta?.tool_calls ?? []) {
      const known = calls[call.index] ??= { id: "", name: "", arguments: "" };
      if (call.id) known.id = call.id;
      if (call.function?.name) known.name += call.function.name;
      if (call.function?.arguments) known.arguments += call.function.arguments;
    }
    if (choice.finish_reason) finish = choice.finish_reason;
  }
  if (finish === undefined) {
    throw new LlmError(`LLM provider "${PROVIDER}" ended its answer before it was complete`, {
      kind: "server",
    });
  }
  const tool_calls = calls.filter((call) => call !== undefined).map((call) => ({
    id: call.id,
    type: "function" as const,
    function: { name: call.name, arguments: call.arguments },
  }));
  return {
    id,
    object: "chat.completion",
    created: 0,
    model,
    choices: [{
      index: 0,
      message: {
        role: "assistant",
        content: text,
        refusal: null,
        ...(tool_calls.length ? { tool_calls } : {}),
      },
      logprobs: null,
      finish_reason: finish,
    }],
    ...(usage === undefined ? {} : { usage }),
  };
}

/**
 * The conversation in Chat Completions form. Tool results become `tool` messages right after
 * the assistant message that called them (the API requires that order); a failed call's
 * result says so in its text, as the API has no error flag.
 */
function toWireMessages(system: string, messages: ChatMessage[]): ChatCompletionMessageParam[] {
  const wire: ChatCompletionMessageParam[] = system ? [{ role: "system", content: system }] : [];
  for (const message of messages) {
    if (typeof message.content === "string") {
      wire.push({ role: message.role, content: message.content });
      continue;
    }
    if (message.role === "assistant") {
      wire.push(toAssistant(message.content));
      continue;
    }
    const parts: ChatCompletionContentPart[] = [];
    for (const block of message.content) {
      if (block.type === "tool_result") {
        wire.push({
          role: "tool",
          tool_call_id: block.tool_use_id,
          content: block.is_error ? `Error: ${block.content}` : block.content,
        });
      } else {
        const part = toUserPart(block);
        if (part) parts.push(part);
      }
    }
    if (parts.length > 0) {
      const only = parts.length === 1 ? parts[0] : undefined;
      wire.push({ role: "user", content: only?.type === "text" ? only.text : parts });
    }
  }
  return wire;
}

function toAssistant(blocks: ContentBlock[]): ChatCompletionMessageParam {
  const text = blocks.map((block) => block.type === "text" ? block.text : "").join("");
  const tool_calls = blocks.flatMap((block) =>
    block.type === "tool_use"
      ? [{
        id: block.id,
        type: "function" as const,
        function: { name: block.name, arguments: JSON.stringify(block.input) },
      }]
      : []
  );
  return {
    role: "assistant",
    content: text === "" && tool_calls.length > 0 ? null : text,
    ...(tool_calls.length ? { tool_calls } : {}),
  };
}

function toUserPart(block: ContentBlock): ChatCompletionContentPart | undefined {
  switch (block.type) {
    case "text":
      return { type: "text", text: block.text };
    case "image":
      return {
        type: "image_url",
        image_url: { url: `data:${block.media_type};base64,${block.data}` },
      };
    case "document": {
      const name = block.name ? ` "${block.name}"` : "";
      if (block.media_type.startsWith("text/")) {
        const text = new TextDecoder().decode(decodeBase64(block.data));
        return { type: "text", text: `[Attached document${name}]\n${text}` };
      }
      // Only OpenAI's own API reads PDFs, and not through every model: a note is safe anywhere.
      return {
        type: "text",
        text: `[Attached document${name} (${block.media_type}) cannot be read by this model]`,
      };
    }
    default:
      return undefined;
  }
}

function fromWire(completion: ChatCompletion): ChatResponse {
  const choice = completion.choices[0];
  const text = choice?.message.content ?? "";
  const content: ContentBlock[] = text ? [{ type: "text", text }] : [];
  const calls = (choice?.message.tool_calls ?? []).filter((
    call,
  ): call is ChatCompletionMessageFunctionToolCall => call.type === "function");
  for (const call of calls) {
    content.push({
      type: "tool_use",
      id: call.id,
      name: call.function.name,
      input: parseArguments(call.function.arguments),
    });
  }
  return {
    content,
    text,
    stop_reason: toStopReason(choice?.finish_reason, calls.length > 0),
    usage: {
      // OpenAI counts cached tokens inside prompt_tokens; the ledger keeps them apart.
      input_tokens: Math.max(0, (completion.usage?.prompt_tokens ?? 0) - cached(completion.usage)),
      output_tokens: completion.usage?.completion_tokens ?? 0,
      ...(cached(completion.usage) > 0 ? { cache_read_tokens: cached(completion.usage) } : {}),
    },
    model: completion.model,
  };
}

/**
 * A tool call's arguments, a JSON text on this API. Text that is not a JSON object gives no
 * arguments: the tool's schema check then tells the model what is missing, and it can retry.
 */
function parseArguments(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text || "{}");
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? value as Record<string, unknown>
      : {};
  } catch {
    return {};
  }
}

function toStopReason(reason: string | null | undefined, calledTools: boolean): StopReason {
  if (calledTools || reason === "tool_calls" || reason === "function_call") return "tool_use";
  if (reason === "stop") return "end_turn";
  if (reason === "length") return "max_tokens";
  return "other";
}

/** Prompt tokens the server read from its cache, when it says. */
function cached(usage: { prompt_tokens_details?: { cached_tokens?: number } | null } | undefined) {
  return Math.max(0, usage?.prompt_tokens_details?.cached_tokens ?? 0);
}
