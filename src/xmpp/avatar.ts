/**
 * The agent's picture (`agent.avatar`): an image small enough to travel inside a vCard and a
 * PEP item, recognised by its first bytes.
 *
 * @module
 */
import { createHash } from "node:crypto";

/** An avatar ready to publish. */
export interface Avatar {
  bytes: Uint8Array;
  /** `image/png`, `image/jpeg`, `image/gif` or `image/webp`. */
  type: string;
  /** The SHA-1 of the bytes, lower-case hex: its id in XEP-0084 and XEP-0153. */
  sha1: string;
  /** Known for a PNG (its IHDR). */
  width?: number;
  height?: number;
}

/**
 * The largest avatar accepted: it travels Base64-encoded in one stanza, and servers limit
 * stanza sizes (XEP-0153 recommends small images).
 */
export const MAX_AVATAR_BYTES = 128 * 1024;

/**
 * Reads an image as an avatar.
 *
 * @param bytes The file's content.
 * @param name Where it came from, for error messages.
 * @throws {RangeError} When it is empty or larger than {@linkcode MAX_AVATAR_BYTES}.
 * @throws {TypeError} When it is not a PNG, JPEG, GIF or WebP image.
 */
export function readAvatar(bytes: Uint8Array, name: string): Avatar {
  if (bytes.length === 0) throw new RangeError(`The avatar "${name}" is empty`);
  if (bytes.length > MAX_AVATAR_BYTES) {
    throw new RangeError(
      `The avatar "${name}" has ${bytes.length} bytes: at most ${MAX_AVATAR_BYTES} fit in a ` +
        "vCard (use a smaller image, e.g. 256×256)",
    );
  }
  const type = imageType(bytes);
  if (type === undefined) {
    throw new TypeError(`The avatar "${name}" is not a PNG, JPEG, GIF or WebP image`);
  }
  const sha1 = createHash("sha1").update(bytes).digest("hex");
  const avatar: Avatar = { bytes, type, sha1 };
  if (type === "image/png" && bytes.length >= 24) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    avatar.width = view.getUint32(16);
    avatar.height = view.getUint32(20);
  }
  return avatar;
}

function imageType(b: Uint8Array): string | undefined {
  const starts = (...prefix: number[]) => prefix.every((byte, i) => b[i] === byte);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (starts(0x47, 0x49, 0x46, 0x38)) return "image/gif";
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  if (ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "image/webp";
  return undefined;
}
