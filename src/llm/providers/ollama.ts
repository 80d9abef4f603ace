/**
 * Ollama chat adapter, through the `ollama` package (`POST /api/chat`; streamed as NDJSON when
 * the request has `on_text`).
 * https://github.com/ollama/ollama/blob/main/docs/api.md#generate-a-chat-completion
 *
 * @module
 */
import { Ollama } from "ollama";
import type { Message, Tool, ToolCall } from "ollama";
import type { ChatMessage, ChatRequest, ChatResponse, ContentBlock, StopReason } from "../types.ts";
import type { AdapterCallOptions, AdapterSettings, ProviderAdapter } from "./_adapter.ts";
import { decodeBase64 } from "./_adapter.ts";
import { checkedFetch, notTheApi } from "./_checked_answers.ts";
import { errorFromFailure } from "./_errors.ts";
import { LlmError } from "../llm_error.ts";

const PROVIDER = "ollama";

/**
 * Talks to an Ollama server. Ollama has no tool call ids, so ids `call_<n>` are made up, unique
 * per adapter; tool results are matched back to tool names by walking the history. Ollama has
 * no `tool_choice` either: `"none"` sends no tools.
 */
export class OllamaProvider implements ProviderAdapter {
  #settings: AdapterSettings;
  #next_call_id = 1;

  /** @param settings Model, host, optional API key (sent as a bearer token) and fetch */
  constructor(settings: AdapterSettings) {
    this.#settings = settings;
  }

  /** Sends one `/api/chat` request and maps the answer back to neutral types. */
  async chat(request: ChatRequest, options: AdapterCallOptions): Promise<ChatResponse> {
    const sdk = this.#sdk(options.signal);
    const tools = request.tool_choice === "none" ? [] : (request.tools ?? []).map(toWireTool);
    const body = {
      model: this.#settings.model,
      messages: toWireMessages(request.system, request.messages),
      ...(tools.length ? { tools } : {}),
      options: { num_predict: options.max_tokens },
    };
    try {
      if (request.on_text === undefined) {
        return this.#fromWire(await sdk.chat({ ...body, stream: false }));
      }
      const parts = await sdk.chat({ ...body, stream: true });
      return this.#fromWire(await collect(parts, request.on_text));
    } catch (error) {
      const mapped = this.#mapError(error, options.signal);
      // The package throws a line's `error` text as it is: not shown, since a body can hold anything.
      if (
        request.on_text !== undefined && !options.signal.aborted && mapped === error &&
        error instanceof Error && !(error instanceof LlmError)
      ) {
        throw new LlmError(`LLM provider "${PROVIDER}" sent an error in the middle of its answer`, {
          kind: "server",
        });
      }
      throw mapped;
    }
  }

  /** `POST /api/show`: answers 404 for a model this server does not have, without loading it. */
  async lookUpModel(options: { signal: AbortSignal }): Promise<void> {
    try {
      await this.#sdk(options.signal).show({ model: this.#settings.model });
    } catch (error) {
      throw this.#mapError(error, options.signal);
    }
  }

  /** A client of the package whose fetch carries the call's signal. */
  #sdk(signal: AbortSignal): Ollama {
    // The package takes no per-request signal, so each call gets a client whose fetch has it.
    return new Ollama({
      host: this.#settings.host,
      fetch: this.#fetchFor(signal),
      ...(this.#settings.api_key
        ? { headers: { authorization: `Bearer ${this.#settings.api_key}` } }
        : {}),
    });
  }

  #mapError(error: unknown, signal: AbortSignal): unknown {
    if (signal.aborted || error instanceof LlmError) return error;
    if (error instanceof TypeError || isPermissionName(error)) {
      return errorFromFailure(PROVIDER, this.#settings.host, error);
    }
    return error;
  }

  /**
   * A fetch bound to the call's signal that turns a non-2xx answer, or one that is not JSON,
   * into an `LlmError`: failing here skips the package's own error paths, which would put the
   * body in the message.
   */
  #fetchFor(signal: AbortSignal): typeof fetch {
    const base = this.#settings.fetch ?? fetch;
    return checkedFetch(PROVIDER, (input, init) => base(input, { ...init, signal }), {
      model: this.#settings.model,
    });
  }

  #fromWire(response: WireAnswer): ChatResponse {
    if (typeof response?.message !== "object" || response.message === null) {
      throw notTheApi(PROVIDER, 200, "JSON that is not a chat answer");
    }
    const content: ContentBlock[] = [];
    if (response.message.content) content.push({ type: "text", text: response.message.content });
    for (const call of response.message.tool_calls ?? []) {
      content.push({
        type: "tool_use",
        id: `call_${this.#next_call_id++}`,
        name: call.function.name,
        input: call.function.arguments ?? {},
      });
    }
    const stop_reason: StopReason = response.message.tool_calls?.length
      ? "tool_use"
      : response.done_reason === "stop"
      ? "end_turn"
      : response.done_reason === "length"
      ? "max_tokens"
      : "other";
    return {
      content,
      text: response.message.content ?? "",
      stop_reason,
      usage: {
        input_tokens: response.prompt_eval_count ?? 0,
        output_tokens: response.eval_count ?? 0,
      },
      model: response.model,
    };
  }
}

type WireAnswer = { model: string; message: Message; done_reason?: string } & WireCounts;

/**
 * Joins a streamed answer's lines into one: the text pieces (each handed on as it comes), the
 * tool calls, and the counts of the closing line.
 *
 * @throws {LlmError} kind `server` when the stream ends without its closing line
 */
async function collect(
  parts: AsyncIterable<WireAnswer & { done?: boolean }>,
  on_text: (text: string) => void,
): Promise<WireAnswer> {
  let text = "";
  const tool_calls: ToolCall[] = [];
  for await (const part of parts) {
    const content = part.message?.content ?? "";
    if (content !== "") {
      text += content;
      on_text(content);
    }
    tool_calls.push(...(part.message?.tool_calls ?? []));
    if (part.done) {
      return {
        ...part,
        message: { role: "assistant", content: text, ...(tool_calls.length ? { tool_calls } : {}) },
      };
    }
  }
  throw new LlmError(`LLM provider "${PROVIDER}" ended its answer before it was complete`, {
    kind: "server",
  });
}

interface WireCounts {
  prompt_eval_count?: number;
  eval_count?: number;
}

function toWireTool(tool: { name: string; description: string; input_schema: object }): Tool {
  return {
    type: "function",
    function: {
      name: tool.name,
      description: tool.description,
      parameters: tool.input_schema as NonNullable<Tool["function"]["parameters"]>,
    },
  };
}

function toWireMessages(system: string, messages: ChatMessage[]): Message[] {
  const wire: Message[] = system ? [{ role: "system", content: system }] : [];
  const tool_names = new Map<string, string>();
  for (const message of messages) {
    if (typeof message.content === "string") {
      wire.push({ role: message.role, content: message.content });
      continue;
    }
    const texts: string[] = [];
    const images: Uint8Array[] = [];
    const tool_calls: ToolCall[] = [];
    for (const block of message.content) {
      switch (block.type) {
        case "text":
          texts.push(block.text);
          break;
        case "image":
          // Bytes, not the base64 string: the package treats a string naming an existing file
          // as a path and would send that file instead.
          images.push(decodeBase64(block.data));
          break;
        case "document":
          texts.push(
            `[Attached document${
              block.name ? ` "${block.name}"` : ""
            } (${block.media_type}) cannot be read by this model]`,
          );
          break;
        case "tool_use":
          tool_names.set(block.id, block.name);
          tool_calls.push({ function: { name: block.name, arguments: block.input } });
          break;
        case "tool_result": {
          const name = tool_names.get(block.tool_use_id);
          wire.push({
            role: "tool",
            content: block.is_error ? `Error: ${block.content}` : block.content,
            ...(name === undefined ? {} : { tool_name: name }),
          });
        }
      }
    }
    if (texts.length || images.length || tool_calls.length) {
      wire.push({
        role: message.role,
        content: texts.join("\n\n"),
        ...(images.length ? { images } : {}),
        ...(tool_calls.length ? { tool_calls } : {}),
      });
    }
  }
  return wire;
}

function isPermissionName(error: unknown): boolean {
  return error instanceof Error &&
    (error.name === "NotCapable" || error.name === "PermissionDenied");
}
