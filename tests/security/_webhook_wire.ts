/**
 * HTTP as an attacker writes it: raw request lines over TCP (paths `fetch` would normalise,
 * bodies that never end), and what the attack left on disk.
 *
 * @module
 */

/** An IPv4 address of this machine that is not loopback, to be a peer from "elsewhere". */
export function otherAddress(): string | undefined {
  return Deno.networkInterfaces().find((i) => i.family === "IPv4" && !i.address.startsWith("127."))
    ?.address;
}

/** What {@linkcode rawRequest} read back. */
export interface RawAnswer {
  status: number;
  head: string;
  body: string;
}

/**
 * Sends `requestLine`, the headers and the body exactly as given (no normalisation of the
 * path), with `Connection: close`, and reads the answer to its end.
 */
export async function rawRequest(
  port: number,
  requestLine: string,
  body: string,
  headers: Record<string, string>,
  options: { hostname?: string } = {},
): Promise<RawAnswer> {
  const hostname = options.hostname ?? "127.0.0.1";
  const conn = await Deno.connect({ hostname, port });
  try {
    const lines = [
      requestLine,
      `Host: ${hostname}:${port}`,
      "Connection: close",
      "Content-Type: application/json",
      `Content-Length: ${new TextEncoder().encode(body).length}`,
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    ];
    await writeAll(conn, new TextEncoder().encode(`${lines.join("\r\n")}\r\n\r\n${body}`));
    const text = await readToEnd(conn);
    const split = text.indexOf("\r\n\r\n");
    const head = split < 0 ? text : text.slice(0, split);
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
    return { status, head, body: split < 0 ? "" : text.slice(split + 4) };
  } finally {
    try {
      conn.close();
    } catch { /* closed by the server */ }
  }
}

/** Writes every byte (a socket may take a part at a time). */
export async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length;) at += await conn.write(bytes.subarray(at));
}

/** Reads until the peer closes (at most 10 s, then what arrived). */
export async function readToEnd(conn: Deno.Conn): Promise<string> {
  const chunks: Uint8Array[] = [];
  const buffer = new Uint8Array(64 * 1024);
  const timer = setTimeout(() => {
    try {
      conn.close();
    } catch { /* already closed */ }
  }, 10_000);
  try {
    while (true) {
      const n = await conn.read(buffer).catch(() => null);
      if (n === null) break;
      chunks.push(buffer.slice(0, n));
    }
  } finally {
    clearTimeout(timer);
  }
  return new TextDecoder().decode(concat(chunks));
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((sum, c) => sum + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** Every path under `root` (relative, sorted), leaving out the folder `skip`. */
export async function listTree(root: string, options: { skip?: string } = {}): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = `${dir}/${entry.name}`;
      if (path === options.skip) continue;
      found.push(path.slice(root.length + 1));
      if (entry.isDirectory) await walk(path);
    }
  };
  await walk(root);
  return found.sort();
}
