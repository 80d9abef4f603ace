/**
 * Ending a child process the tests or the bench started: an optional signal, then SIGKILL if
 * it has not exited within a grace period.
 *
 * @module
 */

/** Options for {@linkcode endProcess}. */
export interface EndProcessOptions {
  /** Sent first, unless the process is already gone. @default none (wait only) */
  signal?: Deno.Signal;
  /** How long to wait before SIGKILL, in milliseconds. @default {5000} */
  graceMs?: number;
}

/**
 * Ends a child process and resolves with its status.
 *
 * @example
 * ```ts
 * const status = await endProcess(child, { signal: "SIGTERM", graceMs: 3000 });
 * ```
 */
export async function endProcess(
  child: Deno.ChildProcess,
  options: EndProcessOptions = {},
): Promise<Deno.CommandStatus> {
  const send = (signal: Deno.Signal) => {
    try {
      child.kill(signal);
    } catch {
      // Already gone.
    }
  };
  if (options.signal !== undefined) send(options.signal);
  const timer = setTimeout(() => send("SIGKILL"), options.graceMs ?? 5000);
  try {
    return await child.status;
  } finally {
    clearTimeout(timer);
  }
}
