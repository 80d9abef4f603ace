/**
 * The client of one model: a provider adapter wrapped with retries, a per-attempt timeout,
 * error mapping and usage accounting.
 *
 * @module
 */
import { LlmError } from "./llm_error.ts";
import type { ProviderAdapter } from "./providers/_adapter.ts";
import { isPermissionError } from "./providers/_errors.ts";
import type { LlmProvider } from "./model_id.ts";
import { retry } from "./retry.ts";
import type { RetryInfo, Sleep } from "./retry.ts";
import type { ChatRequest, ChatResponse, CheckOptions, LlmClient } from "./types.ts";
import type { UsageMeter } from "./usage.ts";

/** The longest a start-up check waits by default: a slow provider must not hold the start. */
const MAX_CHECK_MS = 10_000;

/** The `[llm]` settings of the agent's config. */
export interface LlmSettings {
  provider: LlmProvider;
  model: string;
  /** Required for Anthropic; for Ollama and OpenAI-compatible servers, a bearer token when set. */
  api_key?: string | undefined;
  /**
   * The API base URL, e.g. `https://api.anthropic.com`, `http://127.0.0.1:11434`, or for
   * OpenAI-compatible servers the URL with its version path (`https://api.openai.com/v1`).
   */
  host: string;
  /** The cap on `max_tokens`, and its value when a request gives none. */
  max_tokens_per_request: number;
  /**
   * Time allowed to each attempt, in seconds (fractions allowed); streamed, the longest wait for
   * the next piece of the answer. 0 means no limit.
   */
  timeout_secs: number;
  /** Attempts after the first one, for rate limits, overload, 5xx and network errors. */
  max_retries: number;
}

/** Options of {@linkcode createSingleClient}. */
export interface CreateLlmClientOptions {
  /** The fetch the SDKs use. @default {globalThis.fetch} */
  fetch?: typeof fetch;
  /** Receives each call's usage, and each failure. @default {none} */
  usage?: UsageMeter;
  /** Waits between retries. @default {an abortable setTimeout} */
  sleep?: Sleep;
  /** Called before each retry wait, e.g. to log it. @default {none} */
  on_retry?: (info: RetryInfo) => void;
  /** The first backoff delay in milliseconds. @default {500} */
  base_delay_ms?: number;
}

/**
 * Creates a chat client for one provider and model.
 *
 * @param settings Provider, model, endpoint, limits
 * @param options Injected fetch, usage meter and retry hooks
 * @returns A client whose `chat()` throws only {@linkcode LlmError} (or the caller signal's
 *   reason); the provider's SDK loads at the first call, which fails with kind "permission"
 *   when the SDK may not read the environment it needs
 * @throws {TypeError} when the provider is unknown or Anthropic has no `api_key`
 *
 * @example
 * ```ts
 * const client = createSingleClient({
 *   provider: "ollama", model: "llama3.2", host: "http://127.0.0.1:11434",
 *   max_tokens_per_request: 1024, timeout_secs: 60, max_retries: 2,
 * });
 * const answer = await client.chat({ system: "Be brief", messages: [{ role: "user", content: "Hi" }] });
 * ```
 */
export function createSingleClient(
  settings: LlmSettings,
  options: CreateLlmClientOptions = {},
): LlmClient {
  const adapter = createAdapter(settings, options.fetch);
  const { usage, sleep, on_retry, base_delay_ms } = options;
  const timeout_ms = Math.max(0, settings.timeout_secs * 1000);
  const provider = settings.provider;
  const timeout_error = (ms: number, cause: unknown) =>
    new LlmError(`LLM provider "${provider}" did not answer within ${ms / 1000} s`, {
      kind: "timeout",
      cause,
    });
  return {
    provider,
    model: settings.model,
    check: async function check(options: CheckOptions = {}): Promise<void> {
      const limit = options.timeout_ms ??
        (timeout_ms > 0 ? Math.min(timeout_ms, MAX_CHECK_MS) : MAX_CHECK_MS);
      await retry(async (signal) => {
        try {
          await adapter.lookUpModel({ signal });
        } catch (error) {
          if (!(error instanceof LlmError) || error.kind !== "not_found") throw error;
          // A 404 can also come from a compatible server without a models endpoint: asking the
          // model for one token settles it (a real unknown model fails the same way).
          await adapter.chat({ system: "", messages: [{ role: "user", content: "Hi" }] }, {
            max_tokens: 1,
            signal,
          });
        }
      }, { max_retries: 0, timeout_ms: limit, signal: options.signal, timeout_error });
    },
    chat: async function chat(request: ChatRequest): Promise<ChatResponse> {
      const max_tokens = Math.min(
        request.max_tokens ?? settings.max_tokens_per_request,
        settings.max_tokens_per_request,
      );
      // A streamed answer whose first piece is out cannot be taken back: no retry after it.
      let handed_on = false;
      // Streamed, the limit is on silence, the longest wait for the next piece: a long answer
      // from a slow model may rightly take longer than any sensible limit on a whole call.
      let rearm = () => {};
      const on_text = request.on_text;
      const streamed = on_text !== undefined && timeout_ms > 0;
      const noted = withNote(request, provider === "anthropic");
      const call: ChatRequest = on_text === undefined ? noted : {
        ...noted,
        on_text: (text: string) => {
          handed_on = true;
          rearm();
          on_text(text);
        },
      };
      const cut = (error: unknown) =>
        handed_on && error instanceof LlmError ? LlmError.cutOff(error) : error;
      const watched = (signal: AbortSignal): Promise<ChatResponse> => {
        const silence = new AbortController();
        let timer: ReturnType<typeof setTimeout> | undefined;
        const expired = new Promise<never>((_, reject) => {
          rearm = () => {
            clearTimeout(timer);
            timer = setTimeout(() => {
              const error = timeout_error(timeout_ms, undefined);
              silence.abort(error);
              reject(error);
            }, timeout_ms);
          };
        });
        rearm();
        const running = adapter.chat(call, {
          max_tokens,
          signal: AbortSignal.any([signal, silence.signal]),
        });
        running.catch(() => {});
        return Promise.race([running, expired]).finally(() => {
          clearTimeout(timer);
          rearm = () => {};
        });
      };
      try {
        const attempt = (signal: AbortSignal) =>
          (streamed ? watched(signal) : adapter.chat(call, { max_tokens, signal })).catch(
            (error: unknown) => {
              throw cut(error);
            },
          );
        const response = await retry(attempt, {
          max_retries: settings.max_retries,
          timeout_ms: streamed ? 0 : timeout_ms,
          signal: request.signal,
          ...(sleep ? { sleep } : {}),
          ...(on_retry ? { on_retry } : {}),
          ...(base_delay_ms === undefined ? {} : { base_delay_ms }),
          timeout_error,
        });
        usage?.record(response.usage);
        return response;
      } catch (error) {
        usage?.recordFailure();
        throw cut(error);
      }
    },
  };
}

/**
 * The adapter of the configured provider. Its SDK is imported at the first call, not at
 * start: a config that names one provider never loads the others (each SDK costs 2 to 15 MB
 * of memory), and a fallback model's SDK loads when it is first needed.
 */
function createAdapter(
  settings: LlmSettings,
  fetch: typeof globalThis.fetch | undefined,
): ProviderAdapter {
  const adapter_settings = {
    model: settings.model,
    host: settings.host,
    api_key: settings.api_key,
    fetch,
  };
  switch (settings.provider) {
    case "anthropic":
      if (!settings.api_key) {
        throw new TypeError(`Cannot create the "anthropic" client: "api_key" is missing`);
      }
      return lazyAdapter(async () => {
        const { AnthropicProvider } = await import("./providers/anthropic.ts");
        try {
          return new AnthropicProvider(adapter_settings);
        } catch (error) {
          if (!isPermissionError(error)) throw error;
          const detail = error instanceof Error ? error.message.split(",")[0] : "";
          throw new LlmError(`Cannot create the "anthropic" client: ${detail}`, {
            kind: "permission",
            cause: error,
          });
        }
      });
    case "ollama":
      return lazyAdapter(async () =>
        new (await import("./providers/ollama.ts")).OllamaProvider(adapter_settings)
      );
    case "openai":
      return lazyAdapter(async () =>
        new (await import("./providers/openai.ts")).OpenAiProvider(adapter_settings)
      );
    default:
      throw new TypeError(`Cannot create an LLM client: unknown provider "${settings.provider}"`);
  }
}

/** An adapter made at its first call; a failure to make it is tried again at the next. */
function lazyAdapter(make: () => Promise<ProviderAdapter>): ProviderAdapter {
  let made: Promise<ProviderAdapter> | undefined;
  const adapter = () => {
    made ??= make().catch((error: unknown) => {
      made = undefined;
      throw error;
    });
    return made;
  };
  return {
    chat: async (request, options) => await (await adapter()).chat(request, options),
    lookUpModel: async (options) => await (await adapter()).lookUpModel(options),
  };
}

/**
 * The request with its `note` placed where it costs no cache miss. The Anthropic adapter places
 * it itself, after its cache breakpoints (the last text block of the last user message). The
 * other providers take no breakpoints: it goes at the end of the system prompt, where the time
 * always was.
 */
function withNote(request: ChatRequest, placedByAdapter: boolean): ChatRequest {
  if (placedByAdapter) return request;
  const { note, ...rest } = request;
  if (note === undefined || note === "") return rest;
  return { ...rest, system: rest.system === "" ? note : `${rest.system}\n\n${note}` };
}
