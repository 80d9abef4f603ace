/**
 * Embedding clients over plain `fetch`: Ollama's `POST /api/embed` and the OpenAI-compatible
 * `POST /v1/embeddings` (OpenAI, LM Studio, vLLM, llama.cpp's server). They run in the agent
 * process, which holds the embedder's host in `--allow-net`; the index process that stores
 * the vectors has no network.
 *
 * @module
 */
import { errorMessage } from "../log/mod.ts";

/** Turns texts into vectors. */
export interface Embedder {
  /** The model, part of the cache key of every vector. */
  readonly model: string;
  /**
   * One vector per text, in order.
   *
   * @throws {EmbedderError} When the provider refuses, fails or answers something else.
   */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]>;
}

/** A failed embedding request. The message never holds the provider's answer. */
export class EmbedderError extends Error {
  override name = "EmbedderError";
  /** The HTTP status, when there was an answer. */
  readonly status: number | undefined;

  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.status = options.status;
  }
}

/** Options of {@linkcode createEmbedder}. */
export interface EmbedderOptions {
  provider: "ollama" | "openai";
  model: string;
  /** Base URL: `http://localhost:11434`, `https://api.openai.com` (a trailing `/v1` is fine). */
  host: string;
  /** Bearer token (OpenAI-compatible servers that need one). @default {undefined} */
  apiKey?: string;
  /** Per request. @default {60000} */
  timeoutMs?: number;
  /** Texts per request. @default {32} */
  batch?: number;
  /** The fetch to use. @default {globalThis.fetch} */
  fetch?: typeof fetch;
}

/**
 * An embedder for the configured provider.
 *
 * @example
 * ```ts
 * const embedder = createEmbedder({ provider: "ollama", model: "nomic-embed-text", host: "http://localhost:11434" });
 * const [vector] = await embedder.embed(["Alice's cat is named Zorro"]);
 * ```
 */
export function createEmbedder(options: EmbedderOptions): Embedder {
  const base = options.host.replace(/\/+$/, "");
  const url = options.provider === "ollama"
    ? `${base}/api/embed`
    : `${base.endsWith("/v1") ? base : `${base}/v1`}/embeddings`;
  const doFetch = options.fetch ?? globalThis.fetch;
  const batch = options.batch ?? 32;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const label = options.provider === "ollama" ? "Ollama" : "OpenAI-compatible";
  // Named without any user and password the URL may hold: messages reach logs.
  const where = shownHost(base);

  async function request(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (options.apiKey !== undefined) headers.authorization = `Bearer ${options.apiKey}`;
    const body = options.provider === "ollama"
      ? { model: options.model, input: texts }
      : { model: options.model, input: texts, encoding_format: "float" };
    let response: Response;
    try {
      response = await doFetch(url, {
        method: "POST",
        headers,
        body: JSON.stringify(body),
        signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
      });
    } catch (error) {
      const why = timeout.aborted ? `no answer within ${timeoutMs} ms` : errorMessage(error);
      throw new EmbedderError(`The ${label} embedder at ${where} could not be reached: ${why}`, {
        cause: error,
      });
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new EmbedderError(
        `The ${label} embedder refused the request (HTTP ${response.status}, model "${options.model}")`,
        { status: response.status },
      );
    }
    const json: unknown = await response.json().catch(() => undefined);
    const vectors = options.provider === "ollama" ? ollamaVectors(json) : openAiVectors(json);
    if (vectors === undefined || vectors.length !== texts.length) {
      throw new EmbedderError(`The ${label} embedder answered something that is not embeddings`);
    }
    return vectors;
  }

  return {
    model: options.model,
    async embed(texts, signal) {
      const vectors: Float32Array[] = [];
      for (let at = 0; at < texts.length; at += batch) {
        vectors.push(...await request(texts.slice(at, at + batch), signal));
      }
      return vectors;
    },
  };
}

function ollamaVectors(json: unknown): Float32Array[] | undefined {
  const embeddings = (json as { embeddings?: unknown } | undefined)?.embeddings;
  return Array.isArray(embeddings) ? toVectors(embeddings) : undefined;
}

function openAiVectors(json: unknown): Float32Array[] | undefined {
  const data = (json as { data?: unknown } | undefined)?.data;
  if (!Array.isArray(data)) return undefined;
  const ordered = [...data].sort((a, b) => Number(a?.index ?? 0) - Number(b?.index ?? 0));
  return toVectors(ordered.map((item) => (item as { embedding?: unknown })?.embedding));
}

function toVectors(list: unknown[]): Float32Array[] | undefined {
  const vectors: Float32Array[] = [];
  for (const item of list) {
    if (!Array.isArray(item) || item.length === 0) return undefined;
    if (!item.every((x) => typeof x === "number" && Number.isFinite(x))) return undefined;
    vectors.push(Float32Array.from(item as number[]));
  }
  const length = vectors[0]?.length;
  return vectors.every((vector) => vector.length === length) ? vectors : undefined;
}

function shownHost(base: string): string {
  try {
    const url = new URL(base);
    return `${url.protocol}//${url.host}`;
  } catch {
    return "the configured host";
  }
}
