import assert from "node:assert/strict";
import { errorFromFailure, errorFromStatus, parseRetryAfter } from "./_errors.ts";

Deno.test("errorFromStatus() maps statuses to kinds and retryability", () => {
  const seen = [400, 401, 403, 404, 408, 429, 500, 502, 503, 529].map((status) => {
    const error = errorFromStatus("anthropic", status);
    return [status, error.kind, error.retryable];
  });
  assert.deepEqual(seen, [
    [400, "bad_request", false],
    [401, "auth", false],
    [403, "auth", false],
    [404, "not_found", false],
    [408, "timeout", false],
    [429, "rate_limit", true],
    [500, "server", true],
    [502, "server", true],
    [503, "overloaded", true],
    [529, "overloaded", true],
  ]);
});

Deno.test("errorFromStatus() names the model and a provider code, never other body text", () => {
  const unknown = errorFromStatus("anthropic", 404, { model: "claude-x", code: "not_found_error" });
  assert.equal(
    unknown.message,
    'LLM provider "anthropic" does not know the model "claude-x" (HTTP 404, not_found_error)',
  );
  const odd = errorFromStatus("anthropic", 401, { code: "key sk-123 is invalid" });
  assert.equal(odd.message, 'LLM provider "anthropic" rejected the credentials (HTTP 401)');
});

Deno.test("errorFromStatus() keeps the retry-after the server asked for", () => {
  const headers = new Headers({ "retry-after": "3" });
  assert.equal(errorFromStatus("ollama", 429, { headers }).retry_after_ms, 3000);
});

Deno.test("parseRetryAfter() reads seconds, an HTTP date and retry-after-ms", () => {
  const now = Date.parse("2025-01-01T00:00:00Z");
  const date = new Headers({ "retry-after": "Wed, 01 Jan 2025 00:00:05 GMT" });
  assert.equal(parseRetryAfter(date, now), 5000);
  assert.equal(parseRetryAfter(new Headers({ "retry-after": "1.5" })), 1500);
  assert.equal(parseRetryAfter(new Headers({ "retry-after-ms": "250" })), 250);
  assert.equal(parseRetryAfter(new Headers({ "retry-after": "soon" })), undefined);
  assert.equal(parseRetryAfter(undefined), undefined);
});

Deno.test("errorFromFailure() tells a denied permission from an unreachable host", () => {
  const denied = new Error("Requires net access", {
    cause: Object.assign(new Error('Requires net access to "x:1"'), { name: "NotCapable" }),
  });
  const refused = new TypeError("Connection refused");
  const host = "https://user:secret@llm.example:8443/v1";
  const permission = errorFromFailure("ollama", host, denied);
  const network = errorFromFailure("ollama", host, refused);
  assert.deepEqual([permission.kind, network.kind], ["permission", "network"]);
  assert.match(network.message, /"https:\/\/llm\.example:8443"/);
  assert.doesNotMatch(network.message + permission.message, /secret/);
});
