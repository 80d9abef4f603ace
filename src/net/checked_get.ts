/**
 * One HTTP/1.1 GET on a connection whose peer address is checked before a single byte is
 * sent, so what the agent talks to is exactly what the policy judged.
 *
 * `fetch` cannot do this: it resolves the name itself and never says where it connected, so a
 * name that answers a public address to the check and a loopback one to `fetch` (DNS
 * rebinding) would get through. Here the TCP connection is made first (`Deno.connect` resolves
 * the name once, as the system does, `/etc/hosts` included), its remote address is checked,
 * and only then does TLS start, with SNI and certificate verification against the host name.
 *
 * @module
 */
import { bodyStream, ByteReader, parseResponseHead, type ResponseHead } from "./_http1.ts";
import { VERSION } from "../version.ts";

const MAX_HEAD_BYTES = 64 * 1024;

/** A TCP connection and the address it actually reached. */
export interface Connected {
  conn: Deno.TcpConn;
  /** The peer's IP address, as the socket reports it. */
  address: string;
}

/** Opens a TCP connection to a host (name or IP literal) and port. */
export type Connector = (host: string, port: number, signal: AbortSignal) => Promise<Connected>;

/** {@linkcode Connector} over `Deno.connect`: the system resolver, then the socket's peer. */
export async function denoConnect(
  host: string,
  port: number,
  signal: AbortSignal,
): Promise<Connected> {
  const conn = await Deno.connect({ hostname: host, port, signal });
  conn.setNoDelay(true);
  return { conn, address: conn.remoteAddr.hostname };
}

/** Options of {@linkcode checkedGet}. */
export interface CheckedGetOptions {
  /**
   * Judges the peer address before anything is sent; throws to refuse it (the connection is
   * then closed unused).
   */
  checkPeer: (address: string) => void;
  /** Aborts the request: the connection is closed, and the body stream fails. */
  signal: AbortSignal;
  /** Request headers on top of Host, User-Agent, Accept-Encoding and Connection. @default {none} */
  headers?: HeadersInit;
  /** Extra root certificates (PEM) trusted for https. @default {the system's} */
  caCerts?: string[];
  /** Opens the TCP connection. @default {denoConnect} */
  connect?: Connector;
}

/**
 * GETs a URL over HTTP/1.1 (https or http) with `Connection: close`, checking the connected
 * peer's address first. Redirects are not followed: the caller checks and follows them.
 *
 * @param url An http or https URL.
 * @param options The peer check, the signal, headers and TLS roots.
 * @returns The response; its body streams from the connection, which closes at its end.
 * @throws What `checkPeer` throws, connection and TLS errors, or an `Error` for a response
 *   that is not valid HTTP/1.1.
 */
export async function checkedGet(url: URL, options: CheckedGetOptions): Promise<Response> {
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const https = url.protocol === "https:";
  const port = Number(url.port || (https ? 443 : 80));
  const { signal } = options;
  signal.throwIfAborted();
  const connected = await (options.connect ?? denoConnect)(host, port, signal);
  let conn: Deno.Conn = connected.conn;
  const close = () => {
    try {
      conn.close();
    } catch { /* already closed */ }
  };
  signal.addEventListener("abort", close, { once: true });
  const release = () => {
    signal.removeEventListener("abort", close);
    close();
  };
  try {
    options.checkPeer(connected.address);
    if (https) {
      conn = await Deno.startTls(connected.conn, {
        hostname: host,
        alpnProtocols: ["http/1.1"],
        ...(options.caCerts === undefined ? {} : { caCerts: options.caCerts }),
      });
    }
    signal.throwIfAborted();
    await writeAll(conn, requestHead(url, options.headers));
    const reader = new ByteReader(conn.readable);
    let head: ResponseHead;
    do head = parseResponseHead(await reader.readHead(MAX_HEAD_BYTES)); while (head.status < 200);
    if (head.status > 599) throw new Error(`Bad HTTP status ${head.status}`);
    let body = bodyStream(head, reader, release);
    const headers = new Headers(head.fields);
    const encoding = headers.get("content-encoding")?.trim().toLowerCase();
    if (body !== null && (encoding === "gzip" || encoding === "x-gzip" || encoding === "deflate")) {
      const format = encoding === "deflate" ? "deflate" : "gzip";
      body = body.pipeThrough(
        new DecompressionStream(format) as TransformStream<Uint8Array, Uint8Array>,
      );
    }
    return new Response(body, { status: head.status, statusText: head.statusText, headers });
  } catch (error) {
    release();
    throw error;
  }
}

function requestHead(url: URL, extra: HeadersInit | undefined): Uint8Array {
  const headers = new Headers({
    "user-agent": `fluux-agent/${VERSION}`,
    "accept": "*/*",
    "accept-encoding": "gzip, deflate",
  });
  for (const [name, value] of new Headers(extra)) headers.set(name, value);
  headers.set("host", url.host);
  headers.set("connection", "close");
  let text = `GET ${url.pathname}${url.search} HTTP/1.1\r\n`;
  for (const [name, value] of headers) text += `${name}: ${value}\r\n`;
  return new TextEncoder().encode(`${text}\r\n`);
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) written += await conn.write(bytes.subarray(written));
}
