/**
 * The V8 flags the agent process runs with, whatever its config.
 *
 * `--max-semi-space-size=2` (MiB): V8 grows the young generation up to 16 MiB a semi-space
 * (three of them are reserved), and under a burst of messages it does, then keeps it. At
 * 2 MiB the bench measured the idle peak RSS 113 → 102 MB and the RSS after 10 users × 5
 * messages 203 → 158 MB, with the reply overhead unchanged within its noise: an answer's
 * garbage is short-lived and a small nursery collects it as well.
 *
 * `main.ts permissions` and `start` pass them with the permission flags; `compile` bakes
 * them into the executable.
 *
 * @module
 */

/** The agent process's V8 flags, as one `deno` argument each. */
export const AGENT_V8_FLAGS: readonly string[] = ["--v8-flags=--max-semi-space-size=2"];
