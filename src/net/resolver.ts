/**
 * The host-name resolver the network policy uses, and the default one over `Deno.resolveDns`.
 *
 * @module
 */

/** Resolves a host name to its IP addresses (A and AAAA), in any order. */
export type Resolver = (host: string) => Promise<string[]>;

/**
 * Resolves a host name's A and AAAA records with `Deno.resolveDns`.
 *
 * `Deno.resolveDns` asks the system's name server directly, so it needs net permission for
 * that server (e.g. `--allow-net=10.0.0.53:53`) and does not read `/etc/hosts`; `fetch`
 * uses the system resolver, which does.
 *
 * @param host A host name (not an IP literal).
 * @returns Every address of either family; empty when the name has none.
 * @throws {Error} When the lookup itself fails (no permission, no name server).
 */
export async function denoResolve(host: string): Promise<string[]> {
  const [v4, v6] = await Promise.allSettled([
    Deno.resolveDns(host, "A"),
    Deno.resolveDns(host, "AAAA"),
  ]);
  const addresses: string[] = [];
  for (const result of [v4, v6]) {
    if (result.status === "fulfilled") addresses.push(...result.value);
    else if (!(result.reason instanceof Deno.errors.NotFound)) throw result.reason;
  }
  return addresses;
}
