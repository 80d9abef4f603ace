/**
 * Which IP addresses the agent refuses to connect to on a user's behalf: everything that is
 * not a public unicast address (private networks, loopback, link-local, multicast,
 * documentation and reserved ranges), so a URL in a message cannot reach the machine the
 * agent runs on or its local network.
 *
 * Ranges from the IANA special-purpose registries (RFC 6890 and updates).
 *
 * @module
 */
import { parseIpv4, parseIpv6 } from "./_ip.ts";

/** Why an address is not public, as it reads in a refusal: `"loopback"` → "loopback address". */
export type AddressKind =
  | "unspecified"
  | "private"
  | "loopback"
  | "link-local"
  | "shared (carrier-grade NAT)"
  | "IETF protocol"
  | "benchmarking"
  | "documentation"
  | "multicast"
  | "reserved"
  | "broadcast"
  | "unique local"
  | "discard-only";

type Range = readonly [base: number, bits: number, kind: AddressKind];

const IPV4_RANGES: readonly Range[] = [
  [ipv4(0, 0, 0, 0), 8, "unspecified"],
  [ipv4(10, 0, 0, 0), 8, "private"],
  [ipv4(100, 64, 0, 0), 10, "shared (carrier-grade NAT)"],
  [ipv4(127, 0, 0, 0), 8, "loopback"],
  [ipv4(169, 254, 0, 0), 16, "link-local"],
  [ipv4(172, 16, 0, 0), 12, "private"],
  [ipv4(192, 0, 0, 0), 24, "IETF protocol"],
  [ipv4(192, 0, 2, 0), 24, "documentation"],
  [ipv4(192, 168, 0, 0), 16, "private"],
  [ipv4(198, 18, 0, 0), 15, "benchmarking"],
  [ipv4(198, 51, 100, 0), 24, "documentation"],
  [ipv4(203, 0, 113, 0), 24, "documentation"],
  [ipv4(224, 0, 0, 0), 4, "multicast"],
  [ipv4(255, 255, 255, 255), 32, "broadcast"],
  [ipv4(240, 0, 0, 0), 4, "reserved"],
];

/**
 * Every IPv4 range that is not public unicast, as CIDR text (`"10.0.0.0/8"`), in the order
 * {@linkcode classifyAddress} checks them: what a process that may reach "any public host" is
 * denied (`--deny-net`).
 */
export const NON_PUBLIC_IPV4_RANGES: readonly string[] = IPV4_RANGES.map(([base, bits]) =>
  `${[24, 16, 8, 0].map((shift) => (base >>> shift) & 255).join(".")}/${bits}`
);

/**
 * Classifies an IP address.
 *
 * IPv4-mapped (`::ffff:a.b.c.d`), NAT64 (`64:ff9b::/96`) and 6to4 (`2002::/16`) addresses
 * are judged by the IPv4 address they embed.
 *
 * @param ip An IPv4 or IPv6 address in text form, without brackets or zone.
 * @returns Why the address is not public, or `undefined` for a public unicast address.
 * @throws {TypeError} When `ip` is not an IP address.
 */
export function classifyAddress(ip: string): AddressKind | undefined {
  const v4 = parseIpv4(ip);
  if (v4 !== undefined) return classifyIpv4(toUint32(v4));
  const v6 = parseIpv6(ip);
  if (v6 === undefined) throw new TypeError(`Not an IP address: "${ip}"`);
  return classifyIpv6(v6);
}

/**
 * Whether an IP address is anything but public unicast: private, loopback, link-local,
 * multicast, documentation or otherwise reserved (see {@linkcode classifyAddress}).
 *
 * @example
 * ```ts
 * isPrivateAddress("10.1.2.3"); // true
 * isPrivateAddress("::ffff:127.0.0.1"); // true
 * isPrivateAddress("93.184.215.14"); // false
 * ```
 *
 * @param ip An IPv4 or IPv6 address in text form, without brackets or zone.
 * @returns `true` unless the address is public.
 * @throws {TypeError} When `ip` is not an IP address.
 */
export function isPrivateAddress(ip: string): boolean {
  return classifyAddress(ip) !== undefined;
}

function classifyIpv4(address: number): AddressKind | undefined {
  for (const [base, bits, kind] of IPV4_RANGES) {
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    if (((address & mask) >>> 0) === base) return kind;
  }
  return undefined;
}

function classifyIpv6(g: number[]): AddressKind | undefined {
  const at = (i: number) => g[i] ?? 0;
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  const embeddedV4 = (hi: number, lo: number) => ((hi << 16) | lo) >>> 0;
  if (zeroUpTo(7) && at(7) === 0) return "unspecified";
  if (zeroUpTo(7) && at(7) === 1) return "loopback";
  // ::ffff:a.b.c.d (IPv4-mapped) reaches the IPv4 host itself.
  if (zeroUpTo(5) && at(5) === 0xffff) return classifyIpv4(embeddedV4(at(6), at(7)));
  // ::a.b.c.d (deprecated IPv4-compatible) and ::ffff:0:a.b.c.d (SIIT) are never public.
  if (zeroUpTo(6) || (zeroUpTo(4) && at(4) === 0xffff && at(5) === 0)) return "reserved";
  // 64:ff9b::/96, the well-known NAT64 prefix, translates to the embedded IPv4 address.
  if (at(0) === 0x64 && at(1) === 0xff9b && g.slice(2, 6).every((x) => x === 0)) {
    return classifyIpv4(embeddedV4(at(6), at(7)));
  }
  if (at(0) === 0x64 && at(1) === 0xff9b && at(2) === 1) return "private"; // local-use NAT64
  if (at(0) === 0x100 && at(1) === 0 && at(2) === 0 && at(3) === 0) return "discard-only";
  if (at(0) === 0x2001 && at(1) === 0x0db8) return "documentation";
  if (at(0) === 0x2001 && at(1) < 0x200) return "IETF protocol"; // 2001::/23
  if (at(0) === 0x2002) return classifyIpv4(embeddedV4(at(1), at(2))); // 6to4
  if ((at(0) & 0xfe00) === 0xfc00) return "unique local";
  if ((at(0) & 0xffc0) === 0xfe80) return "link-local";
  if ((at(0) & 0xffc0) === 0xfec0) return "reserved"; // deprecated site-local
  if ((at(0) & 0xff00) === 0xff00) return "multicast";
  // Only 2000::/3 is allocated as global unicast.
  if ((at(0) & 0xe000) !== 0x2000) return "reserved";
  return undefined;
}

function ipv4(a: number, b: number, c: number, d: number): number {
  return toUint32([a, b, c, d]);
}

function toUint32(octets: number[]): number {
  return (((octets[0] ?? 0) << 24) | ((octets[1] ?? 0) << 16) | ((octets[2] ?? 0) << 8) |
    (octets[3] ?? 0)) >>> 0;
}
