/**
 * The three ways a route's sender proves it holds the route's secret:
 *
 * - `github`: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, raw body)>`, the delivery
 *   id in `X-GitHub-Delivery` (GitHub's "Validating webhook deliveries").
 * - `standard`: the Standard Webhooks specification (standardwebhooks.com): `webhook-id`,
 *   `webhook-timestamp` (Unix seconds, within 5 minutes of now) and
 *   `webhook-signature: v1,<base64 HMAC-SHA256(key, "id.timestamp.body")>` (several
 *   space-separated signatures may be sent, any one may match), with a secret
 *   `whsec_<base64 key>`.
 * - `bearer`: `Authorization: Bearer <secret>`, the delivery id in `Idempotency-Key` when
 *   sent.
 *
 * Every comparison takes the same time whatever the bytes (see `timingSafeEqual`).
 *
 * @module
 */
import type { SIGNATURE_SCHEMES } from "../config/mod.ts";
import {
  fromBase64,
  fromHex,
  hmac,
  hmacKey,
  sha256,
  standardKey,
  standardSignedContent,
  utf8,
} from "./_crypto.ts";
import { timingSafeEqual } from "./timing_safe_equal.ts";

/** A signature scheme: `github`, `standard` or `bearer`. */
export type SignatureScheme = (typeof SIGNATURE_SCHEMES)[number];

/** How far a Standard Webhooks timestamp may be from now, either way, in seconds. */
export const STANDARD_TOLERANCE_SECS = 5 * 60;

/** The outcome of a check: the sender's delivery id, or why the request is refused. */
export type SignatureVerdict =
  | { ok: true; deliveryId: string | null }
  | { ok: false; reason: string };

/** Checks one request's headers and raw body. */
export type SignatureVerifier = (headers: Headers, body: Uint8Array) => Promise<SignatureVerdict>;

/** Options for {@linkcode signatureVerifier}. */
export interface SignatureVerifierOptions {
  /**
   * The clock, in milliseconds since the epoch (the `standard` timestamp window).
   * @default {Date.now}
   */
  now?: () => number;
}

/**
 * Builds the check of one route's scheme and secret. The key is imported once.
 *
 * @param scheme The route's `signature`.
 * @param secret The route's `secret` (`whsec_…` for `standard`).
 * @returns A function that resolves to the verdict; it never rejects for a bad request.
 * @throws {TypeError} When a `standard` secret is not `whsec_` and base64.
 * @example
 * ```ts
 * const verify = signatureVerifier("github", "It's a Secret to Everybody");
 * const verdict = await verify(request.headers, new Uint8Array(await request.arrayBuffer()));
 * ```
 */
export function signatureVerifier(
  scheme: SignatureScheme,
  secret: string,
  options: SignatureVerifierOptions = {},
): SignatureVerifier {
  const now = options.now ?? Date.now;
  switch (scheme) {
    case "github":
      return githubVerifier(hmacKey(utf8(secret)));
    case "standard":
      return standardVerifier(hmacKey(standardKey(secret)), now);
    case "bearer":
      return bearerVerifier(sha256(utf8(secret)));
  }
}

function githubVerifier(key: Promise<CryptoKey>): SignatureVerifier {
  return async function verifyGithub(headers, body) {
    const header = headers.get("x-hub-signature-256");
    if (header === null) return refuse("no X-Hub-Signature-256 header");
    const given = header.startsWith("sha256=") ? fromHex(header.slice(7)) : undefined;
    if (given === undefined) return refuse('X-Hub-Signature-256 is not "sha256=<hex>"');
    const expected = await hmac(await key, copy(body));
    if (!timingSafeEqual(given, expected)) return refuse("X-Hub-Signature-256 does not match");
    return { ok: true, deliveryId: deliveryId(headers.get("x-github-delivery")) };
  };
}

function standardVerifier(key: Promise<CryptoKey>, now: () => number): SignatureVerifier {
  return async function verifyStandard(headers, body) {
    const id = headers.get("webhook-id");
    const timestamp = headers.get("webhook-timestamp");
    const signatures = headers.get("webhook-signature");
    if (id === null || timestamp === null || signatures === null) {
      return refuse("webhook-id, webhook-timestamp or webhook-signature is missing");
    }
    if (!/^[0-9]{1,12}$/.test(timestamp)) return refuse("webhook-timestamp is not Unix seconds");
    const skew = Math.abs(now() / 1000 - Number(timestamp));
    if (skew > STANDARD_TOLERANCE_SECS) {
      return refuse(`webhook-timestamp is ${Math.round(skew)} s away from now (5 min allowed)`);
    }
    const expected = await hmac(await key, standardSignedContent(id, timestamp, body));
    let matched = false;
    for (const entry of signatures.split(" ")) {
      if (!entry.startsWith("v1,")) continue; // Other versions (v1a: asymmetric) are not ours.
      const given = fromBase64(entry.slice(3));
      // Every entry is compared, so the time does not say which one matched.
      if (given !== undefined && timingSafeEqual(given, expected)) matched = true;
    }
    if (!matched) return refuse("no v1 signature in webhook-signature matches");
    return { ok: true, deliveryId: deliveryId(id) };
  };
}

function bearerVerifier(expected: Promise<Uint8Array>): SignatureVerifier {
  return async function verifyBearer(headers) {
    const header = headers.get("authorization");
    const match = header === null ? null : /^Bearer +(\S+) *$/i.exec(header);
    if (match === null) return refuse("no Authorization: Bearer header");
    // Digests of equal length: the comparison says nothing about the token's length either.
    const given = await sha256(utf8(match[1]!));
    if (!timingSafeEqual(given, await expected)) return refuse("the bearer token does not match");
    return { ok: true, deliveryId: deliveryId(headers.get("idempotency-key")) };
  };
}

function refuse(reason: string): SignatureVerdict {
  return { ok: false, reason };
}

/** A sender's delivery id is kept when it is 1–200 visible ASCII characters. */
function deliveryId(value: string | null): string | null {
  return value !== null && /^[\x21-\x7e]{1,200}$/.test(value) ? value : null;
}

/** WebCrypto wants a buffer it may read whole: a view into a larger one is copied. */
function copy(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}
