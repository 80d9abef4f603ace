/**
 * The `react` tool (XEP-0444 outbound reactions): the LLM may answer with an emoji on a
 * message, instead of or besides text. By default it reacts to the message being answered;
 * `message_id` names another message of the conversation, and only one the agent knows is
 * accepted. Offered in one-to-one chats.
 *
 * @module
 */
import type { ToolDefinition } from "../llm/mod.ts";
import type { XmppAction } from "../xmpp/mod.ts";
import type { ToolCall, ToolResult } from "./turn.ts";

/** The tool's name. */
export const REACT_TOOL = "react";

/** The tool as the LLM sees it. */
export const REACT_DEFINITION: ToolDefinition = {
  name: REACT_TOOL,
  // No emoji in the text: one character beyond Latin-1 makes V8 hold the whole request, built
  // around this definition every turn, in two bytes a character (and encode it slower).
  description: "React to a message with an emoji, as people do in chat apps (e.g. a thumbs " +
    "up to acknowledge, a heart to thank). Use it instead of a text answer when an emoji says " +
    "it all, or besides your answer. By default the reaction goes on the message you are " +
    "answering.",
  input_schema: {
    type: "object",
    properties: {
      emoji: { type: "string", description: "One emoji character" },
      message_id: {
        type: "string",
        description: "The id of another message of this conversation to react to (optional)",
      },
    },
    required: ["emoji"],
  },
};

/** Where and on what the reactions of one turn go. */
export interface ReactTarget {
  /** The person's full JID. */
  to: string;
  /** The agent's address (component mode). */
  from?: string;
  /** The message being answered: the default target. */
  messageId?: string;
  /** Whether `id` is one of the conversation's messages the agent knows. */
  knows: (id: string) => boolean;
  send: (action: XmppAction) => void;
}

/** The most characters one emoji (with its modifiers and joiners) may take. */
const MAX_EMOJI_UNITS = 32;
const EMOJI =
  /^(?:\p{Extended_Pictographic}|\p{Regional_Indicator}|\p{Emoji_Component}|\u200d|\ufe0f|\u20e3)+$/u;
const PICTURE = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3/u;

/** Runs the `react` calls of one turn; remembers what it sent, for the turn's answer. */
export class TurnReactions {
  #target: ReactTarget;
  #sent = new Map<string, string[]>();

  constructor(target: ReactTarget) {
    this.#target = target;
  }

  /** Whether any reaction was sent in this turn. */
  get sent(): boolean {
    return this.#sent.size > 0;
  }

  /** The reactions sent in this turn, as the history stores them: one per message. */
  entries(): { message_id: string; emojis: string[] }[] {
    return [...this.#sent].map(([message_id, emojis]) => ({ message_id, emojis }));
  }

  /**
   * Runs one call: sends the reaction, or says why it cannot.
   *
   * @param call A `react` call.
   */
  call(call: ToolCall): ToolResult {
    const fail = (content: string) => ({ tool_use_id: call.id, content, is_error: true });
    const { emoji, message_id } = call.input;
    if (typeof emoji !== "string" || emoji.trim() === "") return fail("emoji must be an emoji");
    const value = emoji.trim();
    if (value.length > MAX_EMOJI_UNITS || !EMOJI.test(value) || !PICTURE.test(value)) {
      return fail(`"${value.slice(0, MAX_EMOJI_UNITS)}" is not an emoji`);
    }
    if (message_id !== undefined && typeof message_id !== "string") {
      return fail("message_id must be a string");
    }
    const target = message_id ?? this.#target.messageId;
    if (target === undefined) return fail("There is no message to react to: give message_id");
    if (message_id !== undefined && !this.#target.knows(message_id)) {
      return fail(`No message "${message_id}" in this conversation`);
    }
    // XEP-0444: each reaction message carries the whole set the sender has on the message.
    const emojis = [...new Set([...(this.#sent.get(target) ?? []), value])];
    this.#sent.set(target, emojis);
    this.#target.send({
      type: "react",
      to: this.#target.to,
      ...(this.#target.from === undefined ? {} : { from: this.#target.from }),
      messageId: target,
      emojis,
    });
    return {
      tool_use_id: call.id,
      content: `Reacted ${value} to message ${target}`,
      is_error: false,
    };
  }
}
