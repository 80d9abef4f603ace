/**
 * The host's reading of a file a skill returned. The skill side encodes it, but the skill's
 * own code runs beside that encoder and may post anything, so every field is checked again
 * here before a byte is uploaded.
 *
 * @module
 */
import { type FileMessage, MAX_SKILL_FILE_BYTES } from "./skill_protocol.ts";

/** A file a skill returned, checked: what the agent uploads and sends. */
export interface SkillFile {
  /** The name as the skill gave it (the sender makes it safe for a URL). */
  name: string;
  bytes: Uint8Array;
  /** The media type the skill gave, if any. */
  mediaType?: string;
}

const MEDIA_TYPE = /^[\w.+-]+\/[\w.+-]+$/;

/**
 * Checks and decodes a returned file.
 *
 * @param message The file as the sandbox sent it.
 * @param maxBytes The largest file accepted. @default {MAX_SKILL_FILE_BYTES}
 * @throws {TypeError} When a field is missing, of the wrong type, or not base64.
 * @throws {RangeError} When the file is larger than `maxBytes`.
 */
export function readSkillFile(
  message: FileMessage,
  maxBytes: number = MAX_SKILL_FILE_BYTES,
): SkillFile {
  const { name, base64, media_type: mediaType } = message ?? {};
  if (typeof name !== "string" || name.trim() === "") {
    throw new TypeError("The skill returned a file without a name");
  }
  if (typeof base64 !== "string") {
    throw new TypeError("The skill returned a file without its content");
  }
  // Checked before decoding, so an oversized string costs no allocation of its bytes.
  if (Math.floor(base64.length / 4) * 3 > maxBytes + 2) throw tooLarge(base64.length, maxBytes);
  let bytes: Uint8Array;
  try {
    bytes = Uint8Array.fromBase64(base64);
  } catch {
    throw new TypeError("The skill returned a file whose content is not valid base64");
  }
  if (bytes.length > maxBytes) throw tooLarge(base64.length, maxBytes);
  if (mediaType !== undefined && (typeof mediaType !== "string" || !MEDIA_TYPE.test(mediaType))) {
    throw new TypeError(
      `The skill returned a file whose media type ${JSON.stringify(mediaType)} is not like ` +
        '"image/png"',
    );
  }
  return { name, bytes, ...(mediaType === undefined ? {} : { mediaType }) };
}

function tooLarge(base64Length: number, maxBytes: number): RangeError {
  return new RangeError(
    `The skill returned a file of about ${Math.floor(base64Length / 4) * 3} bytes; ` +
      `at most ${maxBytes} may be sent`,
  );
}
