/**
 * The response side of HTTP/1.1 (RFC 9112) as {@linkcode checkedGet} needs it: the status line
 * and header fields, then the body framed by `Transfer-Encoding: chunked`, `Content-Length` or
 * the end of the connection. Pure stream logic, no I/O of its own.
 *
 * @module
 */

const CRLF = [13, 10];
const MAX_CHUNK_LINE = 4096;

/** A parsed response head. */
export interface ResponseHead {
  status: number;
  statusText: string;
  /** Header fields in arrival order, names lower-cased. */
  fields: [string, string][];
}

/** Reads a byte stream with a look-ahead buffer: lines, heads and bounded chunks. */
export class ByteReader {
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #buffer: Uint8Array = new Uint8Array(0);

  /** @param stream The connection's readable side. */
  constructor(stream: ReadableStream<Uint8Array>) {
    this.#reader = stream.getReader();
  }

  /** Reads through the next `\r\n\r\n` and returns the text before it. */
  async readHead(limit: number): Promise<string> {
    return new TextDecoder("latin1").decode(await this.#until([...CRLF, ...CRLF], limit));
  }

  /** Reads through the next `\r\n` and returns the text before it. */
  async readLine(limit: number): Promise<string> {
    return new TextDecoder("latin1").decode(await this.#until(CRLF, limit));
  }

  /** Up to `max` bytes; `undefined` at the end of the stream. */
  async read(max: number): Promise<Uint8Array | undefined> {
    if (this.#buffer.length === 0 && !await this.#fill()) return undefined;
    const part = this.#buffer.subarray(0, max);
    this.#buffer = this.#buffer.subarray(part.length);
    return part;
  }

  /** Stops reading; the underlying stream is cancelled. */
  async cancel(): Promise<void> {
    await this.#reader.cancel().catch(() => {});
  }

  async #until(marker: number[], limit: number): Promise<Uint8Array> {
    let from = 0;
    for (;;) {
      const at = indexOf(this.#buffer, marker, from);
      if (at !== -1) {
        const found = this.#buffer.slice(0, at);
        this.#buffer = this.#buffer.subarray(at + marker.length);
        return found;
      }
      if (this.#buffer.length > limit) throw new Error(`Response head larger than ${limit} bytes`);
      from = Math.max(0, this.#buffer.length - marker.length + 1);
      if (!await this.#fill()) {
        throw new Error("Connection closed before the response was complete");
      }
    }
  }

  async #fill(): Promise<boolean> {
    const { done, value } = await this.#reader.read();
    if (done) return false;
    const joined = new Uint8Array(this.#buffer.length + value.length);
    joined.set(this.#buffer);
    joined.set(value, this.#buffer.length);
    this.#buffer = joined;
    return true;
  }
}

/**
 * Parses a response head (status line and fields, without the blank line).
 *
 * @throws {Error} When it is not an HTTP/1.x response.
 */
export function parseResponseHead(text: string): ResponseHead {
  const [statusLine = "", ...lines] = text.split("\r\n");
  const match = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(statusLine);
  if (!match) throw new Error(`Not an HTTP/1.1 response: "${statusLine.slice(0, 40)}"`);
  const fields: [string, string][] = [];
  for (const line of lines) {
    const colon = line.indexOf(":");
    // Folded or nameless lines are refused (RFC 9112 §5.2): a lenient parser is how
    // response smuggling starts.
    if (colon <= 0 || /[\s]/.test(line.slice(0, colon))) {
      throw new Error(`Malformed header line: "${line.slice(0, 40)}"`);
    }
    fields.push([line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()]);
  }
  return { status: Number(match[1]), statusText: match[2] ?? "", fields };
}

/**
 * The body of a response as a stream, framed as its head says. The reader is cancelled when
 * the stream ends, fails or is cancelled, so the caller can close the connection then.
 *
 * @param head The parsed head.
 * @param reader Positioned just after the head.
 * @param onEnd Called once when the body is over (read to its end, failed or cancelled).
 * @throws {Error} When the framing is contradictory (two lengths, unknown transfer coding).
 */
export function bodyStream(
  head: ResponseHead,
  reader: ByteReader,
  onEnd: () => void,
): ReadableStream<Uint8Array> | null {
  const values = (name: string) => head.fields.filter(([key]) => key === name).map(([, v]) => v);
  let ended = false;
  const end = () => {
    if (!ended) ended = true, onEnd();
  };
  if (head.status === 204 || head.status === 205 || head.status === 304) {
    end();
    return null;
  }
  const codings = values("transfer-encoding").join(",").split(",").map((v) => v.trim())
    .filter((v) => v !== "").map((v) => v.toLowerCase());
  let next: () => Promise<Uint8Array | undefined>;
  if (codings.length > 0) {
    if (codings.at(-1) !== "chunked" || codings.length > 1) {
      throw new Error(`Unsupported transfer coding "${codings.join(", ")}"`);
    }
    next = chunked(reader);
  } else {
    const lengths = new Set(
      values("content-length").flatMap((v) => v.split(",")).map((v) => v.trim()),
    );
    if (lengths.size > 1) throw new Error("Conflicting Content-Length headers");
    const [length] = lengths;
    if (length !== undefined && !/^\d{1,15}$/.test(length)) {
      throw new Error(`Bad Content-Length "${length}"`);
    }
    next = length === undefined ? () => reader.read(65_536) : sized(reader, Number(length));
  }
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const chunk = await next();
        if (chunk === undefined) {
          controller.close();
          end();
        } else controller.enqueue(chunk);
      } catch (error) {
        controller.error(error);
        end();
      }
    },
    async cancel() {
      await reader.cancel();
      end();
    },
  }, { highWaterMark: 0 });
}

function sized(reader: ByteReader, length: number): () => Promise<Uint8Array | undefined> {
  let left = length;
  return async () => {
    if (left === 0) return undefined;
    const chunk = await reader.read(Math.min(left, 65_536));
    if (chunk === undefined) throw new Error("Connection closed before the end of the body");
    left -= chunk.length;
    return chunk;
  };
}

function chunked(reader: ByteReader): () => Promise<Uint8Array | undefined> {
  let left = 0;
  let done = false;
  return async () => {
    if (done) return undefined;
    if (left === 0) {
      const line = (await reader.readLine(MAX_CHUNK_LINE)).split(";")[0]!.trim();
      if (!/^[0-9a-fA-F]{1,12}$/.test(line)) throw new Error(`Bad chunk size "${line}"`);
      left = parseInt(line, 16);
      if (left === 0) {
        // Trailer fields are read and dropped, up to the blank line.
        while ((await reader.readLine(MAX_CHUNK_LINE)) !== "");
        done = true;
        return undefined;
      }
    }
    const chunk = await reader.read(Math.min(left, 65_536));
    if (chunk === undefined) throw new Error("Connection closed inside a chunk");
    left -= chunk.length;
    if (left === 0 && (await reader.readLine(2)) !== "") {
      throw new Error("Chunk not followed by CRLF");
    }
    return chunk;
  };
}

function indexOf(haystack: Uint8Array, needle: number[], from: number): number {
  outer: for (let i = from; i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
