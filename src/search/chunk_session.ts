import {
  type Chunk,
  type ChunkSizeOptions,
  DEFAULT_CHUNK_TOKENS,
  DEFAULT_OVERLAP_TOKENS,
} from "./chunk.ts";
import { packUnits } from "./_pack.ts";
import { CHARS_PER_TOKEN, splitLong } from "./_text.ts";

/** Where in a session file chunking starts, and the bytes from there. */
export interface SessionSlice {
  /** The file's bytes from `byte` on. */
  bytes: Uint8Array;
  /** The line number of the first line in `bytes`, 1-based. */
  line: number;
  /** The byte offset of `bytes` in the file. */
  byte: number;
  /** How many messages come before `bytes` in the file. */
  seq: number;
}

/** Where a later run can resume: the start of the last chunk (the one that may still grow). */
export interface SessionResume {
  line: number;
  byte: number;
  seq: number;
}

/** What {@linkcode chunkSession} made of a slice. */
export interface ChunkedSession {
  chunks: Chunk[];
  /** Messages in the file up to the last complete line read. */
  messages: number;
  /** Where to re-chunk from once the file has grown. */
  resume: SessionResume;
}

/** Options of {@linkcode chunkSession}. */
export interface ChunkSessionOptions extends ChunkSizeOptions {
  /** The date of messages that carry none (the file's mtime). */
  fallbackDate: string;
}

interface Message {
  line: number;
  byte: number;
  seq: number;
  date: string;
  role: string;
  text: string;
}

interface SessionUnit {
  lineFrom: number;
  lineTo: number;
  byteFrom: number;
  seqFrom: number;
  seqTo: number;
  date: string;
  text: string;
  chars: number;
}

const decoder = new TextDecoder();

/**
 * Cuts a session (JSON Lines: a header, then entries) into chunks by exchanges: a user's
 * message and what followed it until the next user message, packed into chunks of about
 * `maxTokens` that repeat about `overlapTokens` of the previous one. An exchange too long
 * for a chunk is cut by message, and a message too long by words. Only messages are
 * indexed (tool calls, reactions and the header are not), each as `role: text` (`sender:`
 * in rooms); a line not ended by a newline yet (being written) is left for the next run.
 *
 * @param slice The bytes to read, and where they are in the file.
 * @example
 * ```ts
 * const bytes = await Deno.readFile("data/memory/alice@example.org/sessions/20261127-091500.jsonl");
 * chunkSession({ bytes, line: 1, byte: 0, seq: 0 }, { fallbackDate: new Date().toISOString() });
 * ```
 */
export function chunkSession(slice: SessionSlice, options: ChunkSessionOptions): ChunkedSession {
  const maxChars = (options.maxTokens ?? DEFAULT_CHUNK_TOKENS) * CHARS_PER_TOKEN;
  const overlapChars = (options.overlapTokens ?? DEFAULT_OVERLAP_TOKENS) * CHARS_PER_TOKEN;
  const { messages, lines, bytes } = readMessages(slice, options.fallbackDate);
  const units = exchanges(messages).flatMap((exchange) =>
    unitsOf(exchange, maxChars, overlapChars)
  );
  const groups = packUnits(units, maxChars, overlapChars);
  const chunks = groups.map(([start, end]): Chunk => {
    const first = units[start]!;
    const last = units[end - 1]!;
    return {
      lineFrom: first.lineFrom,
      lineTo: last.lineTo,
      byteFrom: first.byteFrom,
      seqFrom: first.seqFrom,
      seqTo: last.seqTo,
      date: first.date,
      text: units.slice(start, end).map((unit) => unit.text).join("\n"),
    };
  });
  const seq = slice.seq + messages.length;
  const open = chunks.at(-1);
  const resume = open === undefined
    ? { line: slice.line + lines, byte: slice.byte + bytes, seq }
    : { line: open.lineFrom, byte: open.byteFrom, seq: open.seqFrom };
  return { chunks, messages: seq, resume };
}

/** The messages of the complete lines of a slice, and how many lines and bytes those are. */
function readMessages(slice: SessionSlice, fallbackDate: string) {
  const messages: Message[] = [];
  const { bytes } = slice;
  let offset = 0;
  let line = slice.line;
  let seq = slice.seq;
  for (;;) {
    const newline = bytes.indexOf(0x0a, offset);
    if (newline === -1) break;
    const message = parseMessage(decoder.decode(bytes.subarray(offset, newline)));
    if (message !== undefined) {
      messages.push({
        ...message,
        line,
        byte: slice.byte + offset,
        seq,
        date: message.date ?? fallbackDate,
      });
      seq++;
    }
    offset = newline + 1;
    line++;
  }
  return { messages, lines: line - slice.line, bytes: offset };
}

function parseMessage(text: string): { role: string; text: string; date?: string } | undefined {
  if (!text.includes('"message"')) return undefined;
  let entry: unknown;
  try {
    entry = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof entry !== "object" || entry === null) return undefined;
  const { type, role, content, sender, ts, attachments } = entry as Record<string, unknown>;
  if (type !== "message" || (role !== "user" && role !== "assistant")) return undefined;
  if (typeof content !== "string") return undefined;
  const files = Array.isArray(attachments)
    ? attachments.map((file) => (file as { filename?: unknown })?.filename)
      .filter((name): name is string => typeof name === "string")
    : [];
  const body = [content.trim(), ...files.map((name) => `(file: ${name})`)]
    .filter((part) => part !== "").join(" ");
  if (body === "") return undefined;
  const label = typeof sender === "string" && sender !== "" ? sender : role;
  return {
    role,
    text: `${label}: ${body}`,
    ...(typeof ts === "string" && !Number.isNaN(Date.parse(ts)) ? { date: ts } : {}),
  };
}

/** Messages grouped by exchange: each user message opens one. */
function exchanges(messages: Message[]): Message[][] {
  const result: Message[][] = [];
  for (const message of messages) {
    const current = result.at(-1);
    if (current === undefined || message.role === "user") result.push([message]);
    else current.push(message);
  }
  return result;
}

/** One unit for an exchange that fits in a chunk; else one per message, or per piece. */
function unitsOf(exchange: Message[], maxChars: number, overlapChars: number): SessionUnit[] {
  const text = exchange.map((message) => message.text).join("\n");
  const first = exchange[0]!;
  const last = exchange.at(-1)!;
  if (text.length <= maxChars) {
    return [{
      lineFrom: first.line,
      lineTo: last.line,
      byteFrom: first.byte,
      seqFrom: first.seq,
      seqTo: last.seq,
      date: first.date,
      text,
      chars: text.length,
    }];
  }
  return exchange.flatMap((message) =>
    splitLong(message.text, maxChars, overlapChars).map((piece) => ({
      lineFrom: message.line,
      lineTo: message.line,
      byteFrom: message.byte,
      seqFrom: message.seq,
      seqTo: message.seq,
      date: message.date,
      text: piece,
      chars: piece.length,
    }))
  );
}
