import {
  permissionFlags,
  type PermissionFlagsOptions,
  type PermissionInput,
} from "./permission_flags.ts";

/** Options for {@linkcode compileArgs}. */
export interface CompileArgsOptions extends PermissionFlagsOptions {
  /** Where `deno compile` writes the executable. */
  output: string;
  /**
   * The program's entry point.
   * @default {"main.ts"}
   */
  entry?: string;
  /**
   * The agent command baked in: `run` runs the agent in-process (the executable already
   * holds its permissions, so it must not re-launch itself as `start` does).
   * @default {"run"}
   */
  command?: string;
  /** Target triple to cross-compile for, e.g. `"x86_64-unknown-linux-gnu"`; the host's by default. */
  target?: string;
}

/**
 * The `deno compile` arguments (without the `deno` itself) building an executable that
 * runs the agent with this config under exactly its permission flags. A compiled binary
 * cannot take permission flags at run time, and those flags name this config's paths, so
 * the command and `--config <absolute path>` are baked in after the entry point; arguments
 * given to the executable are appended after them.
 *
 * @param loaded What {@linkcode loadConfig} returned.
 * @returns e.g. `["compile", "--output", "dist/fluux-agent", "--allow-net=…", …, "main.ts",
 * "run", "--config", "/srv/agent/config/agent.toml"]`.
 * @throws {TypeError} As {@linkcode permissionFlags} does.
 */
export function compileArgs(loaded: PermissionInput, options: CompileArgsOptions): string[] {
  const target = options.target === undefined ? [] : ["--target", options.target];
  return [
    "compile",
    "--output",
    options.output,
    ...target,
    ...permissionFlags(loaded, options),
    options.entry ?? "main.ts",
    options.command ?? "run",
    "--config",
    loaded.path,
  ];
}
