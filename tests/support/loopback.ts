/**
 * Small probes of servers on 127.0.0.1 that the test-server harnesses share: free ports,
 * "does it accept", "does it answer a stream header", whether a process is alive.
 *
 * @module
 */

/** The loopback address every test server listens on. */
export const LOOPBACK = "127.0.0.1";

/**
 * Ports that were free a moment ago (the kernel picks them; they are released at once).
 *
 * @param count How many distinct ports.
 * @returns The port numbers.
 */
export function freePorts(count: number): number[] {
  const listeners = Array.from(
    { length: count },
    () => Deno.listen({ hostname: LOOPBACK, port: 0 }),
  );
  const ports = listeners.map((listener) => listener.addr.port);
  for (const listener of listeners) listener.close();
  return ports;
}

/** A port that was free a moment ago. */
export function freePort(): number {
  return freePorts(1)[0]!;
}

/** Whether something accepts TCP connections on the loopback `port`. */
export async function accepts(port: number): Promise<boolean> {
  try {
    const conn = await Deno.connect({ hostname: LOOPBACK, port });
    conn.close();
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether the client port answers an XMPP stream header for `domain` within a second: more
 * than listening, it proves the server's loop runs.
 */
export async function answersStream(port: number, domain: string): Promise<boolean> {
  let conn: Deno.TcpConn | undefined;
  const timer = setTimeout(() => conn?.close(), 1_000);
  try {
    conn = await Deno.connect({ hostname: LOOPBACK, port });
    const header = `<?xml version='1.0'?><stream:stream to='${domain}' xmlns='jabber:client' ` +
      "xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>";
    await conn.write(new TextEncoder().encode(header));
    const read = await conn.read(new Uint8Array(512));
    return read !== null && read > 0;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
    try {
      conn?.close();
    } catch {
      // Closed by the timer.
    }
  }
}

/**
 * Whether process `pid` runs (Linux `/proc`): a zombie, which no longer holds ports or
 * files, counts as gone.
 */
export async function processAlive(pid: number): Promise<boolean> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    // The state follows the parenthesised command name, which may itself hold spaces.
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** Sends `signal` to `pid`, ignoring a process that is already gone. */
export function signalPid(pid: number, signal: Deno.Signal): void {
  try {
    Deno.kill(pid, signal);
  } catch {
    // Already exited.
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
