/**
 * The bundle of the agent that `start` runs: `main.ts` and what it imports, the third-party
 * packages included, minified into a few JavaScript files by `deno bundle`, built once for
 * each version of the sources and kept in `.bundle/<version>/` beside them.
 *
 * Why: Deno keeps in memory the source of every module it loads, each with an inline source
 * map carrying the whole TypeScript source. From the bundle, the idle agent holds about 20 MB
 * less and comes online in half the time (see the README's Performance section). What the
 * agent loads by path at run time (skills in their workers, the search index process) stays
 * in the sources: see {@link ./source_root.ts}. Each new bundle is loaded once before it is
 * used, so that its first start finds V8's code cache written.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { errorMessage } from "../log/mod.ts";
import { sourceUrl } from "./source_root.ts";

/**
 * The `deno bundle` flags: one file per lazily loaded part (`--code-splitting`, so that a
 * provider's SDK the config does not use still loads only when needed), minified, no source
 * maps (Deno would load them at start: 8 MB), with the lock file as it is.
 */
export const BUNDLE_FLAGS: readonly string[] = [
  "--platform",
  "deno",
  "--code-splitting",
  "--minify",
  "--frozen",
];

/** Bundles kept: the current one and the two before it (a running agent may still load from one). */
const KEPT = 3;

/** Options of {@linkcode agentBundle}. */
export interface AgentBundleOptions {
  /** The `deno` that builds it. @default {Deno.execPath()} */
  denoPath?: string;
  /** The project's root folder. @default {the one this module belongs to} */
  root?: string;
  /** Told before a build starts, which takes a few seconds. @default {nothing} */
  onBuild?: (folder: string) => void;
  /**
   * The agent's `--v8-flags=…`, under which a new bundle is loaded once: V8 uses a code cache
   * only under the flags it was made with. @default {[]}
   */
  v8Flags?: readonly string[];
}

/** What {@linkcode agentBundle} found: the bundle's entry point, or why there is none. */
export type AgentBundle =
  | { ok: true; entry: string; built: boolean }
  | { ok: false; reason: string };

/**
 * The entry point of the bundle of the current sources, built first when there is none. Never
 * throws: when the bundle cannot be built (a read-only checkout, a failing build), the result
 * says why, and the caller runs the sources.
 *
 * @param options The `deno` to build with and where the project is.
 * @returns The path of the bundle's `main.js`, and whether it was built now.
 */
export async function agentBundle(options: AgentBundleOptions = {}): Promise<AgentBundle> {
  const root = options.root ?? fileURLToPath(sourceUrl("."));
  const bundles = join(root, ".bundle");
  try {
    const version = await sourceVersion(root);
    const folder = join(bundles, version);
    const entry = join(folder, "main.js");
    if (await exists(entry)) return { ok: true, entry, built: false };
    options.onBuild?.(folder);
    await Deno.mkdir(bundles, { recursive: true });
    // Built beside it, then renamed: a folder named for a version is always whole.
    const building = await Deno.makeTempDir({ dir: bundles, prefix: `${version}.building-` });
    try {
      const output = await new Deno.Command(options.denoPath ?? Deno.execPath(), {
        args: ["bundle", ...BUNDLE_FLAGS, "--outdir", building, join(root, "main.ts")],
        cwd: root,
        env: { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).output();
      if (!output.success) {
        const why = buildError(new TextDecoder().decode(output.stderr));
        return { ok: false, reason: `deno bundle failed: ${why}` };
      }
      const renamed = await Deno.rename(building, folder).then(() => true, async (error) => {
        // Another start built the same version meanwhile: use that one.
        if (!await exists(entry)) throw error;
        return false;
      });
      if (renamed) await warmUp(folder, options.denoPath ?? Deno.execPath(), options.v8Flags ?? []);
    } finally {
      await Deno.remove(building, { recursive: true }).catch(() => {});
    }
    await pruneBundles(bundles, version);
    return { ok: true, entry, built: true };
  } catch (error) {
    return {
      ok: false,
      reason: `cannot build the bundle in "${bundles}": ${errorMessage(error)}`,
    };
  }
}

/**
 * A digest of what the bundle is made of: `main.ts`, every module under `src/` but tests,
 * `deno.json`, `deno.lock`, the Deno version and the bundle's flags. Reading them all takes
 * 10–80 ms at a start; a change to any of them names another bundle.
 *
 * @param root The project's root folder.
 * @returns 16 hexadecimal digits.
 */
export async function sourceVersion(root: string): Promise<string> {
  const files = ["main.ts", "deno.json", "deno.lock", ...await sourceFiles(join(root, "src"))];
  const hash = createHash("sha256").update(`${Deno.version.deno}\n${BUNDLE_FLAGS}\n`);
  for (const file of files.sort()) {
    const bytes = await Deno.readFile(join(root, file)).catch((error) => {
      if (error instanceof Deno.errors.NotFound && file === "deno.lock") return new Uint8Array();
      throw error;
    });
    hash.update(`\n${file}\n${bytes.length}\n`).update(bytes);
  }
  return hash.digest("hex").slice(0, 16);
}

/** The TypeScript modules under `folder` but tests, relative to the project's root. */
async function sourceFiles(folder: string, prefix = "src"): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(folder)) {
    const name = `${prefix}/${entry.name}`;
    if (entry.isDirectory) files.push(...await sourceFiles(join(folder, entry.name), name));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts")) files.push(name);
  }
  return files;
}

/**
 * Loads the new bundle's chunks once in a process of their own (half a second), so that Deno
 * writes their code cache under the agent's V8 flags. A failure only leaves the first start
 * slower and larger.
 */
async function warmUp(
  folder: string,
  denoPath: string,
  v8Flags: readonly string[],
): Promise<void> {
  const chunks: string[] = [];
  for await (const entry of Deno.readDir(folder)) {
    if (entry.name.endsWith(".js") && entry.name !== "main.js") chunks.push(entry.name);
  }
  await new Deno.Command(denoPath, {
    args: [
      "run",
      "--no-prompt",
      `--allow-read=${folder}`,
      ...v8Flags,
      fileURLToPath(sourceUrl("src/build/_warm_up.ts")),
      pathToFileURL(`${folder}/`).href,
      ...chunks.sort(),
    ],
    env: { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).output().catch(() => {});
}

/** Removes all but the {@linkcode KEPT} newest bundles (the current one always stays). */
async function pruneBundles(bundles: string, current: string): Promise<void> {
  const others: { name: string; mtime: number }[] = [];
  for await (const entry of Deno.readDir(bundles)) {
    if (!entry.isDirectory || entry.name === current) continue;
    const mtime = (await Deno.stat(join(bundles, entry.name))).mtime?.getTime() ?? 0;
    // Another start may be building there; what a killed one left goes after a while.
    if (entry.name.includes(".building-") && Date.now() - mtime < 10 * 60_000) continue;
    others.push({ name: entry.name, mtime });
  }
  others.sort((a, b) => b.mtime - a.mtime);
  for (const old of others.slice(KEPT - 1)) {
    await Deno.remove(join(bundles, old.name), { recursive: true }).catch(() => {});
  }
}

/** The error lines of a failed `deno bundle`: what failed and where. */
function buildError(stderr: string): string {
  const lines = stderr.split("Stack backtrace:")[0]!.split("\n").map((line) => line.trim());
  const said = lines
    .filter((line) => line.startsWith("error: ") || line.startsWith("at "))
    .map((line) => line.replace(/^error: /, ""))
    .filter((line) => line !== "bundling failed");
  return (said.length > 0 ? said : lines.filter((line) => line !== "")).slice(0, 4).join(" ");
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
