/**
 * Starts {@link ./floor_bot.ts} as a child process and waits until it is online.
 *
 * @module
 */
import { endProcess } from "../../tests/support/end_process.ts";
import type { ProsodyHandle } from "../../tests/support/prosody.ts";
import { onCleanUp } from "./cleanup.ts";

const SCRIPT = decodeURIComponent(new URL("./floor_bot.ts", import.meta.url).pathname);

/**
 * Starts the floor bot on account `user` (password `user`), with the extras asked for
 * (see {@link ./floor_bot.ts}; none by default).
 *
 * @returns A function that stops it.
 * @throws {Error} When it exits or does not come online within 15 s.
 */
export async function startFloorBot(
  prosody: ProsodyHandle,
  options: {
    user: string;
    llmUrl: string;
    composing?: boolean;
    oneWrite?: boolean;
    sdk?: boolean;
  },
): Promise<() => Promise<void>> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      `--allow-net=${prosody.host}`,
      "--allow-env",
      "--cert",
      prosody.certFile,
      SCRIPT,
    ],
    env: {
      FLOOR_BOT: JSON.stringify({
        host: prosody.host,
        port: prosody.c2sPort,
        domain: prosody.domain,
        user: options.user,
        password: options.user,
        llmUrl: options.llmUrl,
        composing: options.composing ?? false,
        oneWrite: options.oneWrite ?? false,
        sdk: options.sdk ?? false,
      }),
      // The bench itself runs with TLS checks off (see main.ts); this child trusts the cert.
      NODE_TLS_REJECT_UNAUTHORIZED: "1",
    },
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const stop = onCleanUp(async () => {
    await endProcess(child, { signal: "SIGTERM", graceMs: 3000 });
  });
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const timer = setTimeout(() => void stop(), 15_000);
  const first = await reader.read();
  clearTimeout(timer);
  // Keep draining so the child never blocks on a full pipe.
  void (async () => {
    while (!(await reader.read().catch(() => ({ done: true }))).done);
  })();
  if (!first.value?.includes("ready")) {
    await stop();
    throw new Error("The floor bot did not come online");
  }
  return stop;
}
