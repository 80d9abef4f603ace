/**
 * The note files the context writes in a conversation's folder: facts appended to `memory.md`
 * (dated, once each) and the summary of the last session in `context.md`.
 *
 * @module
 */
import type { ConversationRef, NoteFile } from "../memory/mod.ts";
import { notesToAppend } from "./memory_notes.ts";

/** The note operations of the memory store. */
export interface NoteFiles {
  readNote(jid: string, name: NoteFile): Promise<string | null>;
  appendNote(jid: string, name: NoteFile, text: string): Promise<void>;
  clearNote(jid: string, name: NoteFile): Promise<boolean>;
}

/** How a `context.md` written by carry-over begins. */
const CARRY_OVER_HEADING = "# The previous session (summarised by the agent,";

/**
 * Appends the facts not yet in a conversation's `memory.md`.
 *
 * @returns How many were new.
 */
export async function rememberFacts(
  notes: NoteFiles,
  jid: string,
  facts: readonly string[],
  now: Date,
): Promise<number> {
  const existing = (await notes.readNote(jid, "memory.md")) ?? "";
  const text = notesToAppend(existing, facts, now);
  if (text === "") return 0;
  await notes.appendNote(jid, "memory.md", text);
  return text.split("\n").filter((line) => line.startsWith("- ")).length;
}

/**
 * Replaces a conversation's `context.md` by the summary of its last session, unless the file
 * holds something the agent did not write.
 *
 * @param options `summary` makes the text (called only when the file may be written).
 * @returns Whether it was written.
 */
export async function carrySessionOver(
  notes: NoteFiles,
  ref: ConversationRef,
  options: { summary: () => Promise<string>; now: Date },
): Promise<boolean> {
  const jid = typeof ref === "string" ? ref : ref.jid;
  const existing = await notes.readNote(jid, "context.md");
  if (existing !== null && existing.trim() !== "" && !existing.startsWith(CARRY_OVER_HEADING)) {
    return false;
  }
  const content = await options.summary();
  await notes.clearNote(jid, "context.md");
  await notes.appendNote(
    jid,
    "context.md",
    `${CARRY_OVER_HEADING} ${options.now.toISOString().slice(0, 10)})\n\n${content}\n`,
  );
  return true;
}
