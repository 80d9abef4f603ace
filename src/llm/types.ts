/**
 * Provider-neutral message, tool and response types shared by every LLM adapter.
 *
 * Field names mirror the Anthropic Messages API (snake_case) because that is the richest wire
 * format the agent speaks; adapters translate to and from the others.
 *
 * @module
 */

/** One block of message content. */
export type ContentBlock =
  | { type: "text"; text: string }
  /** An image, base64-encoded, e.g. `media_type: "image/png"`. */
  | { type: "image"; media_type: string; data: string }
  /** A document (PDF), base64-encoded. Only Anthropic reads it; Ollama gets a text note. */
  | { type: "document"; media_type: string; data: string; name?: string }
  /** A tool call made by the assistant. */
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> }
  /** The answer to the `tool_use` block with the same id, sent in a user message. */
  | { type: "tool_result"; tool_use_id: string; content: string; is_error?: boolean };

/** One turn of the conversation. A string content is one text block. */
export interface ChatMessage {
  role: "user" | "assistant";
  content: string | ContentBlock[];
}

/** A tool the model may call; `input_schema` is a JSON Schema object. */
export interface ToolDefinition {
  name: string;
  description: string;
  input_schema: Record<string, unknown>;
}

/** What the agent asks of the model. */
export interface ChatRequest {
  /** The system prompt; empty means none. */
  system: string;
  messages: ChatMessage[];
  tools?: ToolDefinition[];
  /** `"none"` forbids tool calls while keeping tool history valid. @default {"auto"} */
  tool_choice?: "auto" | "none";
  /** Capped by the client's `max_tokens_per_request`. @default {max_tokens_per_request} */
  max_tokens?: number;
  /** Aborts the call (and any retry wait); the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * Receives the answer's text as the model writes it, piece by piece: given, the call streams
   * (the answer still resolves whole). Once a piece has been handed on, a failure is neither
   * retried nor sent to another model, since the caller may have shown that piece: the call
   * rejects with an `LlmError` whose `cut_off` is set. @default {not streamed}
   */
  on_text?: (text: string) => void;
  /**
   * Where the request's stable prefix ends, for a provider that caches prompts (Anthropic; the
   * others ignore it). Without it nothing is marked for caching.
   */
  cache?: CacheHints;
  /**
   * Context for this call only that changes from one call to the next (the current time):
   * sent after everything a prompt cache reuses — on Anthropic the last text block of the last
   * user message, elsewhere the end of the system prompt.
   */
  note?: string;
}

/**
 * What stays the same from one request to the next: the tools, the system prompt and the first
 * `stable_messages` messages (the history before the new message). Anthropic then puts its
 * cache breakpoints on the last tool, the system prompt, the last of those messages and, when
 * the request goes on past the new message (tool rounds), on its last message.
 */
export interface CacheHints {
  /** How many leading messages the next request repeats byte for byte (0: none). */
  stable_messages: number;
}

/** Token counts of one call. */
export interface Usage {
  /** Input tokens read afresh (Anthropic: not counting the cache's). */
  input_tokens: number;
  output_tokens: number;
  /** Input tokens read from the provider's prompt cache, when it says. @default {0} */
  cache_read_tokens?: number;
  /** Input tokens written to the provider's prompt cache, when it says. @default {0} */
  cache_write_tokens?: number;
}

/** Why the model stopped. */
export type StopReason = "end_turn" | "tool_use" | "max_tokens" | "stop_sequence" | "other";

/** The model's answer. */
export interface ChatResponse {
  content: ContentBlock[];
  /** The text blocks of `content`, concatenated. */
  text: string;
  stop_reason: StopReason;
  usage: Usage;
  /** The model that answered, as the provider names it. */
  model: string;
  /** The configured id of the model that answered (`provider:model`), set by a model router. */
  model_id?: string;
}

/** How one call is routed (a single-model client ignores it). */
export interface ChatOptions {
  /**
   * The kind of work, one of `TIERS` (`heavy`, `standard`, `light`, `vision`); a name that
   * is not a tier, or a tier the config does not name, is served by the standard tier.
   * @default {"standard"}
   */
  tier?: string | undefined;
  /**
   * A model id (`provider:model`) that serves this call whatever its tier (a named agent's
   * `model`); the fallback chain still follows it. @default {the tier's model}
   */
  model?: string | undefined;
  /**
   * Whose usage this call is (a bare JID or a room): a client that keeps a usage ledger
   * records the call's tokens under it, against that conversation's quota. @default {none}
   */
  conversation?: string | undefined;
  /** What the call is for, in the usage ledger (`turn`, `subagent`, `compaction`…). */
  purpose?: string | undefined;
}

/** A chat client: for one provider and model, or a router between the configured models. */
export interface LlmClient {
  readonly provider: string;
  readonly model: string;
  /**
   * Sends one request and returns the model's answer.
   *
   * @param request What to ask
   * @param options The call's tier, for a client that routes between models
   * @throws {LlmError} when the provider fails after the allowed retries
   */
  chat(request: ChatRequest, options?: ChatOptions): Promise<ChatResponse>;
  /**
   * Checks that the provider accepts the credentials and knows the model, with one small
   * request and no retry (see {@linkcode CheckOptions}).
   *
   * @throws {LlmError} kind `auth` or `not_found` when it does not; any other kind when the
   * check could not tell (unreachable, slow, overloaded…)
   */
  check(options?: CheckOptions): Promise<void>;
}

/** Options of {@linkcode LlmClient.check}. */
export interface CheckOptions {
  /** Time allowed, in milliseconds. @default {the per-call timeout, at most 10 s} */
  timeout_ms?: number;
  signal?: AbortSignal;
}
