/**
 * What a bare Deno process importing the agent's third-party modules holds in memory: the
 * baseline of the agent's idle RSS. Both are read the same way (peak RSS after idling), and both
 * run with the agent's V8 flags.
 *
 * @module
 */
import { endProcess } from "../../tests/support/end_process.ts";
import { BUNDLE_FLAGS, sourceUrl } from "../../src/build/mod.ts";
import { AGENT_V8_FLAGS } from "../../src/config/mod.ts";
import { onCleanUp } from "./cleanup.ts";
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

/** Options of {@linkcode importBaseline}. */
export interface ImportBaselineOptions {
  /** Time it idles after its imports before its memory is read. @default {2000} */
  idleMs?: number;
  /**
   * Import the modules from a minified bundle of them, built as the agent's is (the agent
   * `start` runs is such a bundle), rather than as packages.
   * @default {false}
   */
  bundled?: boolean;
}

/**
 * Starts the baseline process, lets it idle after its imports, reads its memory and stops it.
 *
 * @throws {Error} When it does not load the modules within 30 s, or they do not bundle.
 */
export async function importBaseline(
  modules: readonly string[],
  options: ImportBaselineOptions = {},
): Promise<ProcMemory> {
  if (options.bundled) return await runBaseline([await bundled(modules)], options.idleMs);
  return await runBaseline([SCRIPT, ...modules], options.idleMs);
}

const bundles = new Map<string, Promise<string>>();

/**
 * The bundle of `modules`, built once for the run and started once before it is measured:
 * that first start writes V8's code cache, as `start` does for each new bundle of the agent (a
 * first start without it holds much more, for as long as it runs).
 */
function bundled(modules: readonly string[]): Promise<string> {
  const key = modules.join(" ");
  let script = bundles.get(key);
  if (script === undefined) {
    script = (async () => {
      const folder = await Deno.makeTempDir({ prefix: "fluux-bench-baseline-" });
      onCleanUp(() => Deno.remove(folder, { recursive: true }));
      const built = await bundleOf(modules, folder);
      await runBaseline([built], 0);
      return built;
    })();
    bundles.set(key, script);
  }
  return script;
}

/**
 * The like-for-like baseline of the bundled agent: one module importing all of `modules`,
 * bundled and minified with the agent's bundle flags. Each is kept whole (through its
 * namespace), as a bare import loads it whole.
 */
async function bundleOf(modules: readonly string[], folder: string): Promise<string> {
  const entry = `${folder}/baseline.ts`;
  await Deno.writeTextFile(
    entry,
    modules.map((name, n) => `import * as m${n} from ${JSON.stringify(name)};\n`).join("") +
      `(globalThis as Record<string, unknown>).modules = [${modules.map((_, n) => `m${n}`)}];\n` +
      'console.log("ready");\nsetInterval(() => {}, 60_000);\n',
  );
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      ...BUNDLE_FLAGS,
      "--config",
      decodeURIComponent(sourceUrl("deno.json").pathname),
      "--outdir",
      `${folder}/out`,
      entry,
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!output.success) {
    throw new Error(
      `Cannot bundle ${modules.join(", ")}: ${new TextDecoder().decode(output.stderr)}`,
    );
  }
  return `${folder}/out/baseline.js`;
}

async function runBaseline(script: string[], idleMs = 2000): Promise<ProcMemory> {
  const child = new Deno.Command(Deno.execPath(), {
    // The agent's own V8 flags: the ratio is then what the agent holds beyond the modules.
    args: [
      "run",
      "--allow-read",
      "--allow-env",
      "--cached-only",
      ...AGENT_V8_FLAGS,
      ...script,
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
      throw new Error(`The import baseline did not load: ${script.join(" ")}`);
    }
    void (async () => {
      while (!(await reader.read().catch(() => ({ done: true }))).done);
    })();
    await new Promise((resolve) => setTimeout(resolve, idleMs));
    return procMemory(child.pid);
  } finally {
    await endProcess(child, { signal: "SIGTERM", graceMs: 2000 });
  }
}
