/** The command and its arguments, as {@linkcode splitCommand} reads them. */
export interface CommandLine {
  /** The first word that is neither an option nor `--config`'s value; `undefined` if none. */
  command: string | undefined;
  /** Every argument but the command (options before it included). */
  rest: string[];
  /** The arguments after the command only. */
  after: string[];
}

/**
 * Finds the command in the arguments: the first word that is not an option or the value of
 * `--config`. A compiled executable has `--config <path>` baked in before the arguments it
 * is given, so `fluux-agent check` reaches the program as `--config <path> check`.
 *
 * @example
 * ```ts
 * splitCommand(["--config", "agent.toml", "check"]).command; // "check"
 * ```
 */
export function splitCommand(args: readonly string[]): CommandLine {
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === "--") break;
    if (arg === "--config") {
      index++;
      continue;
    }
    if (arg.startsWith("-")) continue;
    return {
      command: arg,
      rest: [...args.slice(0, index), ...args.slice(index + 1)],
      after: args.slice(index + 1),
    };
  }
  return { command: undefined, rest: [...args], after: [] };
}
