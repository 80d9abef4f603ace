/**
 * Session commands: `/new` (alias `/reset`) archives the session, `/forget` erases it
 * together with the profile.
 *
 * @module
 */
import type { Command } from "./command.ts";

/** `/new` and `/reset`: archive the current session and start a fresh one. */
export const newCommand: Command = {
  name: "new",
  aliases: ["reset"],
  summary: "Archive this conversation (or this thread) and start a new session",
  erases: true,
  async run({ session, memory }) {
    const count = await memory.messageCount(session);
    const archived = await memory.archive(session);
    if (archived === null) return "Nothing to archive: this session is already empty.";
    return `New session started. The previous one (${plural(count, "message")}) is archived.`;
  },
};

/**
 * `/forget`: erase the current session (from the default session, every thread's too) and
 * the profile, keep the archives.
 */
export const forgetCommand: Command = {
  name: "forget",
  summary: "Erase this conversation's history and your profile (archives are kept)",
  erases: true,
  confirm: "Erase this conversation's history and your profile?",
  async run({ session, memory }) {
    await memory.forget(session);
    return "Done: I forgot this conversation and your profile. Archived sessions are kept.";
  },
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
