/**
 * The V8 flags the agent process runs with, whatever its config: memory before raw speed. An
 * agent mostly waits (for its LLM, for people), and many run on small machines.
 *
 * - `--max-semi-space-size=2` (MiB): V8 grows the young generation up to 16 MiB a semi-space
 *   under a burst of messages, and keeps it. Measured by the bench: idle peak RSS 113 → 102
 *   MB, the reply overhead unchanged within its noise.
 * - `--optimize-for-size`: a heap that grows more slowly and gives memory back sooner.
 *   Measured over 50 users × 20 messages at once: peak RSS 204–218 → 135–145 MB, the burst
 *   answered in 7.2–7.7 s instead of 5.9–7.1 s (about 12 % more time, from more collection);
 *   one person's round trip unchanged.
 *
 * `main.ts permissions` and `start` pass them with the permission flags; `compile` bakes
 * them into the executable.
 *
 * @module
 */

/** The agent process's V8 flags, as one `deno` argument. */
export const AGENT_V8_FLAGS: readonly string[] = [
  "--v8-flags=--max-semi-space-size=2,--optimize-for-size",
];
