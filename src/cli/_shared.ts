/**
 * What the command modules share: the exit-code line, the stop signals, where the entry
 * point is, and how skills run in this process.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sourceUrl } from "../build/mod.ts";
import type { LoadedConfig } from "../config/mod.ts";

/** The signals that stop the agent (Windows has no SIGTERM to listen to: Deno throws there). */
export const STOP_SIGNALS: readonly Deno.Signal[] = Deno.build.os === "windows"
  ? ["SIGINT", "SIGBREAK"]
  : ["SIGINT", "SIGTERM"];

/** The program's entry point, `main.ts` (what `start` runs and `compile` builds). */
export const MAIN_ENTRY: string = fileURLToPath(sourceUrl("main.ts"));

/** Prints `fluux-agent: <message>` to standard error and returns `code`. */
export function fail(code: number, message: string): number {
  console.error(`fluux-agent: ${message}`);
  return code;
}

/**
 * How skills run here: the executable for process-isolated ones, and the home directory
 * (credential files) only when the config loader could read `~/.fluux-agent/.env` (a
 * compiled executable never can: its permissions cannot name that machine's home).
 */
export function skillOptions(loaded: LoadedConfig): { denoPath: string; home?: string } {
  const home = Deno.env.get("HOME");
  const readable = home !== undefined &&
    loaded.envFiles.includes(join(home, ".fluux-agent", ".env"));
  return { denoPath: Deno.execPath(), ...(readable ? { home } : {}) };
}

/**
 * What to check the held permissions against: in a compiled executable, the set `compile`
 * bakes (its process-isolated skills' children are itself and need what worker skills need).
 */
export function heldOptions(loaded: LoadedConfig) {
  return Deno.build.standalone
    ? { ...skillOptions(loaded), portable: true, selfCommands: [Deno.execPath()] }
    : skillOptions(loaded);
}
