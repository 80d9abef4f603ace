/**
 * Memory commands: `/memory` shows the conversation's `memory.md` (the facts the agent keeps,
 * in every prompt) and `/memory clear` empties it; `/memory search <query>` runs the same
 * search as the `memory_search` tool, for the person, without an LLM call; `/memory share
 * <text>` adds a fact to shared memory for a contributor. The conversation and the sender come
 * from the runtime.
 *
 * @module
 */
import { errorMessage } from "../log/mod.ts";
import type { Command } from "./command.ts";

/** A result as the commands show it. */
export interface MemoryCommandHit {
  source: string;
  lineFrom: number;
  lineTo: number;
  date: string;
  text: string;
  shared: boolean;
}

/** The memory search the commands use (`MemorySearch` in `src/search/`). */
export interface MemoryCommandSearch {
  search(
    conversation: string,
    query: string,
    limit?: number,
  ): Promise<{ hits: MemoryCommandHit[]; note?: string }>;
  share(contributor: string | undefined, fact: string): Promise<{ source: string; line: number }>;
  /** Whether shared memory takes contributions. */
  readonly sharing: boolean;
}

/** A conversation's `memory.md`. */
export interface MemoryNotes {
  /** Its text, `null` when missing. */
  read(jid: string): Promise<string | null>;
  /** Removes it; whether there was one. */
  clear(jid: string): Promise<boolean>;
}

/** Options of {@linkcode memoryCommands}. */
export interface MemoryCommandsOptions {
  /** Where a failure the person is not shown goes (the agent's log). @default {no-op} */
  warn?: (message: string) => void;
  /** The notes `/memory` shows and `/memory clear` empties. @default {none} */
  notes?: MemoryNotes;
}

/** Longest result text shown in a chat message. */
const SHOWN_CHARS = 600;

const SEARCH_USAGE = "/memory search <words> — search this conversation's memory and the " +
  "shared notes; /memory share <fact> — add a fact to shared memory (contributors only)";
const NOTES_USAGE = "/memory — show what I keep in memory.md; /memory clear — empty it";

/**
 * The `/memory` command over a memory search.
 *
 * @example
 * ```ts
 * const commands = [...builtinCommands(), ...memoryCommands(search)];
 * ```
 */
export function memoryCommands(
  search: MemoryCommandSearch | undefined,
  options: MemoryCommandsOptions = {},
): Command[] {
  const warn = options.warn ?? (() => {});
  const { notes } = options;
  if (search === undefined && notes === undefined) return [];
  const usage = `Usage: ${
    [notes === undefined ? undefined : NOTES_USAGE, search === undefined ? undefined : SEARCH_USAGE]
      .filter((part) => part !== undefined).join("; ")
  }`;
  return [{
    name: "memory",
    summary: [
      notes === undefined
        ? undefined
        : "Show or clear what the agent keeps (/memory, /memory clear)",
      search === undefined
        ? undefined
        : "search this conversation's memory (/memory search <words>)" +
          (search.sharing ? ", or add to shared memory (/memory share <fact>)" : ""),
    ].filter((part) => part !== undefined).join("; ").replace(/^./, (first) => first.toUpperCase()),
    args: {
      label: [
        notes === undefined ? undefined : "clear",
        search === undefined
          ? undefined
          : search.sharing
          ? "search <words>, or share <fact>"
          : "search <words>",
      ].filter((part) => part !== undefined).join(", or "),
      required: notes === undefined,
    },
    async run({ jid, sender, args, rights }) {
      // As with the tools: in a room, only occupants whose real JID is allowed.
      if (!rights.erase) {
        return "In a room, only an occupant whose real JID is allowed (agent.allowed_jids, " +
          "visible in a non-anonymous room) may use /memory.";
      }
      const match = /^(\S+)\s*([\s\S]*)$/.exec(args);
      const action = match?.[1]?.toLowerCase();
      const rest = match?.[2]?.trim() ?? "";
      if (notes !== undefined && action === undefined) {
        const text = await notes.read(jid);
        return text === null || text.trim() === ""
          ? "memory.md is empty: I keep no notes about this conversation yet."
          : `memory.md:\n${text.trimEnd()}`;
      }
      if (notes !== undefined && action === "clear" && rest === "") {
        return await notes.clear(jid)
          ? "Done: memory.md is empty now."
          : "memory.md was already empty.";
      }
      if (search !== undefined && action === "search" && rest !== "") {
        return await runSearch(search, jid, rest, warn);
      }
      if (search !== undefined && action === "share" && rest !== "") {
        return await runShare(search, sender, rest, warn);
      }
      return usage;
    },
  }];
}

async function runSearch(
  search: MemoryCommandSearch,
  jid: string,
  query: string,
  warn: (message: string) => void,
) {
  let outcome;
  try {
    outcome = await search.search(jid, query, 5);
  } catch (error) {
    warn(`/memory search in ${jid} failed: ${errorMessage(error)}`);
    return "Memory search failed; the agent's log says why.";
  }
  const note = outcome.note === undefined ? "" : `\n(${outcome.note})`;
  if (outcome.hits.length === 0) return `Nothing found in memory for "${query}".${note}`;
  const lines = outcome.hits.map((hit, i) => {
    const text = hit.text.length > SHOWN_CHARS ? `${hit.text.slice(0, SHOWN_CHARS)}…` : hit.text;
    return `${i + 1}. ${hit.source}, lines ${hit.lineFrom}-${hit.lineTo}, ` +
      `${hit.date.slice(0, 10)}${hit.shared ? " (shared)" : ""}\n${text}`;
  });
  return `Found in memory for "${query}":${note}\n\n${lines.join("\n\n")}`;
}

async function runShare(
  search: MemoryCommandSearch,
  sender: string | undefined,
  fact: string,
  warn: (message: string) => void,
) {
  try {
    const added = await search.share(sender, fact);
    return `Added to shared memory (${added.source}, line ${added.line}).`;
  } catch (error) {
    // Refusals (not a contributor, an empty or too long fact) say why; anything else does not.
    if (
      error instanceof RangeError || (error instanceof Error && error.name === "MemoryAccessError")
    ) {
      return `Not added: ${error.message}.`;
    }
    warn(`/memory share by ${sender ?? "an unknown sender"} failed: ${errorMessage(error)}`);
    return "Sharing failed; the agent's log says why.";
  }
}
