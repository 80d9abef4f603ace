/**
 * Delivers an answer while the LLM writes it (`[agent] stream_replies`, or a room's own):
 * - `"paragraphs"`: each paragraph, or code block kept whole, goes out as a message of its own
 *   as soon as it is complete (those that complete together, together), with `composing` on
 *   each but the last, which has `active`;
 * - `"corrections"`: one message that grows, corrected in place (XEP-0308) at most once a
 *   second while it grows, with a last correction holding the whole answer as soon as it is
 *   complete;
 * - `"off"` is not streamed: the turn sends the answer whole at the end.
 *
 * Only the answer is shown: a round that ends in tool calls shows nothing of itself unless its
 * text had already begun to show (nothing shows before a round's first paragraph is complete
 * and the next has begun, which a tool call's short preamble never reaches).
 *
 * @module
 */
import type { SendMessageAction, XmppAction } from "../xmpp/mod.ts";
import { ParagraphChunker } from "./paragraph_chunker.ts";
import type { ReplyTarget } from "./turn.ts";

/** How answers are delivered while they are written (the config's `stream_replies`). */
export type StreamReplies = "paragraphs" | "corrections" | "off";

/** What a streamed answer showed, for the history. */
export interface DeliveredAnswer {
  /** The text the person was shown, whole. */
  text: string;
  /** The id of the first message (the one corrections correct). */
  id: string;
}

/** Options of {@linkcode StreamedReply}. */
export interface StreamedReplyOptions {
  /** Sends a message or chat state. */
  send: (action: XmppAction) => void;
  /** The clock, in milliseconds. @default {performance.now} */
  now?: () => number;
  /** Schedules a correction. @default {setTimeout} */
  setTimer?: (run: () => void, ms: number) => number;
  /** @default {clearTimeout} */
  clearTimer?: (id: number) => void;
  /** The least time between two corrections while the answer grows. @default {1000} */
  correctionIntervalMs?: number;
  /**
   * A growing message past this many characters is left as it is at its last paragraph break,
   * and a new one grows on: a stanza must stay under the server's size limit. @default {12000}
   */
  maxCorrectedChars?: number;
  /** Makes message ids. @default {crypto.randomUUID} */
  newId?: () => string;
  /**
   * Turns a message's text into what is sent (the LLM's Markdown into XEP-0393 styling); the
   * history keeps the text as written. @default {the text as it is}
   */
  format?: (text: string) => string;
  /**
   * Asked as the first message goes out: what it carries besides its text (the XEP-0461
   * `reply` of an answer sent after the person wrote again). @default {nothing}
   */
  first?: () => Pick<SendMessageAction, "reply">;
  /**
   * Nothing goes out before this settles (the person's message on disk, so that a failure
   * still loses nothing), and nothing at all if it rejects. @default {no wait}
   */
  after?: Promise<unknown>;
}

/** One answer's delivery, fed by the LLM's text as it streams. */
export class StreamedReply {
  #mode: "paragraphs" | "corrections";
  #target: ReplyTarget;
  #send: (action: XmppAction) => void;
  #now: () => number;
  #setTimer: (run: () => void, ms: number) => number;
  #clearTimer: (id: number) => void;
  #interval: number;
  #maxChars: number;
  #newId: () => string;
  #format: (text: string) => string;
  #first: () => Pick<SendMessageAction, "reply">;
  /** What earlier rounds showed, whole. */
  #shown = "";
  /** This round's text, as streamed. */
  #round = "";
  #chunker = new ParagraphChunker();
  /** The paragraphs this round has sent (paragraphs mode). */
  #sent: string[] = [];
  /** Whether this round has begun to show. */
  #showing = false;
  #firstId: string | undefined;
  /** Corrections: the growing message, the text of the messages before it, the last update. */
  #growing: { id: string; offset: number; body: string } | undefined;
  #lastUpdate = -Infinity;
  #timer: number | undefined;
  /** What waits for `after`; `undefined` once it is fulfilled. */
  #held: XmppAction[] | undefined;
  #closed = false;

  /**
   * @param mode `"paragraphs"` or `"corrections"`
   * @param target Where the answer goes
   * @param options How it is sent, and the clock
   */
  constructor(
    mode: "paragraphs" | "corrections",
    target: ReplyTarget,
    options: StreamedReplyOptions,
  ) {
    this.#mode = mode;
    this.#target = target;
    this.#send = options.send;
    this.#now = options.now ?? (() => performance.now());
    this.#setTimer = options.setTimer ??
      ((run, ms) => setTimeout(run, ms) as unknown as number);
    this.#clearTimer = options.clearTimer ?? ((id) => clearTimeout(id));
    this.#interval = options.correctionIntervalMs ?? 1000;
    this.#maxChars = options.maxCorrectedChars ?? 12_000;
    this.#newId = options.newId ?? (() => crypto.randomUUID());
    this.#format = options.format ?? ((text) => text);
    this.#first = options.first ?? (() => ({}));
    if (options.after !== undefined) {
      this.#held = [];
      options.after.then(() => {
        const held = this.#held ?? [];
        this.#held = undefined;
        if (!this.#closed) { for (const action of held) this.#send(action); }
      }, () => this.close());
    }
  }

  /** Sends nothing more, whatever comes (the turn failed another way and says so itself). */
  close(): void {
    this.#closed = true;
    this.#held = [];
    this.#cancelTimer();
  }

  /** Takes the next piece of the current round's text (give it as the LLM call's `on_text`). */
  readonly text = (piece: string): void => {
    this.#round += piece;
    const complete = this.#chunker.push(piece);
    if (!this.#showing && complete.length === 0) return;
    this.#showing = true;
    if (this.#mode === "paragraphs") {
      // Paragraphs that complete together (text that came in one piece) go out together: a
      // model that sends much at once must not turn into a flood of small messages.
      if (complete.length > 0) this.#paragraph(complete.join("\n\n"), "composing");
    } else this.#scheduleUpdate();
  };

  /**
   * The round ended in tool calls: its text is dropped when none of it showed, else what is
   * left of it goes out, since it is part of what the person reads.
   */
  endRound(): void {
    if (this.#showing) {
      if (this.#mode === "paragraphs") {
        const rest = this.#chunker.finish();
        if (rest !== "") this.#paragraph(rest, "composing");
      } else this.#update("composing");
      this.#shown = this.#visible();
    }
    this.#round = "";
    this.#sent = [];
    this.#showing = false;
    this.#chunker = new ParagraphChunker();
  }

  /**
   * The answer is complete: sends what is left of it, with `active`.
   *
   * @param answer The final round's whole text (what the LLM call resolved with)
   * @returns What the person was shown, for the history
   */
  finish(answer: string): DeliveredAnswer {
    this.#cancelTimer();
    // The text streamed is the answer, but for a model that did not stream (or an empty
    // answer's placeholder): then, when none of it showed, the answer takes its place.
    const streamed = this.#showing || this.#round.trim() === answer.trim();
    if (!streamed) this.#round = answer;
    if (this.#mode === "paragraphs") {
      const rest = streamed ? this.#chunker.finish() : answer.trim();
      if (rest !== "") this.#paragraph(rest, "active");
      else this.#out({ type: "chat_state", state: "active", ...this.#where() });
    } else this.#update("active");
    return { text: this.#visible(), id: this.#firstId ?? "" };
  }

  /**
   * The stream broke off: everything received goes out as it is (the turn then says that the
   * answer was cut).
   *
   * @returns What the person was shown, or `undefined` when nothing was received at all
   */
  cut(): DeliveredAnswer | undefined {
    this.#cancelTimer();
    if (this.#round.trim() === "" && this.#firstId === undefined) return undefined;
    if (this.#mode === "paragraphs") {
      const rest = this.#chunker.finish();
      if (rest !== "") this.#paragraph(rest, "composing");
    } else this.#update("composing");
    return { text: this.#visible(), id: this.#firstId ?? "" };
  }

  /** Everything shown so far and this round's text, as one text. */
  #visible(): string {
    const round = this.#mode === "paragraphs" ? this.#sent.join("\n\n") : this.#round.trim();
    return [this.#shown, round].filter((part) => part !== "").join("\n\n");
  }

  #paragraph(body: string, chatState: "composing" | "active"): void {
    const id = this.#newId();
    const extras = this.#firstId === undefined ? this.#first() : {};
    this.#firstId ??= id;
    this.#sent.push(body);
    this.#out({
      type: "message",
      body: this.#format(body),
      chatState,
      id,
      ...extras,
      ...this.#where(),
    });
  }

  #scheduleUpdate(): void {
    if (this.#timer !== undefined) return;
    const wait = this.#lastUpdate + this.#interval - this.#now();
    if (wait <= 0) return this.#update("composing");
    this.#timer = this.#setTimer(() => {
      this.#timer = undefined;
      this.#update("composing");
    }, wait);
  }

  /** Corrections: brings the growing message up to the visible text. */
  #update(chatState: "composing" | "active"): void {
    this.#cancelTimer();
    const visible = this.#visible();
    let growing = this.#growing;
    if (growing !== undefined && visible.length - growing.offset > this.#maxChars) {
      // Leave the full message at its last paragraph break; a new one grows on after it.
      const cut = visible.lastIndexOf("\n\n", growing.offset + this.#maxChars);
      if (cut > growing.offset) {
        this.#correct(growing, visible.slice(growing.offset, cut), "composing");
        growing = this.#growing = { id: this.#newId(), offset: cut + 2, body: "" };
      }
    }
    if (growing === undefined) {
      const id = this.#newId();
      this.#firstId ??= id;
      growing = this.#growing = { id, offset: 0, body: "" };
    }
    const body = visible.slice(growing.offset);
    if (body === growing.body) {
      if (chatState === "active") {
        this.#out({ type: "chat_state", state: "active", ...this.#where() });
      }
      return;
    }
    this.#correct(growing, body, chatState);
    this.#lastUpdate = this.#now();
  }

  #correct(
    growing: { id: string; body: string },
    body: string,
    chatState: "composing" | "active",
  ): void {
    const first = growing.body === "";
    growing.body = body;
    this.#out({
      type: "message",
      body: this.#format(body),
      chatState,
      ...(first ? { id: growing.id } : { id: this.#newId(), replaces: growing.id }),
      ...(first && growing.id === this.#firstId ? this.#first() : {}),
      ...this.#where(),
    });
  }

  #out(action: XmppAction): void {
    if (this.#closed) return;
    if (this.#held !== undefined) this.#held.push(action);
    else this.#send(action);
  }

  #cancelTimer(): void {
    if (this.#timer === undefined) return;
    this.#clearTimer(this.#timer);
    this.#timer = undefined;
  }

  #where() {
    const reply = this.#target;
    return {
      to: reply.to,
      messageType: reply.messageType,
      ...(reply.from === undefined ? {} : { from: reply.from }),
      ...(reply.thread === undefined ? {} : { thread: reply.thread }),
    };
  }
}

/** What the person is told after an answer that broke off midway. */
export const CUT_NOTE = "(The answer was cut off here: the language model stopped before " +
  "finishing. Ask again for the rest.)";

/**
 * The delivery of one answer, or `undefined` when it goes out whole at the end (`"off"`).
 *
 * @param reply Where the answer goes
 * @param mode The conversation's `stream_replies`
 * @param options How it is sent
 */
export function startStreamedReply(
  reply: ReplyTarget,
  mode: StreamReplies,
  options: StreamedReplyOptions,
): StreamedReply | undefined {
  return mode === "off" ? undefined : new StreamedReply(mode, reply, options);
}

/**
 * The `stream_replies` of each conversation: a room's own (`"off"` for a room the config does
 * not name), for its messages and for private messages through it; else the chats' setting.
 *
 * @param chats `[agent] stream_replies`
 * @param rooms Each configured room's `stream_replies`, by room JID
 */
export function streamRepliesFor(
  chats: StreamReplies,
  rooms: ReadonlyMap<string, StreamReplies>,
): (reply: ReplyTarget) => StreamReplies {
  return function streamRepliesOf(reply) {
    const bare = reply.to.split("/")[0]!.toLowerCase();
    if (reply.messageType === "groupchat") return rooms.get(bare) ?? "off";
    return rooms.get(bare) ?? chats;
  };
}
