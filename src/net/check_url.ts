/**
 * The URL policy shared by everything that fetches a URL on a user's behalf: scheme, host
 * allow-list and the addresses the host resolves to.
 *
 * @module
 */
import { classifyAddress } from "./address_policy.ts";
import { parseIpv4, parseIpv6 } from "./_ip.ts";
import { BlockedUrlError } from "./blocked_url_error.ts";
import { denoResolve, type Resolver } from "./resolver.ts";

/** Config keys named in refusal hints, so the operator knows what to change. */
export interface PolicyConfigKeys {
  /** The boolean that allows private hosts, e.g. `"attachments.allow_private_hosts"`. */
  allowPrivate?: string;
  /** The host list, e.g. `"attachments.hosts"`. */
  allowedHosts?: string;
  /** The boolean that allows plain http, when there is one. */
  allowHttp?: string;
}

/** Options of {@linkcode resolveAndCheck}. */
export interface ResolveAndCheckOptions {
  /** Resolves a host name. @default {denoResolve} */
  resolve?: Resolver;
  /** Accept private, loopback and other non-public addresses. @default {false} */
  allowPrivate?: boolean;
  /** The URL named in refusals. @default {the host} */
  url?: string;
  /** Config keys named in hints. @default {no hints} */
  configKeys?: PolicyConfigKeys;
  /**
   * When the name cannot be resolved (no answer, no name server, no permission for it),
   * return no addresses instead of refusing, and leave the verdict to the check of the
   * connection's peer address ({@linkcode checkPeerAddress}).
   * @default {false}
   */
  deferUnresolved?: boolean;
}

/** Options of {@linkcode checkUrl}. */
export interface UrlPolicy extends Omit<ResolveAndCheckOptions, "url"> {
  /**
   * Hosts that may be fetched: `"host"` (any port), `"host:port"`, `"[::1]:8080"`, or
   * `"*.example.org"` (any subdomain, not the domain itself). `undefined` allows any host
   * (addresses are still checked).
   * @default {undefined}
   */
  allowedHosts?: readonly string[];
  /** Accept plain http to public hosts. @default {false} */
  allowHttp?: boolean;
}

/** The addresses a host stands for. */
export interface ResolvedHost {
  /** The normalised host: lower case, no brackets, no trailing dot. */
  host: string;
  /** The addresses it resolved to (the literal itself for an IP). */
  addresses: string[];
  /** Whether any of them is not public (only possible with `allowPrivate`). */
  private: boolean;
}

/** A URL the policy accepts. */
export interface CheckedUrl extends ResolvedHost {
  url: URL;
}

/**
 * Checks a URL against the policy: the scheme is https (http only with `allowHttp`, or with
 * `allowPrivate` when the host is private), the host is allowed, and every address it
 * resolves to is public unless `allowPrivate`. A name the resolver cannot answer is left to
 * the connection (`deferUnresolved`), whose peer address {@linkcode checkPeerAddress} judges.
 *
 * This is an early refusal, not the boundary: DNS may answer differently when the caller
 * connects (DNS rebinding). Connect with `checkedGet()`, which checks the address actually
 * connected to before sending anything, and check again after every redirect.
 *
 * @param url The URL to check.
 * @param policy What is allowed.
 * @returns The parsed URL and its addresses.
 * @throws {BlockedUrlError} When the policy refuses the URL or its host cannot be resolved.
 */
export async function checkUrl(url: string | URL, policy: UrlPolicy = {}): Promise<CheckedUrl> {
  const text = String(url);
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch (cause) {
    throw new BlockedUrlError(text, "not a valid URL", { cause });
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new BlockedUrlError(text, `scheme "${parsed.protocol}" is not allowed (only https)`);
  }
  const host = normaliseHost(parsed.hostname);
  const keys = policy.configKeys ?? {};
  if (policy.allowedHosts !== undefined && !isHostAllowed(parsed, policy.allowedHosts)) {
    const hint = keys.allowedHosts === undefined ? {} : { hint: `add it to ${keys.allowedHosts}` };
    throw new BlockedUrlError(text, `host "${parsed.host}" is not allowed`, hint);
  }
  const resolved = await resolveAndCheck(host, { ...policy, url: text, deferUnresolved: true });
  const everyPrivate = resolved.addresses.every((ip) => classifyAddress(ip) !== undefined);
  // With no address known yet, the connection's peer check decides about plain http too.
  const known = resolved.addresses.length > 0;
  if (
    parsed.protocol === "http:" && !policy.allowHttp && known &&
    !(policy.allowPrivate && everyPrivate)
  ) {
    const hint = keys.allowHttp === undefined ? "use https" : `set ${keys.allowHttp} = true`;
    throw new BlockedUrlError(text, "plain http is not allowed", { hint });
  }
  return { url: parsed, ...resolved };
}

/**
 * Resolves a host (an IP literal needs no lookup; `localhost` and `*.localhost` are loopback)
 * and refuses it when ANY of its addresses is not public, unless `allowPrivate`.
 *
 * @param host A host name or IP literal (IPv6 with or without brackets).
 * @param options The resolver, whether private hosts are allowed, what to name in errors.
 * @returns The host's addresses.
 * @throws {BlockedUrlError} When an address is refused or the name cannot be resolved.
 */
export async function resolveAndCheck(
  host: string,
  options: ResolveAndCheckOptions = {},
): Promise<ResolvedHost> {
  const name = normaliseHost(host);
  const url = options.url ?? host;
  const hint = options.configKeys?.allowPrivate === undefined ? {} : {
    hint: `set ${options.configKeys.allowPrivate} = true to allow private hosts`,
  };
  let addresses: string[];
  if (isIpLiteral(name)) {
    addresses = [name];
  } else if (name === "localhost" || name.endsWith(".localhost")) {
    if (!options.allowPrivate) throw new BlockedUrlError(url, `loopback host "${name}"`, hint);
    return { host: name, addresses: ["127.0.0.1", "::1"], private: true };
  } else {
    try {
      addresses = await (options.resolve ?? denoResolve)(name);
    } catch (cause) {
      if (options.deferUnresolved) return { host: name, addresses: [], private: false };
      const detail = cause instanceof Error ? `: ${cause.message}` : "";
      throw new BlockedUrlError(url, `cannot resolve host "${name}"${detail}`, { cause });
    }
    if (addresses.length === 0) {
      if (options.deferUnresolved) return { host: name, addresses: [], private: false };
      throw new BlockedUrlError(url, `host "${name}" has no address`);
    }
  }
  let anyPrivate = false;
  for (const ip of addresses) {
    let kind;
    try {
      kind = classifyAddress(ip);
    } catch (cause) {
      throw new BlockedUrlError(url, `host "${name}" resolved to "${ip}"`, { cause });
    }
    if (kind === undefined) continue;
    if (!options.allowPrivate) throw new BlockedUrlError(url, `${kind} address ${ip}`, hint);
    anyPrivate = true;
  }
  return { host: name, addresses, private: anyPrivate };
}

/**
 * Judges the address a connection for `url` actually reached, before anything is sent on it:
 * a non-public address needs `allowPrivate`, and plain http to a public one needs `allowHttp`.
 *
 * @param url The URL being fetched (named in the refusal).
 * @param address The peer's IP address, as the socket reports it.
 * @param policy What is allowed.
 * @throws {BlockedUrlError} When the address is refused.
 */
export function checkPeerAddress(url: URL, address: string, policy: UrlPolicy = {}): void {
  let kind;
  try {
    kind = classifyAddress(address.replace(/%.*$/, ""));
  } catch (cause) {
    throw new BlockedUrlError(url.href, `connected to "${address}", not an IP address`, { cause });
  }
  const keys = policy.configKeys ?? {};
  if (kind !== undefined && !policy.allowPrivate) {
    const hint = keys.allowPrivate === undefined
      ? {}
      : { hint: `set ${keys.allowPrivate} = true to allow private hosts` };
    throw new BlockedUrlError(url.href, `${kind} address ${address}`, hint);
  }
  if (kind === undefined && url.protocol === "http:" && !policy.allowHttp) {
    const hint = keys.allowHttp === undefined ? "use https" : `set ${keys.allowHttp} = true`;
    throw new BlockedUrlError(url.href, "plain http is not allowed", { hint });
  }
}

/**
 * Whether a URL's host and port match an allow-list entry (see
 * {@linkcode UrlPolicy.allowedHosts}).
 *
 * @param url The URL.
 * @param allowedHosts The allow-list.
 * @returns `true` when an entry matches.
 */
export function isHostAllowed(url: URL, allowedHosts: readonly string[]): boolean {
  const name = normaliseHost(url.hostname);
  const port = Number(url.port || (url.protocol === "http:" ? 80 : 443));
  return allowedHosts.some((entry) => {
    const allowed = parseHostEntry(entry);
    if (allowed.port !== undefined && allowed.port !== port) return false;
    if (allowed.host.startsWith("*.")) return name.endsWith(allowed.host.slice(1));
    return name === allowed.host;
  });
}

function parseHostEntry(entry: string): { host: string; port?: number } {
  const text = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) return withPort(bracketed[1] ?? "", bracketed[2]);
  const withColon = /^([^:]+):(\d+)$/.exec(text);
  if (withColon) return withPort(withColon[1] ?? "", withColon[2]);
  return { host: normaliseHost(text) };
}

function withPort(host: string, port: string | undefined) {
  const name = normaliseHost(host);
  return port === undefined ? { host: name } : { host: name, port: Number(port) };
}

function normaliseHost(host: string): string {
  return host.trim().toLowerCase().replace(/^\[(.*)\]$/, "$1").replace(/\.$/, "");
}

function isIpLiteral(host: string): boolean {
  return parseIpv4(host) !== undefined || parseIpv6(host) !== undefined;
}
