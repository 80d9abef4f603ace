/** A `host:port` a listener binds to, split for `Deno.serve` and for `--allow-net`. */
export interface ListenAddress {
  /** The host as `Deno.serve` takes it: a name or an IP address, IPv6 without brackets. */
  hostname: string;
  /** The TCP port. */
  port: number;
}

const LISTEN = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9][A-Za-z0-9.-]*)):([0-9]{1,5})$/;

/** Options for {@linkcode parseListenAddress}. */
export interface ParseListenAddressOptions {
  /**
   * Accept port 0, which lets the system pick a free port (tests); a config cannot.
   * @default {false}
   */
  allowPortZero?: boolean;
}

/**
 * Parses a listen address written `host:port`: `127.0.0.1:8787`, `[::1]:8787`,
 * `localhost:8787`, `0.0.0.0:8787`. An IPv6 address needs brackets.
 *
 * @param text The address as the config writes it.
 * @returns Host and port, or `undefined` when `text` is not `host:port` with a port from 1
 * (or 0, see {@linkcode ParseListenAddressOptions.allowPortZero}) to 65535.
 * @example
 * ```ts
 * parseListenAddress("[::1]:8787"); // { hostname: "::1", port: 8787 }
 * ```
 */
export function parseListenAddress(
  text: string,
  options: ParseListenAddressOptions = {},
): ListenAddress | undefined {
  const match = LISTEN.exec(text);
  if (match === null) return undefined;
  const port = Number(match[3]);
  if (port < (options.allowPortZero ? 0 : 1) || port > 65535) return undefined;
  const ipv6 = match[1];
  if (ipv6 !== undefined && !ipv6.includes(":")) return undefined;
  return { hostname: (ipv6 ?? match[2] ?? "").toLowerCase(), port };
}
