/**
 * The {@linkcode PersonaFs} over `Deno.*`: the only file of this folder that touches the disk.
 *
 * @module
 */
import { dirname } from "node:path";
import type { PersonaFs } from "./persona_fs.ts";

function isNotFound(error: unknown): boolean {
  return error instanceof Deno.errors.NotFound;
}

/**
 * The filesystem access used in production (needs read and write permission on the data
 * directory).
 */
export function denoPersonaFs(): PersonaFs {
  return {
    async readText(path) {
      try {
        return await Deno.readTextFile(path);
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },
    async writeText(path, text) {
      await Deno.mkdir(dirname(path), { recursive: true });
      // A reader never sees half a file: the new one replaces the old in one rename.
      const temporary = `${path}.tmp`;
      await Deno.writeTextFile(temporary, text);
      await Deno.rename(temporary, path);
    },
    async remove(path) {
      try {
        await Deno.remove(path, { recursive: true });
        return true;
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
    },
    async listFolders(path) {
      const names: string[] = [];
      try {
        for await (const entry of Deno.readDir(path)) if (entry.isDirectory) names.push(entry.name);
      } catch (error) {
        if (isNotFound(error)) return [];
        throw error;
      }
      return names.sort();
    },
  };
}
