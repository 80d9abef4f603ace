/**
 * The contract between the client wrapper and a provider adapter.
 *
 * @module
 */
import type { ChatRequest, ChatResponse } from "../types.ts";

/** Settings every adapter receives. */
export interface AdapterSettings {
  model: string;
  /** The API base URL, e.g. `https://api.anthropic.com` or `http://127.0.0.1:11434`. */
  host: string;
  api_key?: string | undefined;
  /** The fetch the SDK uses. @default {globalThis.fetch} */
  fetch?: typeof fetch | undefined;
}

/** Per-call values the wrapper decides. */
export interface AdapterCallOptions {
  max_tokens: number;
  /** Aborts on timeout or caller abort; adapters rethrow whatever the SDK threw once it fired. */
  signal: AbortSignal;
}

/** One provider API. Failures with an HTTP status or a transport problem throw `LlmError`. */
export interface ProviderAdapter {
  chat(request: ChatRequest, options: AdapterCallOptions): Promise<ChatResponse>;
  /**
   * Looks the model up without generating anything (a models endpoint): resolves when the
   * credentials are accepted and the model exists; a 404 rejects with kind `not_found`.
   */
  lookUpModel(options: { signal: AbortSignal }): Promise<void>;
}

/** Decodes standard base64 into bytes. */
export function decodeBase64(data: string): Uint8Array<ArrayBuffer> {
  const binary = atob(data);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
