/**
 * Keeps an answer that is not the provider's API out of error messages. Between the agent and
 * its LLM there may be a proxy, a load balancer or a captive portal that answers with an HTML
 * page; the SDKs then throw errors that quote the start of that body (`Unexpected token '<',
 * "<!DOCTYPE "... is not valid JSON`, or `502 <html>…`), and a body can hold anything,
 * tokens echoed by a proxy included. The fetch built here reads such an answer itself and
 * fails with an {@linkcode LlmError} that says what came — the status, the content type, the
 * length — and nothing of what it said.
 *
 * @module
 */
import { LlmError } from "../llm_error.ts";
import { errorFromStatus } from "./_errors.ts";
import { checkedStream, streamFormatOf } from "./_checked_stream.ts";

/** Options of {@linkcode checkedFetch}. */
export interface CheckedFetchOptions {
  /** The model asked for, named in a 404's message. */
  model: string;
  /**
   * Hand error answers in JSON to the SDK (Anthropic's error code is read from them); otherwise
   * every error answer becomes an `LlmError` here. @default {false}
   */
  jsonErrorsToSdk?: boolean;
  /**
   * The provider reads streamed answers itself and checks each event: they are passed on as
   * they come, without a checked copy. @default {false}
   */
  readsStreams?: boolean;
}

/** The most of an unexpected body that is read to measure it; the rest is not waited for. */
const MAX_MEASURED_BYTES = 10 * 1024 * 1024;

/**
 * Wraps a fetch so that the SDK reads only JSON: a successful answer whose body does not parse
 * as JSON (or, streamed, an event that does not), and an error answer (in any format, or one that is not JSON when
 * `jsonErrorsToSdk`), reject with an `LlmError` naming its status, content type and length.
 *
 * @param provider The provider name used in messages
 * @param base The fetch to wrap
 * @param options The model, and what to do with JSON error answers
 */
export function checkedFetch(
  provider: string,
  base: typeof fetch,
  options: CheckedFetchOptions,
): typeof fetch {
  return async function checkedFetch(input, init) {
    const response = await base(input, init);
    if (!response.ok) {
      if (options.jsonErrorsToSdk && isJsonType(response.headers)) return response;
      const shape = await measureBody(response);
      throw errorFromStatus(provider, response.status, {
        headers: response.headers,
        model: options.model,
        ...(isJsonType(response.headers) ? {} : { answer: shape }),
      });
    }
    const format = streamFormatOf(response.headers);
    if (format !== undefined) {
      return options.readsStreams ? response : checkedStream(provider, response, format);
    }
    // The SDKs parse the body anyway; reading it first is what lets a bad one be described
    // without quoting it. One more parse of a reply of a few kilobytes costs microseconds.
    const text = await response.text();
    try {
      JSON.parse(text);
    } catch {
      throw notTheApi(provider, response.status, describeShape(response.headers, byteLength(text)));
    }
    return new Response(text, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

/**
 * The error for a successful answer that is not what the API sends (not JSON, or JSON of
 * another shape). Retryable: a proxy's page may be gone on the next try.
 *
 * @param provider The provider name used in the message
 * @param status The HTTP status
 * @param shape What came, e.g. `text/html, 1234 bytes` (never the body)
 */
export function notTheApi(provider: string, status: number, shape: string): LlmError {
  return new LlmError(
    `LLM provider "${provider}" answered HTTP ${status} with something that is not its API's ` +
      `answer (${shape})`,
    { kind: "server", status, retryable: true },
  );
}

/**
 * `text/html, 1234 bytes`: the media type when it is a plain one (the header is the sender's
 * to fill, so anything else is not shown), and the length.
 *
 * @param headers The answer's headers
 * @param bytes The body's length in bytes, or `undefined` when it was not read to the end
 */
export function describeShape(headers: Headers, bytes: number | undefined): string {
  const raw = headers.get("content-type");
  const media = raw?.split(";")[0]?.trim().toLowerCase() ?? "";
  const type = raw === null
    ? "no content type"
    : /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$/.test(media)
    ? media
    : "an unusual content type";
  const length = bytes === undefined
    ? `more than ${MAX_MEASURED_BYTES} bytes`
    : `${bytes} byte${bytes === 1 ? "" : "s"}`;
  return `${type}, ${length}`;
}

function isJsonType(headers: Headers): boolean {
  const media = headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() ?? "";
  return media === "application/json" || media.endsWith("+json");
}

/** Reads and drops the body, counting its bytes up to {@linkcode MAX_MEASURED_BYTES}. */
async function measureBody(response: Response): Promise<string> {
  let bytes = 0;
  const reader = response.body?.getReader();
  try {
    while (reader !== undefined) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > MAX_MEASURED_BYTES) {
        await reader.cancel();
        return describeShape(response.headers, undefined);
      }
    }
  } catch {
    // A body cut short is still described by what arrived of it.
  }
  return describeShape(response.headers, bytes);
}

function byteLength(text: string): number {
  return new TextEncoder().encode(text).byteLength;
}
