/**
 * A GET that only goes where the network policy allows, re-checked at every redirect, with
 * timeouts and a size limit, into memory or into a file.
 *
 * DNS rebinding: each hop is checked twice, once by name before connecting (an early refusal
 * of hosts whose DNS plainly says private) and once on the socket itself: `checkedGet()`
 * checks the address the connection actually reached before sending a byte, so a name that
 * answers a public address first and a loopback one at connect time is refused, and so is a
 * name that `/etc/hosts` maps to a private address.
 *
 * @module
 */
import { errorMessage } from "../log/mod.ts";
import { classifyAddress } from "./address_policy.ts";
import { checkPeerAddress, checkUrl, type UrlPolicy } from "./check_url.ts";
import { checkedGet, type Connector } from "./checked_get.ts";
import { BlockedUrlError } from "./blocked_url_error.ts";
import { denoFileSink, type FileSink } from "./file_sink.ts";
import { SafeFetchError } from "./safe_fetch_error.ts";

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const HEAD_BYTES = 512;

/** Options of {@linkcode safeFetch}. */
export interface SafeFetchOptions extends UrlPolicy {
  /** Largest body accepted, in bytes. @default {26214400} (25 MiB) */
  maxBytes?: number;
  /** Redirects followed before giving up; each hop is checked like the first. @default {5} */
  maxRedirects?: number;
  /** Time to wait for each hop's response headers. @default {10000} */
  connectTimeoutMs?: number;
  /** Time the whole fetch (all hops and the body) may take. @default {60000} */
  totalTimeoutMs?: number;
  /** Extra request headers. @default {none} */
  headers?: HeadersInit;
  /** Aborts the fetch. @default {none} */
  signal?: AbortSignal;
  /** Fail with a `SafeFetchError` (code `"status"`) on a non-2xx answer. @default {true} */
  requireOk?: boolean;
  /** Extra root certificates (PEM) trusted for https. @default {the system's} */
  caCerts?: string[];
  /** Opens each hop's TCP connection (tests). @default {denoConnect} */
  connect?: Connector;
  /**
   * Streams the body into this new file (it must not exist) instead of memory. The file is
   * created only once the headers are accepted, and removed when the fetch fails afterwards.
   * @default {undefined}
   */
  writeTo?: string;
  /** Creates and removes that file. @default {denoFileSink} */
  files?: FileSink;
}

/** What every successful fetch reports. */
export interface SafeFetchInfo {
  /** The final URL, after redirects. */
  url: string;
  status: number;
  headers: Headers;
  /** The Content-Type header as sent, when there was one. */
  contentType: string | undefined;
  /** Body size in bytes. */
  size: number;
}

/** A fetch into memory. */
export interface SafeFetchResult extends SafeFetchInfo {
  bytes: Uint8Array;
}

/** A fetch into a file. */
export interface SafeFetchFileResult extends SafeFetchInfo {
  /** The file written (`writeTo`). */
  path: string;
  /** The first bytes of the body (up to 512), for type sniffing. */
  head: Uint8Array;
}

/**
 * GETs a URL the policy allows (see {@linkcode checkUrl}), following redirects by hand so
 * every hop is checked, within the timeouts and the size limit.
 *
 * @example
 * ```ts
 * const page = await safeFetch("https://example.org/", { allowedHosts: ["example.org"] });
 * const file = await safeFetch(url, { allowedHosts, writeTo: "/data/files/x.png" });
 * ```
 *
 * @param url The URL.
 * @param options Policy, limits, and where the body goes.
 * @returns The final URL, status, headers and the body (bytes, or the file written).
 * @throws {BlockedUrlError} When the policy refuses the URL or a redirect target.
 * @throws {SafeFetchError} When the fetch fails: too large, timeout, status, network, file.
 */
export function safeFetch(
  url: string | URL,
  options: SafeFetchOptions & { writeTo: string },
): Promise<SafeFetchFileResult>;
export function safeFetch(url: string | URL, options?: SafeFetchOptions): Promise<SafeFetchResult>;
export async function safeFetch(
  url: string | URL,
  options: SafeFetchOptions = {},
): Promise<SafeFetchResult | SafeFetchFileResult> {
  const totalMs = options.totalTimeoutMs ?? 60_000;
  const total = new AbortController();
  const timer = setTimeout(() => total.abort(), totalMs);
  const signal = options.signal ? AbortSignal.any([options.signal, total.signal]) : total.signal;
  let current = String(url);
  const fail = (error: unknown): never => {
    if (error instanceof BlockedUrlError || error instanceof SafeFetchError) throw error;
    if (total.signal.aborted) {
      throw new SafeFetchError("timeout", current, `took longer than ${ms(totalMs)}`);
    }
    if (options.signal?.aborted) {
      throw new SafeFetchError("aborted", current, "aborted", {
        cause: options.signal.reason,
      });
    }
    const detail = errorMessage(error);
    throw new SafeFetchError("network", current, detail, {
      cause: error,
    });
  };
  try {
    const response = await followRedirects(current, signal, options, (hop) => current = hop)
      .catch(fail);
    const maxBytes = options.maxBytes ?? 25 * 1024 * 1024;
    const info = { url: current, status: response.status, headers: response.headers };
    const declared = Number(response.headers.get("content-length") ?? NaN);
    const refusal = (options.requireOk ?? true) && !response.ok
      ? new SafeFetchError("status", current, `HTTP ${response.status}`, {
        status: response.status,
      })
      : declared > maxBytes
      ? tooLarge(current, maxBytes)
      : undefined;
    if (refusal) {
      await response.body?.cancel().catch(() => {});
      throw refusal;
    }
    const contentType = response.headers.get("content-type") ?? undefined;
    const body = response.body ?? new Response(new Uint8Array()).body!;
    if (options.writeTo === undefined) {
      const chunks: Uint8Array[] = [];
      const size = await readLimited(body, { maxBytes, url: current }, (chunk) => {
        chunks.push(chunk);
      }).catch(fail);
      return { ...info, contentType, size, bytes: concat(chunks, size) };
    }
    const path = options.writeTo;
    const files = options.files ?? denoFileSink;
    let writable: WritableStream<Uint8Array>;
    try {
      writable = await files.create(path);
    } catch (cause) {
      await body.cancel().catch(() => {});
      const detail = errorMessage(cause);
      throw new SafeFetchError("file", current, `cannot create "${path}": ${detail}`, { cause });
    }
    const writer = writable.getWriter();
    const head: Uint8Array[] = [];
    let headSize = 0;
    try {
      const size = await readLimited(body, { maxBytes, url: current }, async (chunk) => {
        if (headSize < HEAD_BYTES) {
          head.push(chunk.subarray(0, HEAD_BYTES - headSize));
          headSize += Math.min(chunk.length, HEAD_BYTES - headSize);
        }
        await writer.write(chunk).catch((cause: unknown) => {
          const detail = errorMessage(cause);
          throw new SafeFetchError("file", current, `cannot write "${path}": ${detail}`, { cause });
        });
      }).catch(fail);
      await writer.close();
      return { ...info, contentType, size, path, head: concat(head, headSize) };
    } catch (error) {
      await writer.abort(error).catch(() => {});
      await files.remove(path).catch(() => {});
      throw error;
    }
  } finally {
    clearTimeout(timer);
  }
}

async function followRedirects(
  start: string,
  signal: AbortSignal,
  options: SafeFetchOptions,
  onHop: (url: string) => void,
): Promise<Response> {
  const connectMs = options.connectTimeoutMs ?? 10_000;
  const maxRedirects = options.maxRedirects ?? 5;
  let url = start;
  for (let redirects = 0;; redirects++) {
    onHop(url);
    const checked = await untilAborted(checkUrl(url, options), signal);
    const connect = new AbortController();
    const timer = setTimeout(() => connect.abort(), connectMs);
    let response: Response;
    try {
      response = await checkedGet(checked.url, {
        checkPeer: (address) => checkPeerAddress(checked.url, address, options),
        signal: AbortSignal.any([signal, connect.signal]),
        ...(options.headers === undefined ? {} : { headers: options.headers }),
        ...(options.caCerts === undefined ? {} : { caCerts: options.caCerts }),
        ...(options.connect === undefined ? {} : { connect: options.connect }),
      });
    } catch (error) {
      if (connect.signal.aborted && !signal.aborted) {
        throw new SafeFetchError("timeout", url, `no answer within ${ms(connectMs)}`);
      }
      throw deniedAddress(checked.url, error, options) ?? error;
    } finally {
      clearTimeout(timer);
    }
    const location = response.headers.get("location");
    if (!REDIRECT_STATUSES.has(response.status) || location === null) return response;
    await response.body?.cancel().catch(() => {});
    if (redirects >= maxRedirects) {
      throw new SafeFetchError("redirects", url, `more than ${maxRedirects} redirects`);
    }
    try {
      url = new URL(location, url).href;
    } catch (cause) {
      throw new SafeFetchError("redirects", url, `redirect to a bad URL "${location}"`, {
        cause,
      });
    }
  }
}

/**
 * A connection that Deno's own `--deny-net` stopped (a process-isolated skill holds one for
 * every non-public range) reads as the policy's refusal, naming the address.
 */
function deniedAddress(url: URL, error: unknown, policy: UrlPolicy): BlockedUrlError | undefined {
  if (!(error instanceof Deno.errors.NotCapable)) return undefined;
  const target = /net access to "\[?([^"\]]*?)\]?(?::\d+)?"/.exec(error.message)?.[1];
  if (target === undefined) return undefined;
  try {
    if (classifyAddress(target) === undefined) return undefined;
    checkPeerAddress(url, target, { ...policy, allowPrivate: false });
  } catch (refusal) {
    if (refusal instanceof BlockedUrlError) return refusal;
  }
  return undefined;
}

async function readLimited(
  body: ReadableStream<Uint8Array>,
  limit: { maxBytes: number; url: string },
  onChunk: (chunk: Uint8Array) => void | Promise<void>,
): Promise<number> {
  const reader = body.getReader();
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return size;
      size += value.length;
      if (size > limit.maxBytes) throw tooLarge(limit.url, limit.maxBytes);
      await onChunk(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => {});
    throw error;
  } finally {
    reader.releaseLock();
  }
}

/** A DNS lookup cannot be aborted, so stop waiting for it when the fetch is aborted. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function tooLarge(url: string, maxBytes: number): SafeFetchError {
  return new SafeFetchError("too_large", url, `larger than ${limitText(maxBytes)}`);
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

function ms(value: number): string {
  return value % 1000 === 0 ? `${value / 1000} s` : `${value} ms`;
}

function limitText(bytes: number): string {
  const value = bytes / (1024 * 1024);
  return value >= 1 ? `the ${Number(value.toFixed(1))} MiB limit` : `the ${bytes}-byte limit`;
}
