/**
 * The slash command registry: recognises `/name args` and runs the command.
 *
 * @module
 */
import type { Command, CommandContext } from "./command.ts";

/** A parsed command line. */
export interface CommandLine {
  name: string;
  args: string;
}

/**
 * Parses a message as a command: any body starting with `/`.
 *
 * @returns The lower-cased name and the trimmed rest, or `undefined` for a chat message.
 */
export function parseCommandLine(body: string): CommandLine | undefined {
  if (!body.startsWith("/")) return undefined;
  const match = /^\/(\S*)\s*([\s\S]*)$/.exec(body);
  return { name: (match?.[1] ?? "").toLowerCase(), args: (match?.[2] ?? "").trim() };
}

/**
 * Holds the commands and runs them by name or alias.
 *
 * @example
 * ```ts
 * const registry = new CommandRegistry([pingCommand]);
 * await registry.execute({ name: "ping", args: "" }, context); // "pong"
 * ```
 */
export class CommandRegistry {
  #commands: Command[];
  #byName = new Map<string, Command>();

  constructor(commands: Command[]) {
    this.#commands = [...commands];
    for (const command of commands) {
      for (const name of [command.name, ...(command.aliases ?? [])]) {
        if (this.#byName.has(name)) throw new RangeError(`Duplicate command name "/${name}"`);
        this.#byName.set(name, command);
      }
    }
  }

  /** Every command, in registration order. */
  get commands(): readonly Command[] {
    return this.#commands;
  }

  /** Runs a command; an unknown name gets a reply pointing to `/help`. */
  execute(line: CommandLine, context: Omit<CommandContext, "args" | "commands">): Promise<string> {
    const command = this.#byName.get(line.name);
    if (command === undefined) {
      const shown = line.name === "" ? "/" : `/${line.name}`;
      return Promise.resolve(`Unknown command ${shown}. Send /help for the list of commands.`);
    }
    if (command.dev && !context.rights.dev) {
      return Promise.resolve(
        `/${command.name} is a developer command: only the JIDs in agent.dev_command_jids may use it.`,
      );
    }
    if (command.erases && !context.rights.erase) {
      return Promise.resolve(
        `/${command.name} erases this room's memory: only an occupant whose real JID is ` +
          "allowed (agent.allowed_jids, visible in a non-anonymous room) may use it.",
      );
    }
    return command.run({ ...context, args: line.args, commands: this.#commands });
  }
}
