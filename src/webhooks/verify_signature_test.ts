import assert from "node:assert/strict";
import { signatureVerifier } from "./verify_signature.ts";
import { signWebhook } from "./sign_webhook.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

// GitHub's documented example ("Validating webhook deliveries": testing the webhook payload
// validation).
const GITHUB = {
  secret: "It's a Secret to Everybody",
  body: "Hello, World!",
  signature: "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
};

// The Standard Webhooks reference libraries' test vector (its "sign function works" case).
const STANDARD = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};

function standardHeaders(overrides: Record<string, string> = {}): Headers {
  return new Headers({
    "webhook-id": STANDARD.id,
    "webhook-timestamp": String(STANDARD.timestamp),
    "webhook-signature": STANDARD.signature,
    ...overrides,
  });
}

const atVector = () => STANDARD.timestamp * 1000;

Deno.test("signatureVerifier() accepts GitHub's documented example and takes X-GitHub-Delivery", async () => {
  const verify = signatureVerifier("github", GITHUB.secret);
  const headers = new Headers({
    "X-Hub-Signature-256": GITHUB.signature,
    "X-GitHub-Delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
  });
  assert.deepEqual(await verify(headers, bytes(GITHUB.body)), {
    ok: true,
    deliveryId: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
  });
});

Deno.test("signatureVerifier() refuses a GitHub delivery whose body, signature or header is wrong", async () => {
  const verify = signatureVerifier("github", GITHUB.secret);
  const signed = new Headers({ "X-Hub-Signature-256": GITHUB.signature });
  assert.deepEqual(await verify(signed, bytes("Hello, World?")), {
    ok: false,
    reason: "X-Hub-Signature-256 does not match",
  });
  const other = signatureVerifier("github", "another secret of some length");
  assert.equal((await other(signed, bytes(GITHUB.body))).ok, false);
  assert.deepEqual(await verify(new Headers(), bytes(GITHUB.body)), {
    ok: false,
    reason: "no X-Hub-Signature-256 header",
  });
  for (const header of [GITHUB.signature.slice(7), "sha1=abcd", "sha256=zz", "sha256=757107"]) {
    const verdict = await verify(
      new Headers({ "X-Hub-Signature-256": header }),
      bytes(GITHUB.body),
    );
    assert.equal(verdict.ok, false, header);
  }
});

Deno.test("signWebhook() computes GitHub's documented signature", async () => {
  const headers = await signWebhook("github", GITHUB.secret, GITHUB.body, { deliveryId: "d-1" });
  assert.deepEqual(headers, {
    "X-Hub-Signature-256": GITHUB.signature,
    "X-GitHub-Delivery": "d-1",
  });
});

Deno.test("signatureVerifier() accepts the Standard Webhooks test vector and takes webhook-id", async () => {
  const verify = signatureVerifier("standard", STANDARD.secret, { now: atVector });
  assert.deepEqual(await verify(standardHeaders(), bytes(STANDARD.body)), {
    ok: true,
    deliveryId: STANDARD.id,
  });
});

Deno.test("signWebhook() computes the Standard Webhooks test vector", async () => {
  const headers = await signWebhook("standard", STANDARD.secret, STANDARD.body, {
    deliveryId: STANDARD.id,
    timestamp: STANDARD.timestamp,
  });
  assert.equal(headers["webhook-signature"], STANDARD.signature);
});

Deno.test("signatureVerifier() takes any matching v1 entry among several signatures", async () => {
  const verify = signatureVerifier("standard", STANDARD.secret, { now: atVector });
  const wrong = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";
  const several = `${wrong} v2,${STANDARD.signature.slice(3)} ${STANDARD.signature} ${wrong}`;
  const headers = standardHeaders({ "webhook-signature": several });
  assert.equal((await verify(headers, bytes(STANDARD.body))).ok, true);
  const none = standardHeaders({
    "webhook-signature": `${wrong} v1a,${STANDARD.signature.slice(3)}`,
  });
  assert.equal((await verify(none, bytes(STANDARD.body))).ok, false);
});

Deno.test("signatureVerifier() keeps the Standard Webhooks timestamp within 5 minutes either way", async () => {
  const body = bytes(STANDARD.body);
  const at = (offsetSecs: number) =>
    signatureVerifier("standard", STANDARD.secret, { now: () => atVector() + offsetSecs * 1000 });
  assert.equal((await at(300)(standardHeaders(), body)).ok, true);
  assert.equal((await at(-300)(standardHeaders(), body)).ok, true);
  assert.deepEqual(await at(301)(standardHeaders(), body), {
    ok: false,
    reason: "webhook-timestamp is 301 s away from now (5 min allowed)",
  });
  assert.equal((await at(-301)(standardHeaders(), body)).ok, false);
});

Deno.test("signatureVerifier() refuses a standard delivery with a tampered part or a missing header", async () => {
  const verify = signatureVerifier("standard", STANDARD.secret, { now: atVector });
  const body = bytes(STANDARD.body);
  assert.equal((await verify(standardHeaders(), bytes('{"test": 2432232315}'))).ok, false);
  // The id and the timestamp are signed too.
  assert.equal((await verify(standardHeaders({ "webhook-id": "msg_other" }), body)).ok, false);
  const later = standardHeaders({ "webhook-timestamp": String(STANDARD.timestamp + 1) });
  assert.equal((await verify(later, body)).ok, false);
  for (const name of ["webhook-id", "webhook-timestamp", "webhook-signature"]) {
    const headers = standardHeaders();
    headers.delete(name);
    assert.deepEqual(await verify(headers, body), {
      ok: false,
      reason: "webhook-id, webhook-timestamp or webhook-signature is missing",
    });
  }
  for (const signature of ["v1,", "v1,dawfeoifkpqwoekfpqoekf", STANDARD.signature.slice(0, 8)]) {
    const verdict = await verify(standardHeaders({ "webhook-signature": signature }), body);
    assert.equal(verdict.ok, false, signature);
  }
  const notSeconds = standardHeaders({ "webhook-timestamp": "hello" });
  assert.deepEqual(await verify(notSeconds, body), {
    ok: false,
    reason: "webhook-timestamp is not Unix seconds",
  });
});

Deno.test("signatureVerifier() refuses a standard secret that is not whsec_ and base64", () => {
  assert.throws(() => signatureVerifier("standard", "whsec_!!!"), {
    name: "TypeError",
    message: 'A "standard" secret must be "whsec_" followed by base64',
  });
});

Deno.test("signatureVerifier() accepts the right bearer token only, with Idempotency-Key as the id", async () => {
  const verify = signatureVerifier("bearer", "token-0123456789abcdef");
  const body = bytes("{}");
  const headers = new Headers({
    Authorization: "Bearer token-0123456789abcdef",
    "Idempotency-Key": "k-1",
  });
  assert.deepEqual(await verify(headers, body), { ok: true, deliveryId: "k-1" });
  const lower = new Headers({ Authorization: "bearer token-0123456789abcdef" });
  assert.deepEqual(await verify(lower, body), { ok: true, deliveryId: null });
  for (const value of ["Bearer token-0123456789abcdeF", "Bearer token", "Basic dG9rZW4=", ""]) {
    const verdict = await verify(new Headers({ Authorization: value }), body);
    assert.equal(verdict.ok, false, value);
  }
  assert.equal((await verify(new Headers(), body)).ok, false);
});

Deno.test("signatureVerifier() drops a delivery id it could not log or store safely", async () => {
  const verify = signatureVerifier("bearer", "token-0123456789abcdef");
  const headers = (key: string) =>
    new Headers({ Authorization: "Bearer token-0123456789abcdef", "Idempotency-Key": key });
  assert.deepEqual(await verify(headers("a b"), bytes("")), { ok: true, deliveryId: null });
  assert.deepEqual(await verify(headers("x".repeat(201)), bytes("")), {
    ok: true,
    deliveryId: null,
  });
});
