import assert from "node:assert/strict";
import { type FakeLlmOptions, startFakeLlm } from "../../tests/support/fake_llm.ts";
import { checkAtStart } from "./check_at_start.ts";
import { createLlmClient } from "./create_llm_client.ts";
import type { LlmSettings } from "./create_llm_client.ts";
import type { ModelRouterSettings } from "./model_router.ts";

function client(provider: LlmSettings["provider"], host: string, api_key = "key-1") {
  return createLlmClient({
    provider,
    model: "test-model",
    api_key,
    // OpenAI's base URL carries its version path.
    host: provider === "openai" ? `${host}/v1` : host,
    max_tokens_per_request: 256,
    timeout_secs: 10,
    max_retries: 2,
  });
}

function recordingLog() {
  const lines: string[] = [];
  return {
    lines,
    info: (line: string) => lines.push(`info ${line}`),
    warn: (line: string) => lines.push(`warn ${line}`),
    error: (line: string) => lines.push(`error ${line}`),
  };
}

async function check(provider: LlmSettings["provider"], options: FakeLlmOptions, key?: string) {
  await using fake = await startFakeLlm(options);
  const log = recordingLog();
  const fatal = await checkAtStart(client(provider, fake.url, key), log);
  return { fatal, lines: log.lines, requests: fake.requests.map((r) => `${r.method} ${r.path}`) };
}

/** The provider's error code in a message, as each fake API sends it. */
const CODES = {
  anthropic: { 401: ", authentication_error", 404: ", not_found_error" },
  ollama: { 401: "", 404: "" },
  openai: { 401: ", invalid_api_key", 404: ", model_not_found" },
} as const;

const LOOK_UPS = {
  anthropic: "GET /v1/models/test-model",
  ollama: "POST /api/show",
  openai: "GET /v1/models/test-model",
} as const;

for (const provider of ["anthropic", "ollama", "openai"] as const) {
  const test = (name: string, fn: () => Promise<void>) => Deno.test(`${provider}: ${name}`, fn);

  test("checkAtStart() accepts a known model and a good key with one request and no tokens", async () => {
    const { fatal, lines, requests } = await check(provider, {
      api_key: "key-1",
      models: ["test-model"],
    });
    assert.equal(fatal, undefined);
    assert.deepEqual(lines, [
      `info LLM ${provider}/test-model checked: credentials accepted, model available`,
    ]);
    assert.deepEqual(requests, [LOOK_UPS[provider]]);
  });

  test("checkAtStart() stops the start on a wrong key, with the provider's reason", async () => {
    const { fatal, lines } = await check(provider, { api_key: "key-2" }, "key-1");
    const code = CODES[provider][401];
    assert.equal(fatal, `LLM provider "${provider}" rejected the credentials (HTTP 401${code})`);
    assert.deepEqual(lines, [`error LLM ${provider}/test-model cannot be used: ${fatal}`]);
    assert.doesNotMatch(lines.join("\n"), /key-[12]/);
  });

  test("checkAtStart() stops the start on an unknown model, naming it", async () => {
    const { fatal, lines } = await check(provider, { models: ["other-model"] });
    const code = CODES[provider][404];
    assert.equal(
      fatal,
      `LLM provider "${provider}" does not know the model "test-model" (HTTP 404${code})`,
    );
    assert.match(lines[0] ?? "", /^error /);
  });

  test("checkAtStart() lets the agent start when the provider fails or is down", async () => {
    await using fake = await startFakeLlm();
    fake.failNext(500, 5);
    const log = recordingLog();
    assert.equal(await checkAtStart(client(provider, fake.url), log), undefined);
    assert.match(log.lines[0] ?? "", /^warn .*could not be checked \(server: .*HTTP 500/);
    assert.equal(fake.request_count, 1, "no retry: the start is not held up");
    await fake.close();
    const down = recordingLog();
    assert.equal(await checkAtStart(client(provider, fake.url), down), undefined);
    assert.match(down.lines[0] ?? "", /^warn .*could not be checked \(network: /);
  });

  test("check() falls back to a one-token chat on a server without the models endpoint", async () => {
    await using fake = await startFakeLlm();
    const lookUp = provider === "ollama" ? "/api/show" : "/v1/models/";
    // A compatible proxy that forwards everything but the model look-up.
    await using proxy = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
      const url = new URL(req.url);
      if (url.pathname.startsWith(lookUp)) return new Response("Not Found", { status: 404 });
      return fetch(`${fake.url}${url.pathname}`, {
        method: req.method,
        headers: req.headers,
        body: req.body,
      });
    });
    await client(provider, `http://127.0.0.1:${proxy.addr.port}`).check();
    const chat = fake.requests.at(-1)?.body as Record<string, unknown>;
    assert.equal(fake.chat_count, 1);
    const cap = provider === "ollama"
      ? (chat.options as { num_predict?: number }).num_predict
      : chat.max_tokens;
    assert.equal(cap, 1);
  });
}

Deno.test("check() gives up after its time limit when the provider never answers", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) held.push(conn);
  })();
  try {
    const silent = client("anthropic", `http://127.0.0.1:${listener.addr.port}`);
    await assert.rejects(silent.check({ timeout_ms: 100 }), { kind: "timeout" });
  } finally {
    listener.close();
    for (const conn of held) conn.close();
    await accepting.catch(() => {});
  }
});

function router(url: string, overrides: Partial<ModelRouterSettings> = {}) {
  return createLlmClient({
    provider: "anthropic",
    model: "good",
    host: url,
    api_key: "key-1",
    default: "anthropic:good",
    fallback: ["openai:missing"],
    tiers: { light: "ollama:good" },
    providers: {
      anthropic: { api_key: "key-1", host: url },
      ollama: { host: url },
      openai: { host: `${url}/v1` },
    },
    max_tokens_per_request: 256,
    timeout_secs: 10,
    max_retries: 0,
    ...overrides,
  });
}

Deno.test("checkAtStart() checks every model; a refused fallback does not stop the start", async () => {
  await using fake = await startFakeLlm({ models: ["good"] });
  const log = recordingLog();
  assert.equal(await checkAtStart(router(fake.url), log), undefined);
  assert.deepEqual(log.lines, [
    "info LLM anthropic/good (default) checked: credentials accepted, model available",
    "info LLM ollama/good (light) checked: credentials accepted, model available",
    'error LLM openai/missing (fallback) cannot be used: LLM provider "openai" does not know ' +
    'the model "missing" (HTTP 404, model_not_found)',
    "error LLM openai:missing stays in the fallback chain but will fail until this is fixed",
  ]);
});

Deno.test("checkAtStart() stops the start when a tier's model is refused", async () => {
  await using fake = await startFakeLlm({ models: ["good"] });
  const log = recordingLog();
  const fatal = await checkAtStart(
    router(fake.url, { tiers: { light: "ollama:gone" }, fallback: [] }),
    log,
  );
  assert.equal(fatal, 'LLM provider "ollama" does not know the model "gone" (HTTP 404)');
  assert.deepEqual(log.lines.map((line) => line.split(" ").slice(0, 3).join(" ")), [
    "info LLM anthropic/good",
    "error LLM ollama/gone",
  ]);
});

Deno.test("checkAtStart() logs a router of one model as it does one client", async () => {
  await using fake = await startFakeLlm({ models: ["good"] });
  const log = recordingLog();
  await checkAtStart(router(fake.url, { tiers: {}, fallback: [] }), log);
  assert.deepEqual(log.lines, [
    "info LLM anthropic/good checked: credentials accepted, model available",
  ]);
});
