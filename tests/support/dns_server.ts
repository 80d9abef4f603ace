/**
 * A tiny DNS server (RFC 1035, UDP) on a free loopback port, for tests that need a name to
 * answer what an attacker's name server would: each query's answer is scripted, and every
 * query is recorded.
 *
 * @module
 */
import dgram from "node:dgram";

/** A query the server received. */
export interface DnsQuery {
  name: string;
  type: "A" | "AAAA" | number;
}

/**
 * Decides the addresses of an answer (none = an empty NOERROR answer); `index` counts the
 * earlier queries for the same name and type, so a script can answer the first one apart.
 */
export type DnsHandler = (query: DnsQuery, index: number) => string[];

/** Options of {@linkcode startDnsServer}. */
export interface DnsServerOptions {
  /** A loopback address to listen on. @default {"127.0.0.1"} */
  hostname?: string;
  /** The UDP port; 53 (for a resolv.conf, which names no port) needs root. @default {a free one} */
  port?: number;
}

/** A running server. */
export interface DnsServer extends AsyncDisposable {
  /** `<hostname>:<port>`, as `network.nameservers` takes it. */
  address: string;
  hostname: string;
  port: number;
  /** Queries in arrival order. */
  queries: DnsQuery[];
  close(): Promise<void>;
}

const TYPES: Record<number, "A" | "AAAA"> = { 1: "A", 28: "AAAA" };

/** Starts a server answering with `handler` (A queries get IPv4 answers, AAAA IPv6 ones). */
export async function startDnsServer(
  handler: DnsHandler,
  options: DnsServerOptions = {},
): Promise<DnsServer> {
  const hostname = options.hostname ?? "127.0.0.1";
  const socket = dgram.createSocket("udp4");
  const queries: DnsQuery[] = [];
  socket.on("message", (message: Uint8Array, remote: { address: string; port: number }) => {
    const parsed = parseQuery(message);
    if (parsed === undefined) return;
    const query = { name: parsed.name, type: TYPES[parsed.type] ?? parsed.type };
    queries.push(query);
    const wanted = (ip: string) => parsed.type === 1 ? !ip.includes(":") : ip.includes(":");
    const index = queries.filter((q) => q.name === query.name && q.type === query.type).length - 1;
    const answers = handler(query, index).filter(wanted);
    socket.send(reply(message, parsed, answers), remote.port, remote.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(options.port ?? 0, hostname, () => {
      socket.off("error", reject);
      resolve();
    });
  });
  const port = socket.address().port;
  const close = () => new Promise<void>((resolve) => socket.close(() => resolve()));
  return {
    address: `${hostname}:${port}`,
    hostname,
    port,
    queries,
    close,
    [Symbol.asyncDispose]: close,
  };
}

interface ParsedQuery {
  name: string;
  type: number;
  /** Offset just after the question section. */
  end: number;
}

function parseQuery(message: Uint8Array): ParsedQuery | undefined {
  if (message.length < 12 || (message[2]! & 0x80) !== 0) return undefined;
  const labels: string[] = [];
  let at = 12;
  while (at < message.length && message[at] !== 0) {
    const length = message[at]!;
    labels.push(new TextDecoder().decode(message.subarray(at + 1, at + 1 + length)));
    at += 1 + length;
  }
  if (at + 5 > message.length) return undefined;
  const type = (message[at + 1]! << 8) | message[at + 2]!;
  return { name: labels.join(".").toLowerCase(), type, end: at + 5 };
}

function reply(message: Uint8Array, query: ParsedQuery, answers: string[]): Uint8Array {
  const records = answers.map((ip) => {
    const data = query.type === 1 ? ip.split(".").map(Number) : ipv6Bytes(ip);
    // Name pointer to the question (0xc00c), type, class IN, TTL 0, data.
    return [0xc0, 0x0c, 0, query.type, 0, 1, 0, 0, 0, 0, 0, data.length, ...data];
  });
  const head = [
    message[0]!,
    message[1]!,
    0x81 | (message[2]! & 0x01), // response, recursion desired copied
    0x80, // recursion available, NOERROR
    0,
    1,
    0,
    answers.length,
    0,
    0,
    0,
    0,
  ];
  return Uint8Array.from([...head, ...message.subarray(12, query.end), ...records.flat()]);
}

function ipv6Bytes(ip: string): number[] {
  const [head = "", tail = ""] = ip.split("::");
  const groups = (text: string) => text === "" ? [] : text.split(":").map((g) => parseInt(g, 16));
  const left = groups(head);
  const right = ip.includes("::") ? groups(tail) : [];
  const all = [...left, ...Array(8 - left.length - right.length).fill(0), ...right];
  return all.flatMap((group) => [group >> 8, group & 0xff]);
}
