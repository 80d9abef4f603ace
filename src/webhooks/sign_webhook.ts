import {
  hmac,
  hmacKey,
  standardKey,
  standardSignedContent,
  toBase64,
  toHex,
  utf8,
} from "./_crypto.ts";
import type { SignatureScheme } from "./verify_signature.ts";

/** Options for {@linkcode signWebhook}. */
export interface SignWebhookOptions {
  /**
   * The delivery id: `X-GitHub-Delivery`, `webhook-id` or `Idempotency-Key`.
   * @default {crypto.randomUUID()} (none for `bearer`)
   */
  deliveryId?: string;
  /**
   * The `webhook-timestamp` (`standard`), in Unix seconds.
   * @default {the current time}
   */
  timestamp?: number;
}

/**
 * The headers a sender of the given scheme adds to a request: what the listener checks,
 * computed the way GitHub and the Standard Webhooks specification do. For tests, benchmarks
 * and scripts that post to the agent.
 *
 * @param scheme `github`, `standard` or `bearer`.
 * @param secret The route's secret.
 * @param body The raw body, exactly as it will be sent.
 * @returns Header names and values (the `Content-Type` is not included).
 * @throws {TypeError} When a `standard` secret is not `whsec_` and base64.
 * @example
 * ```ts
 * const body = JSON.stringify({ status: "passed" });
 * const headers = await signWebhook("github", secret, body, { deliveryId: "d-1" });
 * await fetch("http://127.0.0.1:8787/hooks/ci", { method: "POST", headers, body });
 * ```
 */
export async function signWebhook(
  scheme: SignatureScheme,
  secret: string,
  body: string | Uint8Array,
  options: SignWebhookOptions = {},
): Promise<Record<string, string>> {
  const bytes = typeof body === "string" ? utf8(body) : new Uint8Array(body);
  switch (scheme) {
    case "github": {
      const signature = toHex(await hmac(await hmacKey(utf8(secret)), bytes));
      return {
        "X-Hub-Signature-256": `sha256=${signature}`,
        "X-GitHub-Delivery": options.deliveryId ?? crypto.randomUUID(),
      };
    }
    case "standard": {
      const id = options.deliveryId ?? `msg_${crypto.randomUUID()}`;
      const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
      const key = await hmacKey(standardKey(secret));
      const signature = toBase64(await hmac(key, standardSignedContent(id, timestamp, bytes)));
      return {
        "webhook-id": id,
        "webhook-timestamp": timestamp,
        "webhook-signature": `v1,${signature}`,
      };
    }
    case "bearer":
      return {
        Authorization: `Bearer ${secret}`,
        ...(options.deliveryId === undefined ? {} : { "Idempotency-Key": options.deliveryId }),
      };
  }
}
