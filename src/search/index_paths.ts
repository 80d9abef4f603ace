import { join } from "node:path";
import { conversationDir } from "../memory/mod.ts";
import { SHARED_SCOPE } from "./index_backend.ts";

/**
 * The database file of a scope: `{indexDir}/shared.sqlite` for the shared folder,
 * `{indexDir}/conversations/{jid}.sqlite` for a conversation. The JID is validated and
 * normalised as for its memory folder, so a scope name cannot leave the index directory.
 *
 * @param indexDir The index directory (`{data dir}/search`).
 * @param scope {@linkcode SHARED_SCOPE} or a bare JID.
 * @throws {TypeError} If the scope is not a valid bare JID.
 * @example
 * ```ts
 * indexFile("/data/memory/search", "Alice@Example.org");
 * // "/data/memory/search/conversations/alice@example.org.sqlite"
 * ```
 */
export function indexFile(indexDir: string, scope: string): string {
  if (scope === SHARED_SCOPE) return join(indexDir, "shared.sqlite");
  return `${conversationDir(join(indexDir, "conversations"), scope)}.sqlite`;
}

/** The files SQLite may keep beside a database. */
export const SIDE_FILES = ["", "-wal", "-shm", "-journal"];
