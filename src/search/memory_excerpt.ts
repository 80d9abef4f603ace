/**
 * `memory_get`: reading more around a hit, only within the caller's scope. A source is
 * found by its exact name among the files the caller's scopes hold now; nothing is built
 * from the name, so `../`, absolute paths, other JIDs and encoded or look-alike forms of them
 * name nothing. Malformed names are refused before the look-up, with the same answer.
 *
 * @module
 */
import type { SourceFile } from "./scope_sources.ts";

/** A request the caller's scope does not allow (an unknown source, a refused share). */
export class MemoryAccessError extends Error {
  override name = "MemoryAccessError";
}

/** Lines of a source, numbered as in the file. */
export interface MemoryExcerpt {
  source: string;
  /** First line shown, 1-based. */
  from: number;
  /** Last line shown. */
  to: number;
  /** Lines in the file. */
  total: number;
  /** The lines, each prefixed with its number (session lines rendered as messages). */
  text: string;
}

/** Longest source name accepted. */
const MAX_SOURCE = 300;
/** Most characters an excerpt returns. */
const MAX_EXCERPT_CHARS = 16_000;
/** Largest file read whole. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

/**
 * The refusal for a source outside the scope: the same for every reason, so that it tells
 * nothing about what exists elsewhere.
 */
export function outsideScope(source: string): MemoryAccessError {
  const shown = JSON.stringify(source.length > 80 ? `${source.slice(0, 80)}…` : source);
  return new MemoryAccessError(
    `No source ${shown} in this conversation's memory: use a source exactly as memory_search ` +
      "returned it (like memory.md, sessions/20261127-091500.jsonl or shared/notes.md)",
  );
}

/**
 * Checks a source name as given, before any look-up: a relative path of plain segments,
 * without `.` or `..`, backslashes, percent-encoding, control or invisible characters, and
 * in the form Unicode normalisation leaves alone (so no full-width dot or slash).
 *
 * @returns The name.
 * @throws {MemoryAccessError} When it is anything else.
 */
export function checkSourceName(source: unknown): string {
  if (typeof source !== "string" || source === "") {
    throw new MemoryAccessError("memory_get needs a source, as memory_search returned it");
  }
  const malformed = source.length > MAX_SOURCE ||
    /[\p{Cc}\p{Cf}\\%]/u.test(source) ||
    source.normalize("NFKC") !== source ||
    /^(?:\/|~|[A-Za-z]:)/.test(source) ||
    source.split("/").some((segment) => segment === "" || segment === "." || segment === "..");
  if (malformed) throw outsideScope(source);
  return source;
}

/**
 * Reads lines of a source.
 *
 * @param file The source, found among the scope's files.
 * @param from First line, 1-based.
 * @param lines How many lines.
 * @throws {RangeError} When `from` is past the end of the file.
 */
export async function readExcerpt(
  file: SourceFile,
  from: number,
  lines: number,
  read: (path: string) => Promise<string> = (path) => Deno.readTextFile(path),
): Promise<MemoryExcerpt> {
  if (file.size > MAX_FILE_BYTES) {
    throw new RangeError(`${file.source} is too large to read here (${file.size} bytes)`);
  }
  const all = (await read(file.path)).split("\n");
  if (all.at(-1) === "") all.pop();
  if (from > all.length) {
    throw new RangeError(`${file.source} has ${all.length} lines: line ${from} is past its end`);
  }
  const shown: string[] = [];
  let chars = 0;
  let to = from - 1;
  for (let n = from; n < from + lines && n <= all.length; n++) {
    const line = file.kind === "session" ? renderEntry(all[n - 1]!) : all[n - 1]!;
    const numbered = `${n}: ${line}`;
    if (chars + numbered.length > MAX_EXCERPT_CHARS && shown.length > 0) break;
    shown.push(numbered);
    chars += numbered.length + 1;
    to = n;
  }
  return { source: file.source, from, to, total: all.length, text: shown.join("\n") };
}

/** A session line as a reader wants it: `[date] who: text`, or what kind of entry it is. */
function renderEntry(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line);
  } catch {
    return "(unreadable line)";
  }
  const date = typeof entry.ts === "string" ? `[${entry.ts.slice(0, 16).replace("T", " ")}] ` : "";
  if (entry.type === "session") return `(session started ${String(entry.created ?? "")})`;
  if (entry.type === "message" && typeof entry.content === "string") {
    const who = typeof entry.sender === "string" ? entry.sender : String(entry.role);
    return `${date}${who}: ${entry.content.replaceAll("\n", "\n    ")}`;
  }
  return `${date}(${String(entry.type)})`;
}
