/**
 * Which name servers the agent's DNS check asks, and the network permission that takes: the
 * one place that knows `[network] nameservers`.
 *
 * The check is an early refusal only (the connection's peer address is what is enforced, see
 * `checkedGet()`), so a name server that cannot be reached costs a lookup, not safety.
 *
 * @module
 */
import { parseIpv4, parseIpv6 } from "./_ip.ts";

/** A name server as `Deno.resolveDns` takes it. */
export interface NameServer {
  ipAddr: string;
  port: number;
}

/**
 * Parses `"192.0.2.53"`, `"127.0.0.1:5353"`, `"2001:db8::53"` or `"[2001:db8::53]:5353"`.
 *
 * @returns The address and port (53 unless given), or `undefined` when it is not one.
 */
export function parseNameServer(text: string): NameServer | undefined {
  const value = text.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(value);
  const withPort = /^([^:]+):(\d{1,5})$/.exec(value);
  const [ip, port] = bracketed
    ? [bracketed[1] ?? "", bracketed[2]]
    : withPort
    ? [withPort[1] ?? "", withPort[2]]
    : [value, undefined];
  const number = port === undefined ? 53 : Number(port);
  if (number < 1 || number > 65535) return undefined;
  if (parseIpv4(ip) === undefined && parseIpv6(ip) === undefined) return undefined;
  if (bracketed && parseIpv6(ip) === undefined) return undefined;
  return { ipAddr: ip, port: number };
}

/**
 * The `--allow-net` entries the DNS check needs: the configured name servers (asked
 * directly). The system resolver, used when none is configured, needs no grant of its own.
 *
 * @param configured `network.nameservers`.
 */
export function nameServerPermissions(configured: readonly string[]): string[] {
  return configured.map(parseNameServer).filter((server) => server !== undefined)
    .map(({ ipAddr, port }) => ipAddr.includes(":") ? `[${ipAddr}]:${port}` : `${ipAddr}:${port}`);
}
