/**
 * Keeps a streamed answer that is not the provider's API out of error messages, as
 * `_checked_answers.ts` does for whole answers: the SDKs parse each server-sent event (and each
 * NDJSON line) with `JSON.parse`, whose error quotes the start of what it could not read. The
 * stream built here checks every event line first and, at the first that is not JSON, fails
 * with an {@linkcode LlmError} that says so and quotes nothing.
 *
 * @module
 */
import { LlmError } from "../llm_error.ts";
import { bodyChunks } from "./_body_chunks.ts";

/** How a streamed answer is framed. */
export type StreamFormat = "sse" | "ndjson";

/**
 * The framing of a successful answer, from its content type: `sse` for `text/event-stream`,
 * `ndjson` for `application/x-ndjson`; `undefined` for anything else (a whole answer).
 *
 * @param headers The answer's headers
 */
export function streamFormatOf(headers: Headers): StreamFormat | undefined {
  const media = headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() ?? "";
  if (media === "text/event-stream") return "sse";
  if (media === "application/x-ndjson") return "ndjson";
  return undefined;
}

/**
 * The same answer, its body passed on unchanged as it arrives, but failing with an `LlmError`
 * (kind `server`, retryable) at the first event whose data is not JSON. OpenAI's closing
 * `data: [DONE]` is allowed.
 *
 * @param provider The provider name used in messages
 * @param response A successful streamed answer
 * @param format Its framing
 */
export function checkedStream(
  provider: string,
  response: Response,
  format: StreamFormat,
): Response {
  if (response.body === null) return response;
  const decoder = new TextDecoder();
  let carry = "";
  let events = 0;
  const check = (line: string): LlmError | undefined => {
    const data = format === "ndjson"
      ? line.trim()
      : line.startsWith("data:")
      ? line.slice(5).trim()
      : "";
    if (data === "" || (format === "sse" && data === "[DONE]")) return undefined;
    events++;
    try {
      JSON.parse(data);
      return undefined;
    } catch {
      return notJsonEvent(provider, events, response.status);
    }
  };
  // Read into one reused buffer and passed on as copies of what arrived: the SDK reads this
  // copy, so each event costs its own few hundred bytes, not a 64 KiB buffer of its own.
  const chunks = bodyChunks(response.body);
  const fail = async (controller: ReadableStreamDefaultController, problem: LlmError) => {
    controller.error(problem);
    await chunks.return();
  };
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await chunks.next();
      if (done) {
        const problem = check(carry + decoder.decode());
        return problem === undefined ? controller.close() : fail(controller, problem);
      }
      const lines = (carry + decoder.decode(value, { stream: true })).split("\n");
      carry = lines.pop() ?? "";
      for (const line of lines) {
        const problem = check(line.replace(/\r$/, ""));
        if (problem !== undefined) return fail(controller, problem);
      }
      controller.enqueue(value.slice());
    },
    async cancel() {
      await chunks.return();
    },
  });
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/**
 * The error of a streamed answer whose event is not JSON: it names the event's number and
 * quotes nothing of it (server `retryable`: a proxy's page in place of the stream is often
 * gone at the next try).
 *
 * @param provider The provider name used in messages
 * @param event The event's number, from 1
 * @param status The answer's HTTP status
 */
export function notJsonEvent(provider: string, event: number, status: number): LlmError {
  return new LlmError(
    `LLM provider "${provider}" streamed something that is not its API's answer ` +
      `(event ${event} is not JSON)`,
    { kind: "server", status, retryable: true },
  );
}
