/**
 * Smoke-tests a compiled executable the way a user would first run it, in a fresh
 * directory holding only its config: `version`, `check --no-secrets`, then `check` and
 * `permissions` with placeholder secrets in `./.env`, then the agent itself, until it tries
 * its XMPP server (nothing needs to be reachable: "Cannot connect to …" is the expected
 * failure), then a stop. Fails on any permission error.
 *
 * Usage: deno run -A scripts/smoke_executable.ts <executable> <config, relative as baked in>
 *
 * @module
 */
import { dirname, join, resolve } from "node:path";

const PERMISSION_ERROR = /NotCapable|Not permitted|Requires \w+ access|Uncaught/;
const REACHED_SERVER = /Cannot connect to|Online as|refused the credentials/;

async function main([executable, config]: string[]): Promise<void> {
  if (executable === undefined || config === undefined) {
    throw new Error("Usage: smoke_executable.ts <executable> <config, relative as baked in>");
  }
  const exe = resolve(executable);
  const dir = await Deno.makeTempDir({ prefix: "fluux-smoke-" });
  try {
    await Deno.mkdir(dirname(join(dir, config)), { recursive: true });
    await Deno.copyFile(config, join(dir, config));
    const env = { HOME: dir, USERPROFILE: dir, NO_COLOR: "1" };
    const run = async (args: string[]) => {
      const output = await new Deno.Command(exe, { args, cwd: dir, env, stdin: "null" }).output();
      const text = new TextDecoder();
      const result = {
        code: output.code,
        stdout: text.decode(output.stdout),
        stderr: text.decode(output.stderr),
      };
      console.log(`$ fluux-agent ${args.join(" ")}  -> exit ${result.code}`);
      if (result.code !== 0) throw new Error(`"${args.join(" ")}" failed:\n${result.stderr}`);
      return result;
    };

    console.log((await run(["version"])).stdout.trim());
    const unchecked = await run(["check", "--no-secrets"]);
    // Placeholders for the secrets the config reads, in the .env the executable may read.
    const unset = /^# Secrets not set \(checked without them\): (.*)$/m.exec(unchecked.stdout);
    const names = [...(unset?.[1] ?? "").matchAll(/(\w+) \(/g)].map(([, name]) => name!);
    await Deno.writeTextFile(
      join(dir, ".env"),
      names.map((name) => `${name}=smoke-test-${name.toLowerCase()}\n`).join(""),
    );
    // The executable sees its working directory as the system names it (macOS: /private/var…).
    const places = [dir, await Deno.realPath(dir)];
    const checked = await run(["check"]);
    if (!places.some((place) => checked.stdout.includes(`# Data directory: ${place}`))) {
      throw new Error(`The data directory is not under ${dir}:\n${checked.stdout}`);
    }
    const permissions = await run(["permissions"]);
    if (!places.some((place) => permissions.stdout.includes(join(place, config)))) {
      throw new Error(`"permissions" does not name ${join(dir, config)}:\n${permissions.stdout}`);
    }
    await runUntilServerTried(exe, dir, env);
    console.log("Smoke test passed");
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** Starts the agent and stops it once it has tried its XMPP server (at most 60 s). */
async function runUntilServerTried(exe: string, cwd: string, env: Record<string, string>) {
  const child = new Deno.Command(exe, { cwd, env, stdin: "null", stdout: "piped", stderr: "piped" })
    .spawn();
  let log = "";
  const limit = setTimeout(() => child.kill(), 60_000);
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  try {
    while (!REACHED_SERVER.test(log) && !PERMISSION_ERROR.test(log)) {
      const { value, done } = await reader.read();
      if (done) break;
      log += value;
    }
  } finally {
    clearTimeout(limit);
    try {
      // Windows has no SIGTERM for a child: it is ended outright there.
      child.kill(Deno.build.os === "windows" ? undefined : "SIGTERM");
    } catch {
      // Already ended: the log says why.
    }
    reader.releaseLock();
    await child.stderr.cancel().catch(() => {});
    await child.stdout.cancel().catch(() => {});
  }
  const status = await child.status;
  console.log(`$ fluux-agent  -> exit ${status.code}\n${log.trimEnd()}`);
  if (PERMISSION_ERROR.test(log)) throw new Error("The agent hit a permission error");
  if (!REACHED_SERVER.test(log)) throw new Error("The agent never tried its XMPP server");
  if (Deno.build.os !== "windows" && status.code !== 0) {
    throw new Error(`The agent did not stop cleanly on SIGTERM (exit ${status.code})`);
  }
}

if (import.meta.main) {
  try {
    await main(Deno.args);
  } catch (error) {
    console.error(`Smoke test failed: ${error instanceof Error ? error.message : error}`);
    Deno.exit(1);
  }
}
