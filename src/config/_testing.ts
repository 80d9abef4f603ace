// Test helpers: an in-memory file system and environment for loadConfig().
import { loadConfig, type LoadConfigOptions, type LoadedConfig } from "./load_config.ts";

/** A minimal valid config. */
export const MINIMAL_TOML = `
[server]
host = "localhost"
jid = "bot@localhost"
password = "s3cret-pass"

[llm]
provider = "ollama"
model = "llama3"
`;

/** Files and variables for one test; the working directory is /srv/agent, home /home/bot. */
export interface Fixture {
  files?: Record<string, string>;
  env?: Record<string, string>;
}

/** loadConfig() options reading from the fixture instead of the machine. */
export function fixtureOptions(fixture: Fixture): LoadConfigOptions {
  const files = fixture.files ?? {};
  const env = fixture.env ?? {};
  return {
    cwd: "/srv/agent",
    home: "/home/bot",
    env: (name) => env[name],
    readTextFile: (path) => {
      const text = files[path];
      return text === undefined
        ? Promise.reject(new Deno.errors.NotFound(`No such file: ${path}`))
        : Promise.resolve(text);
    },
  };
}

/** Loads `toml` as /srv/agent/config/agent.toml alongside the fixture's files. */
export function loadToml(toml: string, fixture: Fixture = {}): Promise<LoadedConfig> {
  const files = { ...fixture.files, "/srv/agent/config/agent.toml": toml };
  return loadConfig("config/agent.toml", fixtureOptions({ ...fixture, files }));
}

/** The message of the error `promise` rejects with. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw error;
  }
  throw new Error("Expected the promise to reject");
}
