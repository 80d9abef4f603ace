import {
  assertEquals,
  assertExcludes,
  assertRejects,
  assertTrue,
} from "../../tests/support/assert.ts";
import { FAKE_ERROR_MARKER, startFakeLlm } from "../../tests/support/fake_llm.ts";
import { createEmbedder, EmbedderError } from "./embedder.ts";

Deno.test("createEmbedder() gets one vector per text from Ollama and OpenAI-compatible servers", async () => {
  await using fake = await startFakeLlm({ embedding_dimensions: 8, api_key: "sk-1" });
  const texts = Array.from({ length: 5 }, (_, i) => `text ${i}`);
  const ollama = createEmbedder({
    provider: "ollama",
    model: "nomic",
    host: fake.url,
    apiKey: "sk-1",
    batch: 2,
  });
  const openai = createEmbedder({
    provider: "openai",
    model: "nomic",
    host: `${fake.url}/v1/`,
    apiKey: "sk-1",
  });
  const a = await ollama.embed(texts);
  const b = await openai.embed(texts);
  assertEquals(a.length, 5);
  assertEquals(a.map((v) => [...v]), b.map((v) => [...v]));
  assertTrue(a.every((vector) => vector instanceof Float32Array && vector.length === 8));
  assertEquals(fake.requests.map((r) => r.path), [
    "/api/embed",
    "/api/embed",
    "/api/embed",
    "/v1/embeddings",
  ]);
  assertEquals(fake.requests[0]!.headers.authorization, "Bearer sk-1");
  assertEquals(fake.requests[3]!.body, { model: "nomic", input: texts, encoding_format: "float" });
});

Deno.test("createEmbedder() reports a refusal with its status, never the provider's answer", async () => {
  await using fake = await startFakeLlm({ api_key: "right" });
  const embedder = createEmbedder({
    provider: "openai",
    model: "m",
    host: fake.url,
    apiKey: "wrong",
  });
  const error = await assertRejects(() => embedder.embed(["x"]), EmbedderError, "HTTP 401");
  assertEquals((error as EmbedderError).status, 401);
  assertExcludes(error.message, FAKE_ERROR_MARKER);
  fake.failNext(503, 1);
  const down = createEmbedder({ provider: "ollama", model: "m", host: fake.url, apiKey: "right" });
  const failed = await assertRejects(() => down.embed(["x"]), EmbedderError, "HTTP 503");
  assertExcludes(failed.message, FAKE_ERROR_MARKER);
});

Deno.test("createEmbedder() refuses an answer that is not embeddings, and an unreachable host", async () => {
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    () => Response.json({ embeddings: [[1, 2], [3]] }),
  );
  try {
    const embedder = createEmbedder({
      provider: "ollama",
      model: "m",
      host: `http://127.0.0.1:${server.addr.port}`,
    });
    await assertRejects(() => embedder.embed(["a", "b"]), EmbedderError, "not embeddings");
  } finally {
    await server.shutdown();
  }
  const closed = createEmbedder({ provider: "ollama", model: "m", host: "http://127.0.0.1:9" });
  await assertRejects(() => closed.embed(["a"]), EmbedderError, "could not be reached");
});
