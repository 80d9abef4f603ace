import dotenv from "dotenv";
import { join, resolve } from "node:path";
import type { CredentialSources } from "./credentials.ts";

/** Options for {@linkcode loadCredentialSources}. */
export interface LoadCredentialSourcesOptions {
  /** Reads a process environment variable. @default {Deno.env.get, a denied read = unset} */
  env?: (name: string) => string | undefined;
  /** Folder holding `./.env`. @default {Deno.cwd()} */
  cwd?: string;
  /** Home folder holding `.fluux-agent/.env` and `.fluux-agent/credentials/`. @default none */
  home?: string;
}

/**
 * Reads the `.env` layers once (`./.env`, `~/.fluux-agent/.env`) and returns the sources
 * {@linkcode resolveCredential} looks in. A missing `.env` is an empty layer.
 *
 * @throws When a `.env` file exists but cannot be read.
 */
export async function loadCredentialSources(
  options: LoadCredentialSourcesOptions = {},
): Promise<CredentialSources> {
  const cwd = options.cwd ?? Deno.cwd();
  const read = async (path: string) => {
    try {
      return dotenv.parse(await Deno.readTextFile(path));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return {};
      throw error;
    }
  };
  const dotenvValues = await read(resolve(cwd, ".env"));
  const homeDotenv = options.home === undefined
    ? {}
    : await read(join(options.home, ".fluux-agent", ".env"));
  return {
    env: options.env ?? readEnv,
    dotenv: dotenvValues,
    homeDotenv,
    ...(options.home === undefined ? {} : { home: options.home }),
  };
}

function readEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    // A variable the agent was not granted counts as unset.
    return undefined;
  }
}
