/** How the child process of a process-isolated call is started. */
export interface SkillChildOptions {
  /** The `deno` executable. */
  denoPath: string;
  /** Permission flags from the manifest (see `processPermissionFlags`). */
  flags: readonly string[];
  /** V8 old-space limit of the child, in MB. */
  memoryMb: number;
  /** The deno.json whose import map skill modules use; omitted = Deno's own discovery. */
  configPath?: string;
  /** A user skill: no npm packages at all (its code may load only its own files). */
  confined: boolean;
}

/**
 * The command line of one process-isolated call: `deno run` of the boot module with the
 * manifest's permission flags, a heap limit, no prompt, and module loading closed — the
 * lock file is never written (`--frozen`), nothing remote loads (`--no-remote`), and a user
 * skill resolves no npm package (`--no-npm`). Every child starts through this one function.
 *
 * @param bootUrl The boot module (a `data:` URL, see `bootModule`).
 * @param options See {@linkcode SkillChildOptions}.
 */
export function skillChildCommand(
  bootUrl: string,
  options: SkillChildOptions,
): { command: string; args: string[] } {
  return {
    command: options.denoPath,
    args: [
      "run",
      "--quiet",
      "--no-prompt",
      "--frozen",
      "--no-remote",
      ...(options.confined ? ["--no-npm"] : []),
      ...(options.configPath === undefined ? [] : ["--config", options.configPath]),
      `--v8-flags=--max-old-space-size=${options.memoryMb}`,
      ...options.flags,
      bootUrl,
    ],
  };
}
