/**
 * Information commands: `/status`, `/help`, `/ping`.
 *
 * @module
 */
import type { Command } from "./command.ts";

/** `/ping`: answers `pong`, to check that the agent is alive. */
export const pingCommand: Command = {
  name: "ping",
  summary: "Check that the agent is alive (answers pong)",
  run: () => Promise.resolve("pong"),
};

/** `/help`: lists every command. */
export const helpCommand: Command = {
  name: "help",
  summary: "List the commands",
  run({ commands, rights }) {
    const lines = commands.filter((command) => !command.dev || rights.dev).map((command) => {
      const names = [command.name, ...(command.aliases ?? [])].map((n) => `/${n}`).join(", ");
      return `${names} — ${command.summary}`;
    });
    return Promise.resolve(["Commands:", ...lines].join("\n"));
  },
};

/** `/status`: uptime, mode, LLM, and this conversation's counts. */
export const statusCommand: Command = {
  name: "status",
  summary: "Show uptime, connection mode, LLM and this conversation's counts",
  async run({ session, memory, status, now, conversation }) {
    const info = status();
    const last = info.usage.last_answer;
    const [messages, archived, context] = await Promise.all([
      memory.messageCount(session),
      memory.archivedSessions(session),
      conversation?.statusLines(session) ?? [],
    ]);
    return [
      `Uptime: ${formatDuration(now().getTime() - info.startedAt.getTime())}`,
      `Mode: ${info.mode}`,
      `LLM: ${info.provider} (${info.model})`,
      ...(last === undefined ? [] : [
        `Last answer from: ${last.model} (${last.tier} tier` +
        `${last.instead_of === undefined ? "" : `, in place of ${last.instead_of}`})`,
      ]),
      `LLM usage since start: ${info.usage.calls} calls, ` +
      `${info.usage.input_tokens} input / ${info.usage.output_tokens} output tokens`,
      `This session: ${messages} messages`,
      ...context,
      `Archived sessions: ${archived}`,
    ].join("\n");
  },
};

/** Formats milliseconds as `2d 3h 4m 5s`, omitting leading zero units. */
export function formatDuration(ms: number): string {
  let rest = Math.max(0, Math.floor(ms / 1000));
  const parts: string[] = [];
  for (const [unit, size] of [["d", 86400], ["h", 3600], ["m", 60]] as const) {
    const value = Math.floor(rest / size);
    rest %= size;
    if (value > 0 || parts.length > 0) parts.push(`${value}${unit}`);
  }
  parts.push(`${rest}s`);
  return parts.join(" ");
}
