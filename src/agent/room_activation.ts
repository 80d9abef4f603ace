/**
 * Whether a room message addresses the agent (XEP-0045 rooms have no direct address):
 * `nick:` or `nick,` at the start, or `@nick` as a whole word anywhere — `@botanist` does
 * not address `bot`. With activation `all`, every message does.
 *
 * @module
 */

/** How a room activates the agent. */
export type RoomActivation = "mention" | "all";

/** The outcome of {@linkcode addressedText}. */
export interface Addressing {
  addressed: boolean;
  /** The message without a leading `nick:`/`nick,`, trimmed. */
  text: string;
}

/**
 * Decides whether `body` addresses `nick`, and strips a leading address.
 *
 * @example
 * ```ts
 * addressedText("bot: what time is it?", "bot", "mention"); // { addressed: true, text: "what time is it?" }
 * addressedText("ask @botanist", "bot", "mention").addressed; // false
 * ```
 */
export function addressedText(body: string, nick: string, activation: RoomActivation): Addressing {
  const escaped = nick.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  // Bodies keep their indentation now: a few spaces before the address still address it.
  const prefix = new RegExp(`^\\s*@?${escaped}\\s*[:,]\\s*`, "iu");
  const match = prefix.exec(body);
  if (match !== null) return { addressed: true, text: body.slice(match[0].length).trim() };
  const mention = new RegExp(`(^|[^\\p{L}\\p{N}_@])@${escaped}(?![\\p{L}\\p{N}_-])`, "iu");
  return { addressed: activation === "all" || mention.test(body), text: body.trim() };
}
