/**
 * Acknowledgements (XEP-0184 receipts, XEP-0333 `received` markers) of messages whose turn
 * starts at once are held until that turn takes them into the stanza it starts with: one
 * stanza — `composing`, the receipt, `displayed` (which implies `received`) — instead of two.
 * A message that waits behind another turn is acknowledged on its own at once; a held one
 * that no turn takes (a refusal, a failure) goes alone after {@linkcode ACK_WAIT_MS}.
 *
 * @module
 */
import type { AcknowledgeAction, XmppAction } from "../xmpp/mod.ts";

/** The longest a held acknowledgement waits for its turn to take it, in milliseconds. */
export const ACK_WAIT_MS = 1000;

/** What a stanza starting work on a message takes over. */
export interface TakenAck {
  /** Put the message's receipt in it. */
  receipt: boolean;
}

/** The acknowledgements waiting, by message id. */
export class PendingAcks {
  #send: (action: XmppAction) => void;
  #waitMs: number;
  #waiting = new Map<string, { action: AcknowledgeAction; timer: ReturnType<typeof setTimeout> }>();

  /**
   * @param send Sends an acknowledgement whose wait is over.
   * @param waitMs How long one waits. @default {ACK_WAIT_MS}
   */
  constructor(send: (action: XmppAction) => void, waitMs: number = ACK_WAIT_MS) {
    this.#send = send;
    this.#waitMs = waitMs;
  }

  /**
   * Takes an acknowledgement: sent now when its message waits behind other work, else held
   * for its turn to {@linkcode take} (sent alone after the wait if none does).
   */
  hold(waits: boolean, action: AcknowledgeAction): void {
    if (waits) return this.#send(action);
    const key = keyOf(action.to, action.id);
    this.#cancel(key);
    const timer = setTimeout(() => {
      this.#waiting.delete(key);
      this.#send(action);
    }, this.#waitMs);
    this.#waiting.set(key, { action, timer });
  }

  /**
   * Takes the acknowledgement of message `id` from `to` over: the caller sends it in its own
   * stanza with `displayed` (or sends it itself).
   *
   * @returns What it asked for, or `undefined` when none is waiting (already sent, or none).
   */
  take(to: string, id: string | undefined): TakenAck | undefined {
    if (id === undefined) return undefined;
    const key = keyOf(to, id);
    const waiting = this.#waiting.get(key);
    if (waiting === undefined) return undefined;
    this.#cancel(key);
    return { receipt: waiting.action.receipt };
  }

  #cancel(key: string): void {
    const waiting = this.#waiting.get(key);
    if (waiting === undefined) return;
    clearTimeout(waiting.timer);
    this.#waiting.delete(key);
  }
}

function keyOf(to: string, id: string): string {
  return `${to}\n${id}`;
}
