/**
 * Recognising a one-to-one message delivered a second time. After a restart the server may
 * deliver a message again — from offline storage, or as an unacknowledged stanza of a
 * hibernated stream (XEP-0198) — with the same `id` and XEP-0359 stanza-id and another
 * `<delay/>`. The conversation's history knows what was stored, across restarts.
 *
 * @module
 */
import type { ConversationRef, HistoryEntry } from "../memory/mod.ts";
import type { MessageEvent } from "../xmpp/mod.ts";
import { countChars } from "./count_chars.ts";

/** The memory operation {@linkcode wasStored} uses. */
export interface RedeliveryMemory {
  /** The newest of the session's last entries (kept in memory) that satisfies `match`. */
  findRecent(
    ref: ConversationRef,
    match: (entry: HistoryEntry) => boolean,
    options?: { ids?: readonly string[] },
  ): Promise<HistoryEntry | undefined>;
}

/**
 * Whether `message` is already among the last entries of `session`: a user entry with the same
 * server stanza-id, or with the same `id` and the same text (a client that reuses ids across
 * its own restarts must not lose a new message; for a message too long to read, the same
 * length). Only the session's tail is searched (the
 * entries the store keeps in memory, at least the last 200): a message delivered again after
 * a restart is normally one of the last few.
 *
 * @param memory The store.
 * @param session The message's session (its thread's, when it has one).
 * @param message The message as received.
 */
export async function wasStored(
  memory: RedeliveryMemory,
  session: ConversationRef,
  message: Pick<MessageEvent, "id" | "stanzaId" | "body">,
): Promise<boolean> {
  const { id, stanzaId, body } = message;
  if (id === undefined && stanzaId === undefined) return false;
  let chars: number | undefined;
  const found = await memory.findRecent(session, (entry) => {
    if (entry.type !== "message" || entry.role !== "user") return false;
    if (stanzaId !== undefined && entry.stanza_id === stanzaId) return true;
    if (id === undefined || entry.msg_id !== id) return false;
    // A message too long to read is stored as a note that gives its length.
    const oversized = (entry as { oversized?: { chars?: unknown } }).oversized;
    if (oversized !== undefined) return oversized.chars === (chars ??= countChars(body));
    return sameText(entry.content, body);
  }, { ids: [stanzaId, id].filter((value) => value !== undefined) });
  return found !== undefined;
}

/** Whether a stored content is what `body` gives (links of failed attachments follow it). */
function sameText(content: unknown, body: string): boolean {
  if (typeof content !== "string") return false;
  return body === "" || content === body || content.startsWith(`${body}\n`);
}
