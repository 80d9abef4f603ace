import { isAbsolute, relative, resolve } from "node:path";
import { NON_PUBLIC_IPV4_RANGES } from "../net/mod.ts";
import { ANY_HOST, type SkillManifest } from "./manifest.ts";

/**
 * IPv6 addresses denied next to every non-public IPv4 range when a skill may reach any public
 * host: loopback, the unspecified address (which reaches local listeners), and the IPv6 form
 * of the cloud metadata service. Deno 2.9's `--deny-net` parses IPv4 ranges but no IPv6 range
 * (`[fe80::]/10` is refused as an invalid host), so IPv6 unique-local and link-local ranges
 * cannot be denied as ranges; README's security model says so.
 */
export const DENIED_IPV6 = ["[::1]", "[::]", "[fd00:ec2::254]"] as const;

/** The concrete permissions one skill call runs with, paths resolved. */
export interface SkillGrant {
  /** Hosts, or `true` for any public host (process isolation only). */
  net: string[] | true;
  /**
   * With `net: true`, also private, loopback and link-local addresses. Only the config can
   * give this (`skills.url_fetch.allow_private_hosts`), never a manifest.
   */
  privateNetwork: boolean;
  read: string[];
  write: string[];
  env: string[];
}

/** Options for {@linkcode skillGrant}. */
export interface SkillGrantOptions {
  /** The skill's state folder (absolute); relative paths resolve against it. */
  stateDir: string;
  /** Absolute folders the config lets skills name; others are refused. @default {[]} */
  allowedAbsolutePaths?: readonly string[];
  /**
   * Let a skill with `network = ["*"]` reach private, loopback and link-local addresses too.
   * @default {false}
   */
  allowPrivateNetwork?: boolean;
}

/**
 * Resolves a manifest's capabilities into the permissions of one call: relative
 * `read`/`write` paths land inside the skill's state folder (and may not leave it), an
 * absolute path must sit inside a folder the config allows.
 *
 * @throws {RangeError} Naming the path, when it is outside what is allowed.
 */
export function skillGrant(manifest: SkillManifest, options: SkillGrantOptions): SkillGrant {
  const { network, read, write, env } = manifest.capabilities;
  const allowed = (options.allowedAbsolutePaths ?? []).map((path) => resolve(path));
  const paths = (list: readonly string[], key: string) =>
    list.map((path) => {
      if (!isAbsolute(path)) {
        const full = resolve(options.stateDir, path);
        if (!isInside(full, options.stateDir)) {
          throw new RangeError(
            `Skill "${manifest.name}" ${key} path ${JSON.stringify(path)} ` +
              "leaves its state folder",
          );
        }
        return full;
      }
      const full = resolve(path);
      if (!allowed.some((root) => isInside(full, root))) {
        throw new RangeError(
          `Skill "${manifest.name}" ${key} path ${JSON.stringify(path)} is absolute and not ` +
            "inside a folder the config allows (skills.allowed_paths)",
        );
      }
      return full;
    });
  return {
    net: network.includes(ANY_HOST) ? true : [...network],
    privateNetwork: options.allowPrivateNetwork ?? false,
    read: paths(read, "read"),
    write: paths(write, "write"),
    env: [...env],
  };
}

/**
 * The Web Worker permissions of a grant, every key given explicitly (an omitted key is not
 * inherited in Deno 2.9, and nothing should be).
 *
 * @throws {RangeError} When the grant asks for any host: a worker cannot hold that without
 *   the whole agent holding it.
 */
export function workerPermissions(grant: SkillGrant): Deno.PermissionOptionsObject {
  if (grant.net === true) {
    throw new RangeError('A worker cannot be granted any host; use isolation = "process"');
  }
  return {
    net: orFalse(grant.net),
    read: orFalse(grant.read),
    write: orFalse(grant.write),
    env: orFalse(grant.env),
    run: false,
    ffi: false,
    sys: false,
    import: false,
  };
}

/**
 * The `deno run` permission flags of a grant, for a process-isolated call. Absent flags
 * deny (the child runs with `--no-prompt`); run, ffi, sys and remote imports stay denied.
 * "Any host" is `--allow-net` with `--deny-net` for every non-public IPv4 range and the IPv6
 * addresses of {@linkcode DENIED_IPV6}, unless the grant allows the private network: Deno
 * checks the deny list on the address each connection resolves to, so neither a literal, a
 * name that resolves there, nor a name rebound to it gets through.
 */
export function processPermissionFlags(grant: SkillGrant): string[] {
  const flags: string[] = [];
  if (grant.net === true) {
    flags.push("--allow-net");
    if (!grant.privateNetwork) {
      flags.push(`--deny-net=${[...NON_PUBLIC_IPV4_RANGES, ...DENIED_IPV6].join(",")}`);
    }
  } else if (grant.net.length > 0) flags.push(`--allow-net=${joinFlag(grant.net)}`);
  if (grant.read.length > 0) flags.push(`--allow-read=${joinFlag(grant.read)}`);
  if (grant.write.length > 0) flags.push(`--allow-write=${joinFlag(grant.write)}`);
  if (grant.env.length > 0) flags.push(`--allow-env=${joinFlag(grant.env)}`);
  return flags;
}

function orFalse(values: readonly string[]): string[] | false {
  return values.length === 0 ? false : [...values];
}

function joinFlag(values: readonly string[]): string {
  for (const value of values) {
    if (value.includes(",")) {
      throw new TypeError(`Cannot grant ${JSON.stringify(value)}: a Deno flag cannot hold a comma`);
    }
  }
  return [...new Set(values)].sort().join(",");
}

/** Whether `path` is `root` or under it (both absolute, resolved). */
export function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}
