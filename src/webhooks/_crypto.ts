// The WebCrypto calls the signature schemes share: HMAC-SHA256, SHA-256, hex and base64.
import { STANDARD_SECRET_PREFIX } from "../config/mod.ts";

const encoder = new TextEncoder();

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text);
}

/** Imports an HMAC-SHA256 key (once per route: verifying reuses it). */
export function hmacKey(key: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
}

/** HMAC-SHA256 of `data`. */
export async function hmac(key: CryptoKey, data: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, data));
}

/** SHA-256 of `data`. */
export async function sha256(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", data));
}

/** Bytes as lower-case hex. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Hex (either case) as bytes, or `undefined` when it is not hex. */
export function fromHex(text: string): Uint8Array | undefined {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return undefined;
  const bytes = new Uint8Array(text.length / 2);
  for (let index = 0; index < bytes.length; index++) {
    bytes[index] = parseInt(text.slice(index * 2, index * 2 + 2), 16);
  }
  return bytes;
}

/** Bytes as standard base64. */
export function toBase64(bytes: Uint8Array): string {
  return btoa(Array.from(bytes, (byte) => String.fromCharCode(byte)).join(""));
}

/** Standard base64 as bytes, or `undefined` when it is not base64. */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  try {
    return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/**
 * The key of a Standard Webhooks secret (`whsec_<base64>`).
 *
 * @throws {TypeError} When the secret is not of that form (the config rejects such secrets).
 */
export function standardKey(secret: string): Uint8Array<ArrayBuffer> {
  const key = secret.startsWith(STANDARD_SECRET_PREFIX)
    ? fromBase64(secret.slice(STANDARD_SECRET_PREFIX.length))
    : undefined;
  if (key === undefined || key.length === 0) {
    throw new TypeError('A "standard" secret must be "whsec_" followed by base64');
  }
  return key;
}

/** The bytes a Standard Webhooks signature covers: `id.timestamp.` then the raw body. */
export function standardSignedContent(
  id: string,
  timestamp: string,
  body: Uint8Array,
): Uint8Array<ArrayBuffer> {
  const head = utf8(`${id}.${timestamp}.`);
  const content = new Uint8Array(head.length + body.length);
  content.set(head);
  content.set(body, head.length);
  return content;
}
