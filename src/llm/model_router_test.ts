import assert from "node:assert/strict";
import { LlmError, type LlmErrorKind } from "./llm_error.ts";
import { createModelRouter, type ModelRouterSettings } from "./model_router.ts";
import type { LlmSettings } from "./_single_client.ts";
import type { ChatRequest, ChatResponse, LlmClient } from "./types.ts";
import { UsageMeter } from "./usage.ts";

/** A model that answers with its own name, or fails as told. */
class ScriptedModel implements LlmClient {
  readonly provider: string;
  readonly model: string;
  readonly settings: LlmSettings;
  calls = 0;
  failures: LlmErrorKind[] = [];
  /** Its failures come after part of a streamed answer was handed on. */
  cutOff = false;
  constructor(settings: LlmSettings) {
    this.settings = settings;
    this.provider = settings.provider;
    this.model = settings.model;
  }
  check(): Promise<void> {
    return Promise.resolve();
  }
  chat(request: ChatRequest): Promise<ChatResponse> {
    this.calls++;
    request.signal?.throwIfAborted();
    const kind = this.failures.shift();
    if (kind !== undefined) {
      const cut_off = this.cutOff;
      return Promise.reject(new LlmError(`${this.model} failed (${kind})`, { kind, cut_off }));
    }
    return Promise.resolve({
      content: [{ type: "text", text: `from ${this.model}` }],
      text: `from ${this.model}`,
      stop_reason: "end_turn",
      usage: { input_tokens: 3, output_tokens: 2 },
      model: this.model,
    });
  }
}

const SETTINGS: ModelRouterSettings = {
  default: "anthropic:sonnet",
  fallback: ["ollama:llama3.1:8b", "openai:backup"],
  tiers: { heavy: "anthropic:opus", light: "ollama:llama3.1:8b" },
  providers: {
    anthropic: { api_key: "k", host: "https://anthropic.example" },
    openai: { host: "http://127.0.0.1:9/v1" },
  },
  max_tokens_per_request: 100,
  timeout_secs: 5,
  max_retries: 0,
  fallback_cooldown_secs: 60,
};

function setup(settings: Partial<ModelRouterSettings> = {}) {
  const models = new Map<string, ScriptedModel>();
  const lines: string[] = [];
  const usage = new UsageMeter();
  let clock = 1_000_000;
  const router = createModelRouter({ ...SETTINGS, ...settings }, {
    usage,
    now: () => clock,
    log: { info: (line) => lines.push(`info ${line}`), warn: (line) => lines.push(`warn ${line}`) },
    createClient: (single) => {
      const model = new ScriptedModel(single);
      models.set(`${single.provider}:${single.model}`, model);
      return model;
    },
  });
  const model = (id: string) => models.get(id)!;
  const ask = async (tier?: string) =>
    (await router.chat({ system: "", messages: [{ role: "user", content: "hi" }] }, { tier }))
      .text;
  return { router, model, lines, usage, ask, advance: (ms: number) => (clock += ms) };
}

Deno.test("createModelRouter() builds one client per model, with its provider's settings", () => {
  const { router, model } = setup();
  assert.deepEqual(router.models().map((m) => [m.id, m.roles]), [
    ["anthropic:sonnet", ["default"]],
    ["anthropic:opus", ["heavy"]],
    ["ollama:llama3.1:8b", ["light", "fallback"]],
    ["openai:backup", ["fallback"]],
  ]);
  assert.deepEqual([router.provider, router.model], ["anthropic", "sonnet"]);
  const llama = model("ollama:llama3.1:8b").settings;
  assert.deepEqual([llama.model, llama.host, llama.api_key], [
    "llama3.1:8b",
    "http://localhost:11434",
    undefined,
  ]);
  assert.equal(model("anthropic:opus").settings.host, "https://anthropic.example");
  assert.equal(model("openai:backup").settings.host, "http://127.0.0.1:9/v1");
});

Deno.test("route() resolves a tier: its own model, else standard's, else the default", () => {
  const { router } = setup({ tiers: { light: "ollama:llama3.1:8b" } });
  assert.deepEqual(router.route("light"), {
    tier: "light",
    model: "ollama:llama3.1:8b",
    configured: true,
    chain: ["ollama:llama3.1:8b", "openai:backup"],
  });
  assert.deepEqual(router.route("vision"), {
    tier: "vision",
    model: "anthropic:sonnet",
    configured: false,
    chain: ["anthropic:sonnet", "ollama:llama3.1:8b", "openai:backup"],
  });
  assert.equal(router.route("fast").tier, "standard", "a skill's unknown tier is standard");
  assert.equal(router.route().model, "anthropic:sonnet");
  const standard = setup({ tiers: { standard: "anthropic:sonnet" } }).router;
  assert.deepEqual(standard.routes().map((r) => [r.tier, r.model, r.configured]), [
    ["heavy", "anthropic:sonnet", false],
    ["standard", "anthropic:sonnet", true],
    ["light", "anthropic:sonnet", false],
    ["vision", "anthropic:sonnet", false],
  ]);
});

Deno.test("chat() asks the model of the tier the call names", async () => {
  const { ask, model, router } = setup();
  assert.equal(await ask("light"), "from llama3.1:8b");
  assert.equal(await ask("heavy"), "from opus");
  assert.equal(await ask(), "from sonnet");
  assert.equal(await ask("vision"), "from sonnet");
  assert.equal(model("anthropic:sonnet").calls, 2);
  assert.deepEqual(router.lastAnswer(), { model: "anthropic:sonnet", tier: "vision" });
});

for (const kind of ["network", "server", "overloaded", "timeout", "rate_limit"] as const) {
  Deno.test(`chat() falls back to the next model after a ${kind} failure, and says so`, async () => {
    const { ask, model, lines, router, usage } = setup();
    model("anthropic:sonnet").failures = [kind];
    assert.equal(await ask(), "from llama3.1:8b");
    assert.deepEqual(lines, [
      `warn LLM anthropic:sonnet failed (${kind}: sonnet failed (${kind})); ` +
      "trying ollama:llama3.1:8b",
    ]);
    const answer = {
      model: "ollama:llama3.1:8b",
      tier: "standard",
      instead_of: "anthropic:sonnet",
    };
    assert.deepEqual(router.lastAnswer(), answer);
    assert.deepEqual(usage.totals(), {
      calls: 1,
      failed_calls: 0,
      input_tokens: 3,
      output_tokens: 2,
      last_answer: answer,
    });
  });
}

for (const kind of ["auth", "bad_request", "not_found", "permission"] as const) {
  Deno.test(`chat() never falls back on a ${kind} failure: it is a configuration error`, async () => {
    const { ask, model, lines, usage } = setup();
    model("anthropic:sonnet").failures = [kind];
    await assert.rejects(ask(), { name: "LlmError", kind });
    assert.equal(model("ollama:llama3.1:8b").calls, 0);
    assert.deepEqual(lines, []);
    assert.equal(usage.totals().failed_calls, 1);
  });
}

Deno.test("chat() goes down the whole chain and throws the last failure", async () => {
  const { ask, model, lines, usage } = setup();
  model("anthropic:sonnet").failures = ["network"];
  model("ollama:llama3.1:8b").failures = ["timeout"];
  model("openai:backup").failures = ["server"];
  await assert.rejects(ask(), { kind: "server", message: "backup failed (server)" });
  assert.equal(lines.length, 3);
  assert.match(lines[1]!, /ollama:llama3\.1:8b failed \(timeout: .*\); trying openai:backup$/);
  assert.match(lines[2]!, /openai:backup failed .*; no other model to try$/);
  assert.deepEqual([usage.totals().calls, usage.totals().failed_calls], [0, 1]);
});

Deno.test("chat() stops at a fallback's configuration error", async () => {
  const { ask, model } = setup();
  model("anthropic:sonnet").failures = ["overloaded"];
  model("ollama:llama3.1:8b").failures = ["auth"];
  await assert.rejects(ask(), { kind: "auth" });
  assert.equal(model("openai:backup").calls, 0);
});

Deno.test("chat() tries a failed model last until its cool-down ends, then first again", async () => {
  const { ask, model, lines, advance } = setup();
  const sonnet = model("anthropic:sonnet");
  sonnet.failures = ["network"];
  assert.equal(await ask(), "from llama3.1:8b");
  advance(59_000);
  assert.equal(await ask(), "from llama3.1:8b", "within the cool-down the fallback goes first");
  assert.equal(sonnet.calls, 1);
  advance(1_000);
  assert.equal(await ask(), "from sonnet");
  assert.equal(sonnet.calls, 2);
  assert.equal(lines.at(-1), "info LLM anthropic:sonnet answers again");
});

Deno.test("chat() still tries a model in its cool-down when the others fail too", async () => {
  const { ask, model, advance } = setup();
  model("anthropic:sonnet").failures = ["network"];
  await ask();
  advance(1_000);
  model("ollama:llama3.1:8b").failures = ["network"];
  model("openai:backup").failures = ["network"];
  assert.equal(await ask(), "from sonnet");
  assert.equal(model("anthropic:sonnet").calls, 2);
});

Deno.test("chat() with no cool-down tries the tier's model first on every call", async () => {
  const { ask, model } = setup({ fallback_cooldown_secs: 0 });
  model("anthropic:sonnet").failures = ["network"];
  await ask();
  assert.equal(await ask(), "from sonnet");
});

Deno.test("chat() does not fall back when the caller aborts", async () => {
  const { router, model } = setup();
  const controller = new AbortController();
  const reason = new DOMException("Conversation closed", "AbortError");
  controller.abort(reason);
  const request = { system: "", messages: [], signal: controller.signal };
  await assert.rejects(router.chat(request), (error) => error === reason);
  assert.equal(model("ollama:llama3.1:8b").calls, 0);
});

Deno.test("chat() lists a fallback that is also the tier's model once in its chain", async () => {
  const { router, ask, model } = setup();
  assert.deepEqual(router.route("light").chain, ["ollama:llama3.1:8b", "openai:backup"]);
  model("ollama:llama3.1:8b").failures = ["network"];
  assert.equal(await ask("light"), "from backup");
  assert.equal(model("ollama:llama3.1:8b").calls, 1);
});

Deno.test("chat() with a named agent's model asks that model first, then the fallback chain", async () => {
  const { router, model } = setup({
    agents: { researcher: { model: "openai:gpt-x" }, summarizer: { model: "light" } },
  });
  assert.deepEqual(
    router.models().map((entry) => [entry.id, entry.roles]).filter(([id]) => id === "openai:gpt-x"),
    [["openai:gpt-x", ["agent researcher"]]],
    "an agent's model id gets a client; a tier name needs none",
  );
  const answer = await router.chat({ system: "", messages: [] }, { model: "openai:gpt-x" });
  assert.equal(answer.model_id, "openai:gpt-x");
  assert.deepEqual(router.route("standard", "openai:gpt-x").chain, [
    "openai:gpt-x",
    "ollama:llama3.1:8b",
    "openai:backup",
  ]);
  model("openai:gpt-x").failures.push("server");
  const fallback = await router.chat({ system: "", messages: [] }, { model: "openai:gpt-x" });
  assert.equal(fallback.model_id, "ollama:llama3.1:8b");
  await assert.rejects(
    router.chat({ system: "", messages: [] }, { model: "openai:unknown" }),
    /Model "openai:unknown" is not configured/,
  );
});

Deno.test("createModelRouter() does not fall back when a streamed answer broke off midway", async () => {
  const { model, ask, usage } = setup();
  model("anthropic:sonnet").failures = ["network"];
  model("anthropic:sonnet").cutOff = true;
  const error = await ask().then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof LlmError && error.cut_off, `the cut-off failure, got ${error}`);
  assert.equal(model("ollama:llama3.1:8b").calls, 0, "no other model asked to resume it");
  assert.equal(usage.totals().failed_calls, 1);
});
