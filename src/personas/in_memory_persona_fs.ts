/**
 * A {@linkcode PersonaFs} held in a map, for tests and dry runs.
 *
 * @module
 */
import type { PersonaFs } from "./persona_fs.ts";

/** Files in memory, by absolute path; folders exist while a file lies under them. */
export class InMemoryPersonaFs implements PersonaFs {
  /** Every file, by path. */
  readonly files = new Map<string, string>();
  /** Paths read so far, in order. */
  readonly reads: string[] = [];

  /** @param files Files to start with, by path. */
  constructor(files: Record<string, string> = {}) {
    for (const [path, text] of Object.entries(files)) this.files.set(path, text);
  }

  readText(path: string): Promise<string | null> {
    this.reads.push(path);
    return Promise.resolve(this.files.get(path) ?? null);
  }

  writeText(path: string, text: string): Promise<void> {
    this.files.set(path, text);
    return Promise.resolve();
  }

  remove(path: string): Promise<boolean> {
    let removed = this.files.delete(path);
    for (const name of [...this.files.keys()]) {
      if (name.startsWith(`${path}/`)) removed = this.files.delete(name) || removed;
    }
    return Promise.resolve(removed);
  }

  listFolders(path: string): Promise<string[]> {
    const names = new Set<string>();
    for (const name of this.files.keys()) {
      if (!name.startsWith(`${path}/`)) continue;
      const rest = name.slice(path.length + 1);
      if (rest.includes("/")) names.add(rest.slice(0, rest.indexOf("/")));
    }
    return Promise.resolve([...names].sort());
  }
}
