/**
 * The host-name resolver the network policy uses, and the default one: the system's own
 * (`getaddrinfo`, through `node:dns`), the same lookup `fetch` makes when it connects; or
 * the name servers `[network] nameservers` names, asked directly.
 *
 * @module
 */
import { lookup } from "node:dns/promises";
import { type NameServer, parseNameServer } from "./name_servers.ts";

/** Resolves a host name to its IP addresses (A and AAAA), in any order. */
export type Resolver = (host: string) => Promise<string[]>;

/** Lookup failures that mean "this name has no address", not "the lookup failed". */
const NO_ADDRESS = new Set(["ENOTFOUND", "ENODATA", "EAI_NONAME", "EAI_NODATA"]);

/**
 * Resolves a host name's addresses of either family through the system resolver
 * (`getaddrinfo`: `/etc/hosts`, then the name servers of `/etc/resolv.conf` or the
 * platform's equivalent), read when the lookup happens.
 *
 * Deno lets this lookup through with net permission for the host name itself, without a
 * port (measured on Deno 2.9: `--allow-net=example.org` resolves `example.org`;
 * `--allow-net=example.org:443` does not), so no name server needs a grant of its own and
 * none is baked into a compiled executable. `Deno.resolveDns`, by contrast, asks a name
 * server directly and needs `--allow-net=<its IP>:53`.
 *
 * @param host A host name (not an IP literal).
 * @returns Every address of either family; empty when the name has none.
 * @throws {Error} When the lookup itself fails; `Not permitted to resolve "<host>"` when
 *   the process holds no net permission for the name.
 */
export async function denoResolve(host: string): Promise<string[]> {
  try {
    const found = await lookup(host, { all: true, verbatim: true });
    return found.map((entry) => entry.address);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === "string" && NO_ADDRESS.has(code)) return [];
    if (code === "EPERM") {
      throw new Error(`Not permitted to resolve "${host}": it is not in --allow-net`, {
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * A resolver that asks the given name servers (`network.nameservers`) in turn, or the
 * system's ({@linkcode denoResolve}) when the list is empty. Asking a name server directly
 * takes net permission for it (`--allow-net=<ip>:<port>`, which the `permissions` command
 * adds for configured ones).
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
        return await askNameServer(host, server);
      } catch (error) {
        failure = error;
      }
    }
    throw failure;
  };
}

async function askNameServer(host: string, server: NameServer): Promise<string[]> {
  const options = { nameServer: server };
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
