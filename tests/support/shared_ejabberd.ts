/**
 * One test ejabberd for a whole `deno test` run: it starts in about a second and a half, so
 * test files share it instead of starting one per test.
 *
 * `deno test` loads each test file in its own worker of one OS process, and module state is
 * not shared between workers. The shared server is therefore found through the file system:
 * its directory is named after the test process (`$TMPDIR/fluux-test-ejabberd-shared-<pid>`)
 * and holds a `state.json` that any test file can turn into a handle. The first test file
 * that asks starts it; it survives the end of that file; it stops itself and removes its
 * directory within a fraction of a second once the test process is gone (a watchdog inside
 * the server, see tests/support/ejabberd_launch.ts), however that process ended.
 *
 * How tests use it:
 * - `const ejabberd = await sharedEjabberd();` at the start of each test (cheap after the
 *   first call); do not stop it (`stop()` and `await using` leave it running).
 * - Isolation comes from names: register fresh accounts with `registerFresh(ejabberd,
 *   "alice")` (tests/support/xmpp_server.ts), name rooms with a random suffix, and never
 *   assume an empty roster, offline store or archive for a name another test may use.
 * - `restart()` works (same ports, accounts kept) and is seen by every test, so call it only
 *   in tests that do not run alongside others (`deno test` runs them one after another
 *   unless `--parallel` is given).
 * - A test that needs other options (`tls: false`, debug log) or a server to itself starts
 *   its own with `startEjabberd()`.
 *
 * @example
 * ```ts
 * Deno.test("alice reaches bob", async () => {
 *   const ejabberd = await sharedEjabberd();
 *   const alice = await registerFresh(ejabberd, "alice");
 *   await using human = await connectHuman(ejabberd, alice);
 * });
 * ```
 *
 * @module
 */

import { type EjabberdHandle, type EjabberdOptions, launchEjabberd } from "./ejabberd.ts";
import { EjabberdServer } from "./_ejabberd_server.ts";
import { processAlive, sleep } from "./loopback.ts";

const OPTIONS: EjabberdOptions = { startTimeoutMs: 30_000 };
let cached: Promise<EjabberdHandle> | undefined;

/**
 * Returns the run's shared ejabberd, starting it on first use.
 *
 * @returns A handle on the server; the same one for every call in this test file.
 * @throws {Error} When the server cannot start (the message carries its log).
 */
export function sharedEjabberd(): Promise<EjabberdHandle> {
  cached ??= acquire();
  cached.catch(() => cached = undefined);
  return cached;
}

/** The directory of this test process's shared server. */
export function sharedEjabberdDir(): string {
  const tmp = Deno.env.get("TMPDIR") ?? "/tmp";
  return `${tmp}/fluux-test-ejabberd-shared-${Deno.pid}`;
}

async function acquire(): Promise<EjabberdHandle> {
  const dir = sharedEjabberdDir();
  // Twice at most: the second time after removing what a dead server left behind.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await Deno.mkdir(dir, { mode: 0o700 });
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
      const running = await join(dir);
      if (running !== undefined) return running;
      await Deno.remove(dir, { recursive: true }).catch(() => {});
      continue;
    }
    return await launchEjabberd(dir, OPTIONS, true);
  }
  throw new Error(`Cannot start the shared ejabberd in ${dir}`);
}

/**
 * Waits for the server another test file of this process started (or is starting) in `dir`.
 *
 * @returns Its handle, or `undefined` when `dir` holds a dead server or none comes up in time.
 */
async function join(dir: string): Promise<EjabberdHandle | undefined> {
  const deadline = Date.now() + (OPTIONS.startTimeoutMs ?? 30_000) + 5_000;
  while (Date.now() < deadline) {
    const state = await EjabberdServer.readState(dir);
    if (state !== undefined && state.pid !== 0) {
      if (!(await processAlive(state.pid))) return undefined;
      const server = new EjabberdServer(state, true);
      if (await server.api("status").then(() => true, () => false)) return server;
    }
    await sleep(50);
  }
  return undefined;
}
