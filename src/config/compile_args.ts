import {
  permissionFlags,
  type PermissionFlagsOptions,
  type PermissionInput,
} from "./permission_flags.ts";
import { AGENT_V8_FLAGS } from "./v8_flags.ts";

/** Options for {@linkcode compileArgs}. */
export interface CompileArgsOptions extends Omit<PermissionFlagsOptions, "portable"> {
  /** Where `deno compile` writes the executable. */
  output: string;
  /**
   * The program's entry point.
   * @default {"main.ts"}
   */
  entry?: string;
  /**
   * Modules the program loads by URL at run time (Web Workers, skill modules): `deno
   * compile` embeds only what the entry point imports statically, so each is given as
   * `--include`.
   * @default {[]}
   */
  include?: readonly string[];
  /** Target triple to cross-compile for, e.g. `"x86_64-unknown-linux-gnu"`; the host's by default. */
  target?: string;
}

/**
 * The `deno compile` arguments (without the `deno` itself) building an executable that
 * runs the agent with this config under exactly its permission flags. A compiled binary
 * cannot take permission flags at run time, so they are baked in, in their portable form:
 * the config file, `.env` and the data directory as the command line and the config wrote
 * them (relative ones are resolved against the working directory when the executable
 * starts, by Deno and by the agent alike), never this machine's home directory or name
 * servers. `--config <path as given>` is baked in after the entry point; the command and
 * further arguments given to the executable follow it (`fluux-agent check`).
 *
 * @param loaded What {@linkcode loadConfig} returned.
 * @returns e.g. `["compile", "--output", "dist/fluux-agent", "--include", "…/worker_main.ts",
 * "--allow-net=…", …, "main.ts", "--config", "config/agent.toml"]`.
 * @throws {TypeError} As {@linkcode permissionFlags} does.
 */
export function compileArgs(loaded: PermissionInput, options: CompileArgsOptions): string[] {
  const target = options.target === undefined ? [] : ["--target", options.target];
  const include = (options.include ?? []).flatMap((path) => ["--include", path]);
  return [
    "compile",
    "--output",
    options.output,
    ...target,
    ...include,
    ...permissionFlags(loaded, { ...options, portable: true }),
    ...AGENT_V8_FLAGS,
    options.entry ?? "main.ts",
    "--config",
    loaded.portable.path,
  ];
}
