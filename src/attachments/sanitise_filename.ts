/**
 * Safe local names for received files: what the sender called the file, minus anything a file
 * system, a terminal or a person could be fooled by.
 *
 * @module
 */

/** Options of {@linkcode sanitiseFilename}. */
export interface SanitiseFilenameOptions {
  /** Longest name kept, in UTF-8 bytes; the extension survives the cut. @default {120} */
  maxBytes?: number;
}

// Control characters, line separators, bidirectional overrides (which can make
// "photo\u202Egnp.exe" read as "photoexe.png") and the byte-order mark.
const INVISIBLE = /[\p{Cc}\p{Zl}\p{Zp}\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/gu;
// Path separators and the characters Windows forbids in names.
const RESERVED = /[/\\:*?"<>|]/g;
const EXTENSION = /\.[\p{L}\p{N}_-]{1,15}$/u;
const encoder = new TextEncoder();

/**
 * Makes a name safe to use as one path segment: no path separators or Windows-reserved
 * characters (each becomes `_`), no control or bidirectional-override characters, no leading
 * dots, no trailing dots or spaces, at most `maxBytes` UTF-8 bytes with the extension kept.
 *
 * @example
 * ```ts
 * sanitiseFilename("../../etc/passwd"); // "_.._etc_passwd"
 * sanitiseFilename(".bashrc"); // "bashrc"
 * sanitiseFilename(""); // "file"
 * ```
 *
 * @param name The name as sent.
 * @param options The length limit.
 * @returns A non-empty name, `"file"` when nothing usable is left.
 */
export function sanitiseFilename(name: string, options: SanitiseFilenameOptions = {}): string {
  const maxBytes = options.maxBytes ?? 120;
  const clean = name.normalize("NFC")
    .replace(INVISIBLE, "")
    .replace(RESERVED, "_")
    .trim()
    .replace(/^[.\s]+/u, "")
    .replace(/[.\s]+$/u, "");
  if (clean === "") return "file";
  if (encoder.encode(clean).length <= maxBytes) return clean;
  const extension = EXTENSION.exec(clean)?.[0] ?? "";
  const stemLimit = maxBytes - encoder.encode(extension).length;
  const stem = truncateUtf8(clean.slice(0, clean.length - extension.length), stemLimit)
    .replace(/[.\s]+$/u, "");
  return `${stem || "file"}${extension}`;
}

/**
 * The sanitised last segment of a URL's path, percent-decoded (see
 * {@linkcode sanitiseFilename}).
 *
 * @example
 * ```ts
 * filenameFromUrl("https://share.example.org/f/3c1a/My%20Photo.JPG?x=1"); // "My Photo.JPG"
 * ```
 *
 * @param url The URL (invalid URLs give `"file"`).
 * @param options The length limit.
 * @returns A non-empty name.
 */
export function filenameFromUrl(url: string, options: SanitiseFilenameOptions = {}): string {
  let segment: string;
  try {
    segment = new URL(url).pathname.split("/").pop() ?? "";
  } catch {
    return "file";
  }
  try {
    segment = decodeURIComponent(segment);
  } catch {
    // A stray "%" is part of the name.
  }
  return sanitiseFilename(segment, options);
}

function truncateUtf8(text: string, maxBytes: number): string {
  let bytes = 0;
  let result = "";
  for (const char of text) {
    const size = encoder.encode(char).length;
    if (bytes + size > maxBytes) break;
    bytes += size;
    result += char;
  }
  return result;
}
