/**
 * The media type of a received file: from its bytes when they say (PNG, JPEG, GIF, WebP, PDF),
 * else from the Content-Type the server sent, else from the name's extension.
 *
 * @module
 */

const GENERIC = new Set([
  "application/octet-stream",
  "binary/octet-stream",
  "application/binary",
  "application/unknown",
  "application/x-unknown",
  "application/force-download",
  "application/download",
]);

const BY_EXTENSION: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  heic: "image/heic",
  svg: "image/svg+xml",
  pdf: "application/pdf",
  txt: "text/plain",
  md: "text/markdown",
  markdown: "text/markdown",
  csv: "text/csv",
  tsv: "text/tab-separated-values",
  html: "text/html",
  htm: "text/html",
  css: "text/css",
  js: "text/javascript",
  mjs: "text/javascript",
  json: "application/json",
  xml: "application/xml",
  yaml: "application/yaml",
  yml: "application/yaml",
  toml: "application/toml",
  mp3: "audio/mpeg",
  m4a: "audio/mp4",
  ogg: "audio/ogg",
  oga: "audio/ogg",
  opus: "audio/ogg",
  wav: "audio/wav",
  mp4: "video/mp4",
  webm: "video/webm",
  mov: "video/quicktime",
  zip: "application/zip",
  gz: "application/gzip",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  odt: "application/vnd.oasis.opendocument.text",
};

/** Extensions of plain-text formats (source code, config, logs) the LLM can read. */
const TEXT_EXTENSIONS = new Set(
  ("txt md markdown csv tsv json jsonl xml html htm css svg yaml yml toml ini cfg conf env log " +
    "diff patch tex rst org adoc properties gradle sql graphql proto " +
    "ts tsx js jsx mjs cjs py rb rs go c h cc cpp hpp cs java kt kts swift php pl lua r scala " +
    "hs ml ex exs erl clj dart vue svelte sh bash zsh fish ps1 bat vim nix dockerfile").split(" "),
);

const TEXT_TYPES = new Set([
  "application/json",
  "application/xml",
  "application/yaml",
  "application/x-yaml",
  "application/toml",
  "application/javascript",
  "application/x-sh",
  "application/sql",
  "application/ld+json",
  "image/svg+xml",
]);

/** What is known about a file when its type is decided. */
export interface MimeTypeEvidence {
  /** The Content-Type header, parameters and all. */
  contentType?: string | undefined;
  /** The file's name (its extension is used). */
  filename: string;
  /** The first bytes of the file (a dozen are enough). */
  head?: Uint8Array | undefined;
}

/**
 * Decides a file's media type: magic bytes first (so a PNG sent as `image/jpeg` or
 * `application/octet-stream` is `image/png`), then the Content-Type unless it is generic, then
 * the extension, then `application/octet-stream`.
 *
 * @param evidence The header, name and first bytes.
 * @returns A lower-case type without parameters, e.g. `"image/png"`.
 */
export function detectMimeType(evidence: MimeTypeEvidence): string {
  const sniffed = evidence.head === undefined ? undefined : sniffMimeType(evidence.head);
  if (sniffed !== undefined) return sniffed;
  const declared = evidence.contentType?.split(";")[0]?.trim().toLowerCase() ?? "";
  if (/^[a-z0-9.+-]+\/[a-z0-9.+-]+$/.test(declared) && !GENERIC.has(declared)) return declared;
  return mimeTypeFromFilename(evidence.filename) ?? "application/octet-stream";
}

/**
 * Recognises PNG, JPEG, GIF, WebP and PDF by their first bytes.
 *
 * @param head The first bytes of a file (at least 12 for WebP).
 * @returns The type, or `undefined` when the bytes match none of them.
 */
export function sniffMimeType(head: Uint8Array): string | undefined {
  const starts = (...bytes: number[]) => bytes.every((byte, i) => head[i] === byte);
  const ascii = (offset: number, text: string) =>
    [...text].every((char, i) => head[offset + i] === char.charCodeAt(0));
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (ascii(0, "GIF87a") || ascii(0, "GIF89a")) return "image/gif";
  if (ascii(0, "RIFF") && ascii(8, "WEBP")) return "image/webp";
  if (ascii(0, "%PDF-")) return "application/pdf";
  return undefined;
}

/**
 * The type a file name's extension suggests.
 *
 * @param filename A file name.
 * @returns The type, or `undefined` for an unknown or missing extension.
 */
export function mimeTypeFromFilename(filename: string): string | undefined {
  const extension = extensionOf(filename);
  if (extension === undefined) return undefined;
  return BY_EXTENSION[extension] ?? (TEXT_EXTENSIONS.has(extension) ? "text/plain" : undefined);
}

/**
 * Whether a file is text the LLM can read: a `text/*`, JSON, XML, YAML… type, or a name with
 * a source-code, config or text extension.
 *
 * @param mimeType The decided type.
 * @param filename The file name.
 * @returns `true` for text formats.
 */
export function isTextual(mimeType: string, filename: string): boolean {
  if (mimeType.startsWith("text/") || TEXT_TYPES.has(mimeType)) return true;
  if (/\+(json|xml)$/.test(mimeType)) return true;
  const extension = extensionOf(filename);
  return extension !== undefined && TEXT_EXTENSIONS.has(extension);
}

function extensionOf(filename: string): string | undefined {
  const dot = filename.lastIndexOf(".");
  return dot <= 0 ? undefined : filename.slice(dot + 1).toLowerCase();
}
