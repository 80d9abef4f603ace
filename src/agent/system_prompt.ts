/**
 * System prompt assembly: identity, personality and instructions (each from the
 * conversation's folder, else the global one, else a default), then what the agent knows
 * about the user, its memory notes and the active persona's background. Nothing in it changes
 * from one turn to the next, so that a prompt cache can reuse it: the current time goes with the
 * new message instead ({@linkcode currentTimeNote}).
 *
 * @module
 */
import type { PromptParts } from "../memory/mod.ts";

/** Options for {@linkcode buildSystemPrompt}. */
export interface SystemPromptOptions {
  /** The agent's name. */
  name: string;
}

/**
 * Builds the system prompt of a turn.
 *
 * @example
 * ```ts
 * buildSystemPrompt({ user: "Alice, likes tea" }, { name: "Fluux Agent" });
 * ```
 */
export function buildSystemPrompt(parts: PromptParts, options: SystemPromptOptions): string {
  const { name } = options;
  const sections = [
    parts.identity ?? defaultIdentity(name),
    parts.personality ?? DEFAULT_PERSONALITY,
    parts.instructions ?? DEFAULT_INSTRUCTIONS,
  ];
  if (parts.user) sections.push(`## About the user\n${parts.user}`);
  if (parts.memory) sections.push(`## Your notes about this conversation\n${parts.memory}`);
  if (parts.context) sections.push(`## Background\n${parts.context}`);
  if (parts.previous) sections.push(`## The previous session\n${parts.previous}`);
  return sections.map((section) => section.trim()).join("\n\n");
}

/**
 * The current time, as a note the turn adds to the new message (after every cached part).
 *
 * @example
 * ```ts
 * currentTimeNote(new Date("2026-11-27T09:15:00Z")); // "[Current date and time: Friday 2026-11-27, 09:15 UTC]"
 * ```
 */
export function currentTimeNote(now: Date): string {
  return `[Current date and time: ${formatNow(now)}]`;
}

function defaultIdentity(name: string): string {
  return `You are ${name}, an AI assistant that people talk to over XMPP (Jabber) chat.`;
}

const DEFAULT_PERSONALITY =
  "You are helpful, direct and friendly. You say so when you do not know something.";

const DEFAULT_INSTRUCTIONS = [
  "Write for a chat window: short paragraphs, plain text, light Markdown at most.",
  "Answer in the language the user writes in.",
  "Messages starting with / are commands handled by the agent itself, not by you.",
].join("\n");

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

function formatNow(now: Date): string {
  const iso = now.toISOString();
  return `${WEEKDAYS[now.getUTCDay()]} ${iso.slice(0, 10)}, ${iso.slice(11, 16)} UTC`;
}
