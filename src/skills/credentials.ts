import { join } from "node:path";

/** Where a credential's value was found. */
export type CredentialOrigin =
  | "environment"
  | "config"
  | ".env"
  | "home .env"
  | "credentials file";

/** A credential value and where it came from. */
export interface ResolvedCredential {
  value: string;
  origin: CredentialOrigin;
}

/** Where {@linkcode resolveCredential} looks, in this order. */
export interface CredentialSources {
  /** Reads a process environment variable. */
  env: (name: string) => string | undefined;
  /** Values the config gives, by credential name (already `${VAR}`-expanded). @default {{}} */
  config?: Readonly<Record<string, string>>;
  /** Variables of `./.env`. @default {{}} */
  dotenv?: Readonly<Record<string, string>>;
  /** Variables of `~/.fluux-agent/.env`. @default {{}} */
  homeDotenv?: Readonly<Record<string, string>>;
  /** The home directory holding `.fluux-agent/credentials/`; without it files are skipped. */
  home?: string;
  /** Reads a file; rejects with `Deno.errors.NotFound` when missing. @default {Deno.readTextFile} */
  readFile?: (path: string) => Promise<string>;
}

/**
 * The environment variable that holds a credential: upper case, `-` becomes `_`.
 *
 * @example
 * ```ts
 * credentialEnvName("tavily-api-key"); // "TAVILY_API_KEY"
 * ```
 */
export function credentialEnvName(name: string): string {
  return name.toUpperCase().replaceAll("-", "_");
}

/**
 * The file that holds a credential: `~/.fluux-agent/credentials/<skill>/<name>`.
 *
 * @throws {TypeError} When a name could escape its folder.
 */
export function credentialFilePath(home: string, skill: string, name: string): string {
  for (const part of [skill, name]) {
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(part)) {
      throw new TypeError(`Invalid credential path part ${JSON.stringify(part)}`);
    }
  }
  return join(home, ".fluux-agent", "credentials", skill, name);
}

/**
 * Finds a credential, first match wins: the process environment (`TAVILY_API_KEY` for
 * `tavily-api-key`), the config, `./.env`, `~/.fluux-agent/.env`, then the file
 * `~/.fluux-agent/credentials/<skill>/<name>` (trimmed). A `.env` never overrides the
 * environment. Empty values count as missing.
 *
 * @param name The credential name from the manifest.
 * @param skill The skill that declared it (picks the credentials folder).
 * @returns The value and its origin, or `undefined` when nowhere set.
 * @throws What `readFile` throws, other than NotFound.
 */
export async function resolveCredential(
  name: string,
  skill: string,
  sources: CredentialSources,
): Promise<ResolvedCredential | undefined> {
  const variable = credentialEnvName(name);
  const layers: [CredentialOrigin, string | undefined][] = [
    ["environment", sources.env(variable)],
    ["config", sources.config?.[name]],
    [".env", sources.dotenv?.[variable]],
    ["home .env", sources.homeDotenv?.[variable]],
  ];
  for (const [origin, value] of layers) {
    if (value !== undefined && value !== "") return { value, origin };
  }
  if (sources.home === undefined) return undefined;
  const read = sources.readFile ?? Deno.readTextFile;
  try {
    const value = (await read(credentialFilePath(sources.home, skill, name))).trim();
    return value === "" ? undefined : { value, origin: "credentials file" };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** Options for {@linkcode storeCredential}. */
export interface StoreCredentialOptions {
  /** The home directory. */
  home: string;
}

/**
 * Writes a credential to `~/.fluux-agent/credentials/<skill>/<name>`, readable by its
 * owner only: the folders are created 0700, the file 0600 (also when it already existed).
 *
 * @returns The file's path.
 * @throws {TypeError} When the skill or credential name could escape its folder.
 */
export async function storeCredential(
  skill: string,
  credential: { name: string; value: string },
  options: StoreCredentialOptions,
): Promise<string> {
  const file = credentialFilePath(options.home, skill, credential.name);
  const dir = join(options.home, ".fluux-agent", "credentials", skill);
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  await Deno.writeTextFile(file, credential.value + "\n", { mode: 0o600 });
  // `mode` applies only when the file is created; an older file keeps its bits otherwise.
  await Deno.chmod(file, 0o600);
  return file;
}
