/**
 * The one-to-one messages waiting in their conversation's queue, in the order they arrived:
 * what a correction (XEP-0308) of a message that is still waiting makes of it (only the
 * corrected text is answered), and whether an answer goes out after a later message of the
 * same person arrived (then it says which message it answers, XEP-0461).
 *
 * In memory only: after a restart, messages taken up from the inbox are answered in order,
 * each as it was.
 *
 * @module
 */
import type { MessageEvent } from "../xmpp/mod.ts";

/** What the tracker knows of one message. */
export interface TrackedMessage {
  /** Its place in its conversation's arrivals (1, 2, …). */
  seq: number;
  /** The id of the correction that came while it waited, if one did. */
  supersededBy?: string;
}

interface Waiting extends TrackedMessage {
  event: MessageEvent;
  started: boolean;
}

/** Keeps the waiting messages of each conversation. */
export class MessageTracker {
  #waiting = new Map<string, Waiting[]>();
  #last = new Map<string, number>();

  /**
   * A message was accepted into the queue of `key`. A correction of a message still
   * waiting there marks that one superseded.
   *
   * @returns Whether the message is a correction of a waiting one.
   */
  arrived(key: string, event: MessageEvent): boolean {
    const seq = (this.#last.get(key) ?? 0) + 1;
    this.#last.set(key, seq);
    const list = this.#waiting.get(key) ?? [];
    list.push({ event, seq, started: false });
    this.#waiting.set(key, list);
    if (event.replaces === undefined) return false;
    const original = list.find((item) =>
      !item.started && item.event !== event &&
      (item.event.id === event.replaces || item.event.originId === event.replaces)
    );
    if (original === undefined) return false;
    original.supersededBy = idOf(event) ?? "";
    return true;
  }

  /**
   * Its handler starts on `event`: it no longer waits.
   *
   * @returns What is known of it; `undefined` for a message that was not tracked (one taken
   * up after a restart).
   */
  start(key: string, event: MessageEvent): TrackedMessage | undefined {
    const list = this.#waiting.get(key);
    const index = list?.findIndex((item) =>
      !item.started &&
      (item.event === event || (event.id !== undefined && item.event.id === event.id))
    ) ?? -1;
    if (list === undefined || index < 0) return undefined;
    const item = list[index]!;
    item.started = true;
    list.splice(index, 1);
    if (list.length === 0) this.#waiting.delete(key);
    return item.supersededBy === undefined
      ? { seq: item.seq }
      : { seq: item.seq, supersededBy: item.supersededBy };
  }

  /** Whether a message of `key` arrived after the one numbered `seq`. */
  hasNewer(key: string, seq: number): boolean {
    return (this.#last.get(key) ?? 0) > seq;
  }
}

/** The id other clients know a one-to-one message by: its origin-id, else its id. */
export function idOf(event: Pick<MessageEvent, "id" | "originId">): string | undefined {
  return event.originId ?? event.id;
}
