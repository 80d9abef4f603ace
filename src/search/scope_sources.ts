/**
 * The files a scope's index is made of, found on disk with their size and mtime: the edge
 * of the search module that lists folders. Nothing here follows a symbolic link, so a link
 * planted in a conversation or the shared folder cannot bring another scope's files in.
 *
 * @module
 */
import { join } from "node:path";
import { conversationDir } from "../memory/mod.ts";
import { SHARED_SCOPE } from "./index_backend.ts";

/** What can be indexed (`memory.search.sources`). */
export type SearchSource = "memory" | "sessions" | "shared";

/** A file of a scope. */
export interface SourceFile {
  /**
   * Its name in results and for `memory_get`: relative to the conversation's folder
   * (`memory.md`, `sessions/20261127-091500.jsonl`), or `shared/…` in the shared folder.
   */
  source: string;
  /** Its absolute path. */
  path: string;
  kind: "markdown" | "session";
  /** A current session (`history.jsonl`), still growing. */
  current: boolean;
  mtimeMs: number;
  size: number;
}

/** Where the scopes' files are. */
export interface ScopeFolders {
  /** The data directory (`memory.path`, absolute). */
  dataDir: string;
  /** The shared folder (absolute). */
  sharedDir: string;
  /** What is indexed. */
  sources: ReadonlySet<SearchSource>;
}

/** Profile and notes files of a conversation, in the order the prompt reads them. */
const PROFILE_FILES = ["user.md", "context.md", "memory.md"];
/** The shared folder is walked this deep (its own files are depth 1). */
const SHARED_DEPTH = 4;

/**
 * The files of a scope as they are now. A conversation's: `user.md`, `context.md`,
 * `memory.md` (source "memory"), its current and archived sessions and those of its
 * threads (source "sessions"); the shared scope's: the shared folder's markdown files, its
 * sub-folders included (hidden ones and links left out).
 *
 * @param scope {@linkcode SHARED_SCOPE} or a conversation's bare JID.
 * @throws {TypeError} If the scope is not a valid bare JID.
 */
export function listSources(scope: string, folders: ScopeFolders): SourceFile[] {
  if (scope === SHARED_SCOPE) {
    if (!folders.sources.has("shared")) return [];
    const found: SourceFile[] = [];
    walkMarkdown(folders.sharedDir, "shared", SHARED_DEPTH, found);
    return found.sort((a, b) => a.source < b.source ? -1 : 1);
  }
  const dir = conversationDir(folders.dataDir, scope);
  const found: SourceFile[] = [];
  const add = (source: string, kind: SourceFile["kind"], current: boolean) => {
    const path = join(dir, source);
    const stat = fileStat(path);
    if (stat !== undefined) found.push({ source, path, kind, current, ...stat });
  };
  if (folders.sources.has("memory")) {
    for (const name of PROFILE_FILES) add(name, "markdown", false);
  }
  if (folders.sources.has("sessions")) {
    const sessionDirs = [
      "",
      ...folderNames(join(dir, "threads")).map((name) => `threads/${name}/`),
    ];
    for (const prefix of sessionDirs) {
      add(`${prefix}history.jsonl`, "session", true);
      for (const name of fileNames(join(dir, prefix, "sessions"))) {
        if (name.endsWith(".jsonl")) add(`${prefix}sessions/${name}`, "session", false);
        else if (name.endsWith(".md")) add(`${prefix}sessions/${name}`, "markdown", false);
      }
    }
  }
  return found;
}

function walkMarkdown(dir: string, prefix: string, depth: number, found: SourceFile[]): void {
  // The shared folder itself may be a link an operator made; nothing under it is followed.
  for (const entry of entries(dir, prefix === "shared")) {
    if (entry.name.startsWith(".") || entry.isSymlink) continue;
    const path = join(dir, entry.name);
    const source = `${prefix}/${entry.name}`;
    if (entry.isDirectory && depth > 1) walkMarkdown(path, source, depth - 1, found);
    if (!entry.isFile || !entry.name.endsWith(".md")) continue;
    const stat = fileStat(path);
    if (stat !== undefined) found.push({ source, path, kind: "markdown", current: false, ...stat });
  }
}

/** Size and mtime of a regular file (not a link); `undefined` when there is none. */
function fileStat(path: string): { mtimeMs: number; size: number } | undefined {
  let info: Deno.FileInfo;
  try {
    info = Deno.lstatSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return undefined;
    }
    throw error;
  }
  if (!info.isFile) return undefined;
  return { mtimeMs: info.mtime?.getTime() ?? 0, size: info.size };
}

/** The entries of a folder, sorted; none when it is missing or a link (unless `root`). */
function entries(dir: string, root = false): Deno.DirEntry[] {
  try {
    if (!root && Deno.lstatSync(dir).isSymlink) return [];
    return [...Deno.readDirSync(dir)].sort((a, b) => a.name < b.name ? -1 : 1);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return [];
    }
    throw error;
  }
}

function fileNames(dir: string): string[] {
  return entries(dir).filter((entry) => entry.isFile).map((entry) => entry.name);
}

function folderNames(dir: string): string[] {
  return entries(dir).filter((entry) => entry.isDirectory).map((entry) => entry.name);
}

/** How the indexer reads sources (the real filesystem by default). */
export interface SourceReader {
  /** The whole file as text. */
  text(path: string): Promise<string>;
  /** The file's bytes from `offset` to its end. */
  bytesFrom(path: string, offset: number): Promise<Uint8Array>;
  /** The file's first `length` bytes (fewer if it is shorter). */
  head(path: string, length: number): Promise<Uint8Array>;
}

/** A {@linkcode SourceReader} over `Deno.*` (needs read permission on the data directory). */
export const denoSourceReader: SourceReader = {
  text: (path) => Deno.readTextFile(path),
  async bytesFrom(path, offset) {
    using file = await Deno.open(path, { read: true });
    await file.seek(offset, Deno.SeekMode.Start);
    const parts: Uint8Array[] = [];
    let total = 0;
    const buffer = new Uint8Array(256 * 1024);
    for (;;) {
      const n = await file.read(buffer);
      if (n === null) break;
      parts.push(buffer.slice(0, n));
      total += n;
    }
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const part of parts) {
      bytes.set(part, at);
      at += part.length;
    }
    return bytes;
  },
  async head(path, length) {
    using file = await Deno.open(path, { read: true });
    const buffer = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      const n = await file.read(buffer.subarray(filled));
      if (n === null) break;
      filled += n;
    }
    return buffer.subarray(0, filled);
  },
};

/**
 * The conversations that have a folder in the data directory: each folder whose name is a
 * normalised bare JID (a link, a hidden folder or one of the directory's own is not one).
 */
export function listConversations(dataDir: string): string[] {
  return entries(dataDir).filter((entry) => entry.isDirectory).map((entry) => entry.name)
    .filter((name) => {
      try {
        return conversationDir(dataDir, name) === join(dataDir, name);
      } catch {
        return false;
      }
    });
}

/** The conversations that have an index database (`{indexDir}/conversations/{jid}.sqlite`). */
export function listIndexedConversations(indexDir: string): string[] {
  return fileNames(join(indexDir, "conversations"))
    .filter((name) => name.endsWith(".sqlite"))
    .map((name) => name.slice(0, -".sqlite".length));
}
