import { closedLoadingFlags } from "../deno_child/mod.ts";
import { bootModule, type EngineRequest } from "./_engine.ts";

/** How to start the child of one process-isolated call. */
export interface ChildCommandOptions {
  /** The `deno` executable, or in a compiled executable the executable itself. */
  denoPath: string;
  /** Permission flags from the manifest (see `processPermissionFlags`). */
  flags: readonly string[];
  /** V8 old-space limit of the child, in MB. */
  memoryMb: number;
  /** The deno.json whose import map skill modules use; omitted = Deno's own discovery. */
  configPath?: string;
  /**
   * Whether this process is a compiled executable (then there is no `deno` to run, and the
   * executable re-runs itself).
   * @default {Deno.build.standalone}
   */
  standalone?: boolean;
}

/**
 * The command line of a process-isolated call's child. Under `deno run` it is
 * `deno run --no-prompt --frozen --no-remote [--no-npm] <the skill's flags>
 * --v8-flags=--max-old-space-size=<MB> <boot module>`: module loading is closed — the lock
 * file is never written, nothing remote loads, and a user skill (`request.confined`)
 * resolves no npm package. A compiled executable has no `deno` to run and Deno applies no
 * permission or V8 flag given to it when it starts, so it re-runs itself as `<executable>
 * skill-child <the skill's flags> [--confined] --timeout-ms=<ms> <module>`: the child
 * confines the skill in a Web Worker holding exactly those flags (see
 * `serveStandaloneChild`); no heap limit applies there, but the child is still its own
 * process. Every child starts through this one function.
 */
export function childCommand(
  request: EngineRequest,
  options: ChildCommandOptions,
): { command: string; args: string[] } {
  if (options.standalone ?? Deno.build.standalone) {
    return {
      command: options.denoPath,
      args: [
        "skill-child",
        ...options.flags,
        ...(request.confined ? ["--confined"] : []),
        `--timeout-ms=${request.timeoutMs}`,
        request.module.href,
      ],
    };
  }
  return {
    command: options.denoPath,
    args: [
      "run",
      "--quiet",
      ...closedLoadingFlags({ noNpm: request.confined }),
      ...(options.configPath === undefined ? [] : ["--config", options.configPath]),
      `--v8-flags=--max-old-space-size=${options.memoryMb}`,
      ...options.flags,
      bootModule(request, "child_main.ts", "serveProcess").url,
    ],
  };
}
