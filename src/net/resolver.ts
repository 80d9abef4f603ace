/**
 * The host-name resolver the network policy uses, and the default one over `Deno.resolveDns`.
 *
 * @module
 */
import { type NameServer, parseNameServer } from "./name_servers.ts";

/** Resolves a host name to its IP addresses (A and AAAA), in any order. */
export type Resolver = (host: string) => Promise<string[]>;

/**
 * Resolves a host name's A and AAAA records with `Deno.resolveDns` and the system's name
 * servers.
 *
 * `Deno.resolveDns` asks the name server directly, so it needs net permission for that
 * server (e.g. `--allow-net=10.0.0.53:53`). Measured on Deno 2.9.6: it reads `/etc/hosts`
 * first, like the system resolver `Deno.connect` uses, even when given a name server. The
 * two can still disagree (a name server answers each its own way, TTL 0 lets it change its
 * mind), which is why the connection's peer address is checked too (`checkedGet()`).
 *
 * @param host A host name (not an IP literal).
 * @returns Every address of either family; empty when the name has none.
 * @throws {Error} When the lookup itself fails (no permission, no name server).
 */
export function denoResolve(host: string): Promise<string[]> {
  return lookup(host, undefined);
}

/**
 * A resolver that asks the given name servers (`network.nameservers`) in turn, or the
 * system's when the list is empty.
 *
 * @param nameservers `"ip"` or `"ip:port"` entries.
 * @throws {TypeError} When an entry is not a name server address.
 */
export function createResolver(nameservers: readonly string[]): Resolver {
  if (nameservers.length === 0) return denoResolve;
  const servers = nameservers.map((text) => {
    const server = parseNameServer(text);
    if (server === undefined) throw new TypeError(`Not a name server address: "${text}"`);
    return server;
  });
  return async function resolveWithNameServers(host) {
    let failure: unknown;
    for (const server of servers) {
      try {
        return await lookup(host, server);
      } catch (error) {
        failure = error;
      }
    }
    throw failure;
  };
}

async function lookup(host: string, server: NameServer | undefined): Promise<string[]> {
  const options = server === undefined ? undefined : { nameServer: server };
  const [v4, v6] = await Promise.allSettled([
    Deno.resolveDns(host, "A", options),
    Deno.resolveDns(host, "AAAA", options),
  ]);
  const addresses: string[] = [];
  for (const result of [v4, v6]) {
    if (result.status === "fulfilled") addresses.push(...result.value);
    else if (!(result.reason instanceof Deno.errors.NotFound)) throw result.reason;
  }
  return addresses;
}
