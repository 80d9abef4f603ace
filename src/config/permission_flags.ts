import { parseListenAddress } from "./listen_address.ts";
import { isAbsolute, join, resolve } from "node:path";
import type { LoadedConfig } from "./load_config.ts";

/**
 * Environment variables the libraries read while the agent starts, granted on top of the
 * ones the config references. Empty until measured: add a name here with the library that
 * reads it and why, e.g. `"NO_COLOR", // std colors, checked at import`.
 */
export const LIBRARY_ENV: readonly string[] = [];

/**
 * Variables each LLM SDK reads by itself (its own settings, looked up when the client is
 * built; Deno throws instead of returning nothing when they are not granted). A prefix
 * grant keeps the list true across SDK versions; nothing outside the prefix is readable.
 */
const PROVIDER_ENV: Record<string, readonly string[]> = {
  anthropic: ["ANTHROPIC_CUSTOM_HEADERS"],
  ollama: [],
  // Every other setting it would read is passed explicitly. A read it is refused would not
  // fail, but Deno asks at a terminal for a variable it was not granted.
  openai: ["OPENAI_CUSTOM_HEADERS"],
};

/** Variables the agent itself reads: the config location and the home .env directory. */
const AGENT_ENV = ["FLUUX_CONFIG", "HOME"];

/** Options for {@linkcode permissionFlags}. */
export interface PermissionFlagsOptions {
  /**
   * Variables read by libraries at start-up.
   * @default {LIBRARY_ENV}
   */
  libraryEnv?: readonly string[];
  /**
   * What enabled skills need on top of the agent's own set (hosts of worker skills, their
   * code folders, the `deno` executable for process-isolated ones, unstable features).
   * @default {{}}
   */
  extra?: ExtraPermissions;
  /**
   * Name the config file, `.env` and the data directory as written
   * ({@linkcode LoadedConfig.portable}) instead of as absolute paths, and leave out
   * `~/.fluux-agent/.env`: the form `compile` bakes into an executable, which holds on any
   * machine when started from a working directory laid out like this one.
   * @default {false}
   */
  portable?: boolean;
  /**
   * The `deno` executable the memory search index process runs with: when memory search
   * uses an embedder, the agent starts that process (which alone holds `--allow-ffi`), so
   * it joins `--allow-run`, with the variables that process needs to find Deno's cache.
   * Without it that grant is left out.
   * @default {undefined}
   */
  searchDenoPath?: string;
}

/** Variables the memory search index process needs to find Deno's module cache. */
export const SEARCH_CHILD_ENV: readonly string[] = ["DENO_DIR", "XDG_CACHE_HOME"];

/** A permission set: each list sorted, each value once. */
export interface PermissionSet {
  net: string[];
  read: string[];
  write: string[];
  env: string[];
  run: string[];
  /** Unstable features, e.g. `worker-options`. */
  unstable: string[];
}

/** Permissions added to the config's own (see {@linkcode PermissionFlagsOptions.extra}). */
export interface ExtraPermissions {
  net?: readonly string[];
  read?: readonly string[];
  write?: readonly string[];
  env?: readonly string[];
  run?: readonly string[];
  /** Unstable features, e.g. `worker-options`. */
  unstable?: readonly string[];
}

/** The parts of {@linkcode LoadedConfig} the permission set depends on. */
export type PermissionInput =
  & Pick<LoadedConfig, "config" | "path" | "variables" | "dataDir" | "envFiles" | "portable">
  & Partial<Pick<LoadedConfig, "baseDir">>;

/**
 * The Deno permission flags the agent needs to run with this config, and nothing more:
 * network access to the XMPP server, every configured LLM provider's host (and the webhook
 * listener's address, with `[webhooks]`), read access to the config file,
 * the .env files and the data directory, write access to the data directory, the
 * environment variables the config references (and the few its LLM SDK reads). Each list
 * is sorted and holds each value once. `server.tls_verify = false` needs no flag: the XMPP
 * layer relaxes the check for that one server itself.
 *
 * @param loaded What {@linkcode loadConfig} returned.
 * @returns Flags such as `["--allow-net=localhost:5222", …]`, for `deno run` or `deno compile`.
 * @throws {TypeError} When a path or host holds a comma, which a Deno flag cannot express.
 */
export function permissionFlags(
  loaded: PermissionInput,
  options: PermissionFlagsOptions = {},
): string[] {
  return formatPermissionFlags(permissionSet(loaded, options));
}

/**
 * The permissions {@linkcode permissionFlags} prints, as lists (to check them against what
 * a process holds, see `missingPermissions`).
 *
 * @throws {TypeError} When a path or host holds a comma, which a Deno flag cannot express.
 */
export function permissionSet(
  loaded: PermissionInput,
  options: PermissionFlagsOptions = {},
): PermissionSet {
  const { server, llm } = loaded.config;
  const { attachments } = loaded.config;
  const net = [
    netGrant(server.host, server.port),
    // Every configured provider: a fallback or a tier may reach any of them.
    ...Object.values(llm.providers).map((provider) => urlHostPort(provider.host)),
    // Attachment downloads reach only these hosts (any port: upload services vary). A host
    // grant without a port also lets the system resolver look the name up, so no name
    // server needs a grant of its own.
    ...(attachments.enabled ? attachments.hosts : []),
    // Files the agent sends are PUT to its server's upload service (XEP-0363).
    ...loaded.config.upload.hosts,
    // The webhook listener binds here (Deno checks a listen against --allow-net too).
    ...webhookListenGrant(loaded.config.webhooks?.listen),
  ];
  const paths = options.portable === true ? loaded.portable : loaded;
  const read = [paths.path, paths.dataDir, ...paths.envFiles, ...avatarRead(loaded, options)];
  const env = [
    ...loaded.variables,
    ...AGENT_ENV,
    ...Object.keys(llm.providers).flatMap((name) => PROVIDER_ENV[name] ?? []),
    ...(options.libraryEnv ?? LIBRARY_ENV),
  ];
  const extra = options.extra ?? {};
  const search = searchPermissions(loaded, options);
  const set: PermissionSet = {
    net: unique("--allow-net", [...net, ...search.net, ...(extra.net ?? [])]),
    read: unique("--allow-read", [...read, ...search.shared, ...(extra.read ?? [])]),
    write: unique("--allow-write", [paths.dataDir, ...search.shared, ...(extra.write ?? [])]),
    env: unique("--allow-env", [...env, ...search.env, ...(extra.env ?? [])]),
    run: unique("--allow-run", [...search.run, ...(extra.run ?? [])]),
    unstable: [...new Set(extra.unstable ?? [])].sort(),
  };
  return set;
}

/** The avatar file (`agent.avatar`), as written for a portable build, else absolute. */
function avatarRead(loaded: PermissionInput, options: PermissionFlagsOptions): string[] {
  const written = loaded.config.agent.avatar;
  if (written === undefined) return [];
  if (options.portable === true || isAbsolute(written)) return [written];
  return [resolve(loaded.baseDir ?? resolve(), written)];
}

/**
 * What memory search adds to the agent's own permissions: the embedder's host (the agent
 * computes embeddings and hands them to the index process, which has no network); the
 * shared folder when it lies outside the data directory; and, with an embedder and
 * `searchDenoPath`, running the index process. Keyword-only search adds nothing: SQLite
 * FTS5 needs no flag beyond the data directory.
 */
function searchPermissions(loaded: PermissionInput, options: PermissionFlagsOptions) {
  const search = loaded.config.memory.search;
  const none = { net: [], shared: [], env: [], run: [] };
  if (!search.enabled) return none;
  const embedder = search.provider !== "none";
  const paths = options.portable === true ? loaded.portable : loaded;
  const written = loaded.config.memory.shared.path;
  const base = loaded.baseDir ?? resolve();
  const sharedDir = written === undefined
    ? join(paths.dataDir, "shared")
    : options.portable === true || isAbsolute(written)
    ? written
    : resolve(base, written);
  const usesShared = search.sources.includes("shared") ||
    loaded.config.memory.shared.contributors.length > 0;
  return {
    net: embedder ? [urlHostPort(search.host)] : [],
    // The default folder, inside the data directory, is granted with it.
    shared: usesShared && written !== undefined ? [sharedDir] : [],
    env: embedder ? [...SEARCH_CHILD_ENV] : [],
    run: embedder && options.searchDenoPath !== undefined ? [options.searchDenoPath] : [],
  };
}

/** The Deno flags of a permission set (an empty run list grants nothing to run). */
export function formatPermissionFlags(set: PermissionSet): string[] {
  const flags = [
    `--allow-net=${set.net.join(",")}`,
    `--allow-read=${set.read.join(",")}`,
    `--allow-write=${set.write.join(",")}`,
    `--allow-env=${set.env.join(",")}`,
  ];
  if (set.run.length > 0) flags.push(`--allow-run=${set.run.join(",")}`);
  for (const feature of set.unstable) flags.push(`--unstable-${feature}`);
  return flags;
}

function unique(name: string, values: readonly string[]): string[] {
  for (const value of values) {
    if (value.includes(",")) {
      throw new TypeError(
        `Cannot grant ${name} for ${JSON.stringify(value)}: a Deno flag cannot hold a comma`,
      );
    }
  }
  return [...new Set(values)].sort();
}

/**
 * How `--allow-net` names a host and port: lower-case, an IPv6 address in brackets.
 *
 * @example
 * ```ts
 * netGrant("::1", 5222); // "[::1]:5222"
 * ```
 */
export function netGrant(host: string, port: number): string {
  const bracketed = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return `${bracketed.toLowerCase()}:${port}`;
}

function webhookListenGrant(listen: string | undefined): string[] {
  const address = listen === undefined ? undefined : parseListenAddress(listen);
  return address === undefined ? [] : [netGrant(address.hostname, address.port)];
}

function urlHostPort(endpoint: string): string {
  const url = new URL(endpoint);
  const port = url.port === "" ? (url.protocol === "https:" ? 443 : 80) : Number(url.port);
  return netGrant(url.hostname, port);
}
