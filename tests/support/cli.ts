/**
 * Running `main.ts` as a user does, and as a compiled executable would: `deno run` with the
 * flags and baked arguments `compile --dry-run` prints.
 *
 * @module
 */

/** The checkout's root, ending with `/`. */
export const ROOT = decodeURIComponent(new URL("../../", import.meta.url).pathname);

/** The entry point. */
export const MAIN = `${ROOT}main.ts`;

/**
 * Deno's cache folder, passed on explicitly: the tests give the agent a temporary HOME, and
 * Deno would otherwise look for (and download) its packages under it.
 */
export const DENO_DIR = Deno.env.get("DENO_DIR") ??
  `${Deno.env.get("XDG_CACHE_HOME") ?? `${Deno.env.get("HOME")}/.cache`}/deno`;

/** What a finished command printed. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of {@linkcode cli} and {@linkcode runDeno}. */
export interface CliOptions {
  /**
   * The environment: nothing else is inherited but `DENO_DIR` and `PATH`, and `HOME` is the
   * working directory unless given. @default {{}}
   */
  env?: Record<string, string>;
  /**
   * The working directory. By default a fresh empty folder, removed afterwards: the project's
   * own `./.env` (which the README suggests creating) and the developer's
   * `~/.fluux-agent/.env` are never read.
   */
  cwd?: string;
}

/** `deno run --allow-read --allow-env --allow-run main.ts <args>`, as the tasks run it. */
export function cli(args: string[], options: CliOptions = {}): Promise<Run> {
  return runDeno(["run", "--allow-read", "--allow-env", "--allow-run", MAIN, ...args], options);
}

/** `deno <args>` to the end, with a cleared environment. */
export async function runDeno(args: string[], options: CliOptions = {}): Promise<Run> {
  const scratch = options.cwd === undefined
    ? await Deno.makeTempDir({ prefix: "fluux-cli-cwd-" })
    : undefined;
  const cwd = options.cwd ?? scratch!;
  try {
    const output = await new Deno.Command(Deno.execPath(), {
      args,
      clearEnv: true,
      env: { DENO_DIR, PATH: Deno.env.get("PATH") ?? "", HOME: cwd, ...options.env },
      cwd,
      stdin: "null",
    }).output();
    const decoder = new TextDecoder();
    return {
      code: output.code,
      stdout: decoder.decode(output.stdout),
      stderr: decoder.decode(output.stderr),
    };
  } finally {
    if (scratch !== undefined) await Deno.remove(scratch, { recursive: true }).catch(() => {});
  }
}

/** What `compile --dry-run` printed, taken apart. */
export interface DryRun {
  /** The `--include` values. */
  includes: string[];
  /** The permission flags (`--allow-*`, `--unstable-*`). */
  flags: string[];
  /** The entry point. */
  entry: string;
  /** The arguments baked in after the entry point. */
  baked: string[];
  /** Every word after `deno`. */
  words: string[];
}

/**
 * Splits a `deno compile` command line (printed unquoted: the tests use plain paths).
 *
 * @throws {Error} When it is not `deno compile --output <file> …`.
 */
export function parseDryRun(line: string): DryRun {
  const words = line.trim().split(" ");
  if (words[0] !== "deno" || words[1] !== "compile") throw new Error(`Not a compile: ${line}`);
  const includes: string[] = [];
  const flags: string[] = [];
  let index = 2;
  for (; index < words.length; index++) {
    const word = words[index]!;
    if (word === "--output" || word === "--target") index++;
    else if (word === "--include") includes.push(words[++index]!);
    else if (/^--(?:allow-|unstable-|v8-flags=)/.test(word)) flags.push(word);
    else break;
  }
  return {
    includes,
    flags,
    entry: words[index]!,
    baked: words.slice(index + 1),
    words: words.slice(1),
  };
}
