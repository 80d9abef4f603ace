import assert from "node:assert/strict";
import { startFakeLlm } from "../../../tests/support/fake_llm.ts";
import { createLlmClient } from "../create_llm_client.ts";
import { LlmError } from "../llm_error.ts";
import { describeShape } from "./_checked_answers.ts";

const MARKER = "proxy-token-7c1f9e";
const PAGE = `<!DOCTYPE html><html><body><p>Session ${MARKER} expired</p></body></html>`;

async function failureOf(
  provider: "anthropic" | "ollama",
  reply: { status: number; body: string; headers?: Record<string, string> },
) {
  await using fake = await startFakeLlm({ handler: () => reply });
  const client = createLlmClient({
    provider,
    model: "m",
    api_key: "k",
    host: fake.url,
    max_tokens_per_request: 16,
    timeout_secs: 5,
    max_retries: 0,
  });
  const error = await client.chat({ system: "", messages: [{ role: "user", content: "hi" }] })
    .then(() => undefined, (e) => e);
  assert.ok(error instanceof LlmError, `an LlmError, got ${error}`);
  return error;
}

for (const provider of ["anthropic", "ollama"] as const) {
  Deno.test(`${provider}: an HTML page instead of the API says what came, none of its text`, async () => {
    const html = { "content-type": "text/html; charset=utf-8" };
    const ok = await failureOf(provider, { status: 200, body: PAGE, headers: html });
    assert.equal(
      ok.message,
      `LLM provider "${provider}" answered HTTP 200 with something that is not its API's ` +
        `answer (text/html, ${PAGE.length} bytes)`,
    );
    assert.deepEqual([ok.kind, ok.status, ok.retryable], ["server", 200, true]);
    // Claimed JSON, HTML inside: the SDK's own parse error would quote the start of the body.
    const json = { "content-type": "application/json" };
    const lying = await failureOf(provider, { status: 200, body: PAGE, headers: json });
    assert.match(lying.message, /\(application\/json, \d+ bytes\)$/);
    const gateway = await failureOf(provider, { status: 502, body: PAGE, headers: html });
    assert.equal(
      gateway.message,
      `LLM provider "${provider}" failed with a server error (HTTP 502, not the API's JSON: ` +
        `text/html, ${PAGE.length} bytes)`,
    );
    for (const error of [ok, lying, gateway]) {
      let text = "";
      for (let e: unknown = error; e instanceof Error; e = e.cause) text += `${e.stack}\n`;
      assert.ok(!text.includes(MARKER), `the body is in the error or its causes:\n${text}`);
    }
  });

  Deno.test(`${provider}: JSON that is not the API's answer is a clear error`, async () => {
    const error = await failureOf(provider, { status: 200, body: '{"hello":"world"}' });
    assert.match(error.message, /answered HTTP 200 with something that is not its API's answer/);
  });
}

Deno.test("describeShape() shows a plain media type and the length, nothing else", () => {
  const shape = (type: string | undefined, bytes: number | undefined) =>
    describeShape(new Headers(type === undefined ? {} : { "content-type": type }), bytes);
  assert.equal(shape("Text/HTML; charset=utf-8", 10), "text/html, 10 bytes");
  assert.equal(shape(undefined, 1), "no content type, 1 byte");
  assert.equal(shape(`text/html token=${MARKER}`, 3), "an unusual content type, 3 bytes");
  assert.equal(shape("text/html", undefined), "text/html, more than 10485760 bytes");
});
