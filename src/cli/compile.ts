/**
 * `compile`: builds (or with `--dry-run` prints) the `deno compile` command that bakes this
 * config's permissions into one executable.
 *
 * @module
 */
import type { LoadedConfig } from "../config/mod.ts";
import { MAIN_ENTRY } from "./_shared.ts";
import { compileCommand } from "./compile_command.ts";

/** Builds the executable (`--output`, `--target`, `--dry-run` in `args`); the exit code. */
export async function compile(loaded: LoadedConfig, args: readonly string[]): Promise<number> {
  const option = (name: string) => {
    const index = args.indexOf(name);
    return index === -1 ? undefined : args[index + 1];
  };
  const output = option("--output");
  const target = option("--target");
  const { args: compileArgs, warnings } = await compileCommand(loaded, {
    entry: MAIN_ENTRY,
    ...(output === undefined ? {} : { output }),
    ...(target === undefined ? {} : { target }),
  });
  for (const warning of warnings) console.error(`fluux-agent: warning: ${warning}`);
  if (args.includes("--dry-run")) {
    console.log(["deno", ...compileArgs].map(shellQuote).join(" "));
    return 0;
  }
  const { code } = await new Deno.Command(Deno.execPath(), { args: compileArgs }).spawn().status;
  return code;
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
