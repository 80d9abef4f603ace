/**
 * Developer commands: `/debug`, `/context`, `/history [N]`, `/raw <xml>` — only for the JIDs
 * in `agent.dev_command_jids`.
 *
 * @module
 */
import type { Command } from "./command.ts";

/** `/debug`: what the agent knows about this conversation and itself. */
export const debugCommand: Command = {
  name: "debug",
  summary: "Show this conversation's session and the agent's settings",
  dev: true,
  async run({ jid, session, memory, status }) {
    const info = status();
    const thread = typeof session === "string" ? undefined : session.thread;
    return [
      `Conversation: ${jid}${thread ? ` (thread ${thread})` : ""}`,
      `Messages in this session: ${await memory.messageCount(session)}`,
      `Archived sessions: ${await memory.archivedSessions(session)}`,
      `Mode: ${info.mode}`,
      `LLM: ${info.provider} (${info.model}), ${info.usage.calls} calls since start`,
    ].join("\n");
  },
};

/** `/context`: the user's profile file and the session's summary, as the LLM sees them. */
export const contextCommand: Command = {
  name: "context",
  summary: "Show the profile (user.md) and the summary the LLM sees for this conversation",
  dev: true,
  async run({ jid, session, memory, conversation }) {
    const { user } = await memory.promptParts(jid);
    const profile = user === undefined
      ? "No profile: user.md (or context.md) is empty or missing."
      : user;
    if (conversation === undefined) return profile;
    const summary = await conversation.summary(session);
    return [
      profile,
      summary === undefined
        ? "No summary: no message of this session is compacted."
        : `Summary of ${summary.compacted_count} messages (${summary.ts}):\n${summary.content}`,
    ].join("\n\n");
  },
};

/** `/history [N]`: the last N entries of the session (default 10, at most 100). */
export const historyCommand: Command = {
  name: "history",
  summary: "Show the last N entries of this session (default 10)",
  args: { label: "How many entries (default 10)", required: false },
  dev: true,
  async run({ session, memory, args }) {
    const n = args === "" ? 10 : Number(args);
    if (!Number.isInteger(n) || n < 1 || n > 100) {
      return `Usage: /history [N], with N from 1 to 100 (got "${args}").`;
    }
    const entries = await memory.recent(session, n);
    if (entries.length === 0) return "This session is empty.";
    return entries.map((entry) => {
      const who = entry.sender ?? entry.role ?? entry.type;
      return `${entry.ts ?? ""} ${who}: ${entry.content ?? ""}`.trim();
    }).join("\n");
  },
};

/** `/raw <xml>`: sends one stanza as given, after checking it is one well-formed stanza. */
export const rawCommand: Command = {
  name: "raw",
  summary: "Send one raw stanza (<message/>, <presence/> or <iq/>)",
  args: { label: "The stanza", required: true },
  dev: true,
  run({ args, sendRaw }) {
    if (args === "") return Promise.resolve("Usage: /raw <stanza>");
    const error = sendRaw(args);
    return Promise.resolve(error === undefined ? "Sent." : `Not sent: ${error}`);
  },
};
