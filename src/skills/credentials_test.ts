import assert from "node:assert/strict";
import { join } from "node:path";
import { credentialEnvName, resolveCredential, storeCredential } from "./credentials.ts";

Deno.test("resolveCredential() takes the first source in order and no .env overrides the environment", async () => {
  const files: Record<string, string> = {
    "/home/u/.fluux-agent/credentials/web_search/tavily-api-key": "from-file\n",
  };
  const sources = {
    env: (name: string) => (name === "TAVILY_API_KEY" ? "from-env" : undefined),
    config: { "tavily-api-key": "from-config" },
    dotenv: { TAVILY_API_KEY: "from-dotenv" },
    homeDotenv: { TAVILY_API_KEY: "from-home-dotenv" },
    home: "/home/u",
    readFile: (path: string) =>
      path in files ? Promise.resolve(files[path]!) : Promise.reject(new Deno.errors.NotFound()),
  };
  const resolve = (overrides: object) =>
    resolveCredential("tavily-api-key", "web_search", { ...sources, ...overrides });
  assert.deepEqual(await resolve({}), { value: "from-env", origin: "environment" });
  const noEnv = { env: () => undefined };
  assert.deepEqual(await resolve(noEnv), { value: "from-config", origin: "config" });
  assert.deepEqual(await resolve({ ...noEnv, config: {} }), {
    value: "from-dotenv",
    origin: ".env",
  });
  assert.deepEqual(await resolve({ ...noEnv, config: {}, dotenv: {} }), {
    value: "from-home-dotenv",
    origin: "home .env",
  });
  assert.deepEqual(await resolve({ ...noEnv, config: {}, dotenv: {}, homeDotenv: {} }), {
    value: "from-file",
    origin: "credentials file",
  });
  assert.equal(
    await resolve({ ...noEnv, config: {}, dotenv: {}, homeDotenv: {}, home: "/elsewhere" }),
    undefined,
  );
});

Deno.test("credentialEnvName() maps a credential to its variable", () => {
  assert.equal(credentialEnvName("perplexity-api-key"), "PERPLEXITY_API_KEY");
});

Deno.test("storeCredential() writes a file only its owner can read, found again by resolveCredential()", async () => {
  const home = await Deno.makeTempDir();
  try {
    const path = await storeCredential("web_search", { name: "tavily-api-key", value: "tvly-1" }, {
      home,
    });
    assert.equal(path, join(home, ".fluux-agent", "credentials", "web_search", "tavily-api-key"));
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    assert.equal(
      (await Deno.stat(join(home, ".fluux-agent", "credentials", "web_search"))).mode! & 0o777,
      0o700,
    );
    assert.deepEqual(
      await resolveCredential("tavily-api-key", "web_search", { env: () => undefined, home }),
      {
        value: "tvly-1",
        origin: "credentials file",
      },
    );
    await assert.rejects(
      storeCredential("../x", { name: "k", value: "v" }, { home }),
      TypeError,
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
