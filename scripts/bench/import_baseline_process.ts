/**
 * What a bare Deno process importing the agent's third-party modules holds in memory: the
 * baseline of the agent's idle RSS. Both are read the same way (peak RSS after idling), and both
 * run with the agent's V8 flags.
 *
 * @module
 */
import { endProcess } from "../../tests/support/end_process.ts";
import { AGENT_V8_FLAGS } from "../../src/config/mod.ts";
import { type ProcMemory, procMemory } from "./proc_memory.ts";

const SCRIPT = decodeURIComponent(new URL("./import_baseline.ts", import.meta.url).pathname);

/**
 * The third-party modules an agent whose config names `provider` loads at start: the XMPP
 * library, that provider's SDK, and the config's parsers and validation, and the scheduler's
 * cron parser. (Other providers' SDKs, the webhook listener and search load only when a config
 * uses them.)
 */
export function agentModules(provider: "anthropic" | "ollama" | "openai"): string[] {
  const sdk = { anthropic: "@anthropic-ai/sdk", ollama: "ollama", openai: "openai" }[provider];
  return ["@xmpp/client", sdk, "zod", "smol-toml", "dotenv", "croner"];
}

/**
 * Starts the baseline process, lets it idle `idleMs` after its imports, reads its memory and
 * stops it.
 *
 * @throws {Error} When it does not load the modules within 30 s.
 */
export async function importBaseline(
  modules: readonly string[],
  options: { idleMs?: number } = {},
): Promise<ProcMemory> {
  const child = new Deno.Command(Deno.execPath(), {
    // The agent's own V8 flags: the ratio is then what the agent holds beyond the modules.
    args: [
      "run",
      "--allow-read",
      "--allow-env",
      "--cached-only",
      ...AGENT_V8_FLAGS,
      SCRIPT,
      ...modules,
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    const ready = await Promise.race([
      reader.read(),
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 30_000)),
    ]);
    if (ready === undefined || !ready.value?.includes("ready")) {
      throw new Error(`The import baseline did not load ${modules.join(", ")}`);
    }
    void (async () => {
      while (!(await reader.read().catch(() => ({ done: true }))).done);
    })();
    await new Promise((resolve) => setTimeout(resolve, options.idleMs ?? 2000));
    return procMemory(child.pid);
  } finally {
    await endProcess(child, { signal: "SIGTERM", graceMs: 2000 });
  }
}
