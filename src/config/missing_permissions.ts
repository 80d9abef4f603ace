import type { PermissionSet } from "./permission_flags.ts";

/** Options for {@linkcode missingPermissions}. */
export interface MissingPermissionsOptions {
  /**
   * Asks whether the process holds one permission.
   * @default {Deno.permissions.querySync(...) is "granted"}
   */
  holds?: (descriptor: Deno.PermissionDescriptor) => boolean;
}

/**
 * What of a permission set this process does not hold, one flag per missing item (e.g.
 * `--allow-net=xmpp.example.org:5222`), in the set's order. Unstable features cannot be
 * queried and are not checked.
 *
 * A compiled executable holds the permissions baked in when it was built, so given another
 * config (or started where its relative paths name other files) it may lack some: this
 * says which before anything fails half-way.
 *
 * @param set What the config needs (`permissionSet`), with paths absolute or relative to
 *   the working directory.
 * @returns The missing items; empty when the process holds everything.
 */
export function missingPermissions(
  set: PermissionSet,
  options: MissingPermissionsOptions = {},
): string[] {
  const holds = options.holds ?? querySync;
  const missing: string[] = [];
  const check = (flag: string, value: string, descriptor: Deno.PermissionDescriptor) => {
    if (!holds(descriptor)) missing.push(`${flag}=${value}`);
  };
  for (const host of set.net) check("--allow-net", host, { name: "net", host });
  for (const path of set.read) check("--allow-read", path, { name: "read", path });
  for (const path of set.write) check("--allow-write", path, { name: "write", path });
  for (const variable of set.env) check("--allow-env", variable, { name: "env", variable });
  for (const command of set.run) check("--allow-run", command, { name: "run", command });
  return missing;
}

function querySync(descriptor: Deno.PermissionDescriptor): boolean {
  return Deno.permissions.querySync(descriptor).state === "granted";
}
