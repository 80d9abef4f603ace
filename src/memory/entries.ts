/**
 * The lines of a history file (JSON Lines), in the format the Rust Fluux Agent writes:
 * a session header, then one entry per line. Unknown entry types are kept as they are
 * so newer files survive older readers.
 *
 * @module
 */

/** First line of every history file. */
export interface SessionHeader {
  type: "session";
  /** Format version; 1 today. */
  version: number;
  /** When the session started (ISO 8601). */
  created: string;
  /** The normalised bare JID of the conversation. */
  jid: string;
  /** The XEP-0201 thread this session belongs to; absent for the default session. */
  thread?: string;
}

/** A file received with a message (XEP-0363 / XEP-0066), as the Rust agent stores it. */
export interface Attachment {
  filename: string;
  mime_type: string;
  size: string;
  /** Where it came from, when it was not downloaded (room attachments by default). */
  url?: string;
}

/** A reaction (XEP-0444) to an earlier message, as the Rust agent stores it. */
export interface Reaction {
  message_id: string;
  emojis: string[];
}

/** One message of the conversation. */
export interface MessageEntry {
  type: "message";
  role: "user" | "assistant";
  content: string;
  /** The stanza id of the message, when known. */
  msg_id?: string;
  /**
   * The XEP-0359 stanza-id the agent's server gave a one-to-one message, when it gave one (in
   * rooms the room's stanza-id is the `msg_id`).
   */
  stanza_id?: string;
  /** Who spoke: a JID, or a room nick. */
  sender?: string;
  /** When it was stored (ISO 8601). */
  ts: string;
  attachments?: Attachment[];
  reaction?: Reaction;
  /**
   * What brought it, when not a person: a webhook delivery (with its route) or a scheduled
   * task, by id.
   */
  source?: { kind: "webhook" | "schedule"; id: string; route?: string };
  /**
   * Set on the note that stands for a message too long to read (`agent.max_message_chars`):
   * its length and the limit, in characters. The message itself is not stored.
   */
  oversized?: { chars: number; limit: number };
  /**
   * Set on a correction (XEP-0308): the `msg_id` of the message it corrects, which stays in
   * the history as it was (a person's message, or the agent's earlier reply).
   */
  replaces?: string;
  /** Set on a message corrected while it waited to be answered: the correction's id. */
  replaced_by?: string;
  /**
   * Set on a reply (XEP-0461): the id of the message replied to, and its text as the agent
   * found it (in the history, else in the quote the sender's client gave).
   */
  reply_to?: { id: string; text?: string };
  /**
   * Set on the agent's answer to a room message: the `msg_id` of the message it answers. In a
   * room other occupants speak between a message and its answer, so the order of the entries
   * does not tell which message was answered (a restart needs to know). Absent in files written
   * before it existed, and on one-to-one answers, which follow their message.
   */
  answers?: string;
}

/** Any other entry (tool calls, reactions, …): kept and skipped by message readers. */
export interface OtherEntry {
  type: string;
  ts?: string;
  [field: string]: unknown;
}

/** One line after the header: a message or an entry of another type. */
export type HistoryEntry = MessageEntry | OtherEntry;

/**
 * Whether an entry is a conversation message.
 *
 * @param entry An entry read from a history file.
 * @returns `true` for a well-formed message entry.
 */
export function isMessageEntry(entry: HistoryEntry | SessionHeader): entry is MessageEntry {
  return entry.type === "message" &&
    (entry.role === "user" || entry.role === "assistant") &&
    typeof entry.content === "string";
}

/**
 * Whether a parsed line is the session header.
 *
 * @param line A line parsed by {@linkcode parseLine}.
 * @returns `true` for the header.
 */
export function isSessionHeader(line: SessionHeader | HistoryEntry): line is SessionHeader {
  return line.type === "session";
}

/**
 * Parses one line of a history file.
 *
 * @param line The text of the line, without its newline.
 * @returns The header, the entry, or `null` for a blank, malformed or untyped line.
 */
export function parseLine(line: string): SessionHeader | HistoryEntry | null {
  if (line.trim() === "") return null;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const entry = value as { type?: unknown };
  if (typeof entry.type !== "string") return null;
  if (entry.type === "message" && !isMessageEntry(entry as HistoryEntry)) return null;
  return entry as SessionHeader | HistoryEntry;
}

/** Freezes a parsed entry and everything in it (entries come from JSON: no cycles). */
export function frozenEntry<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const inner of Object.values(value)) frozenEntry(inner);
    Object.freeze(value);
  }
  return value;
}
