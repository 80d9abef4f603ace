/**
 * `/compact`: summarises this session's older messages now, as compaction does when the history
 * passes its budget. The session file keeps every message.
 *
 * @module
 */
import type { Command } from "./command.ts";

/** `/compact`: compaction on demand. */
export const compactCommand: Command = {
  name: "compact",
  summary: "Summarise this session's older messages now (the originals are kept)",
  async run({ session, conversation, room }) {
    if (conversation === undefined) return "Compaction is not available here.";
    try {
      return await conversation.compactNow(session, room ?? false);
    } catch {
      return "Compaction failed: nothing was changed. The agent's log says why; it is " +
        "tried again when the history passes its budget.";
    }
  },
};
