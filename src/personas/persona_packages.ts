/**
 * The packages on disk: the operator's under `{root}/personas/{id}/`, a conversation's own
 * under `{root}/{jid}/personas/{id}/` (looked at only when user personas are on), each file
 * found along those two folders in that order.
 *
 * @module
 */
import { join } from "node:path";
import { errorMessage } from "../log/mod.ts";
import type { PromptLayer } from "../memory/mod.ts";
import { PersonaError } from "./persona_error.ts";
import { isPersonaId, personaId } from "./persona_id.ts";
import { parseManifest, type PersonaManifest } from "./persona_manifest.ts";
import { manifestToml, type PersonaPackage, PROMPT_FILES } from "./persona_package.ts";
import {
  globalPersonaDir,
  globalPersonasDir,
  userPersonaDir,
  userPersonasDir,
} from "./persona_paths.ts";
import type { ReadCache } from "./_read_cache.ts";

/** A persona as a conversation sees it. */
export interface Persona {
  id: string;
  manifest: PersonaManifest;
  /** Whose `persona.toml` it is: the conversation's own package, or the operator's. */
  source: "user" | "global";
}

/** Reads and writes persona packages; see the module doc. */
export class PersonaPackages {
  #root: string;
  #files: ReadCache;
  #userPersonas: boolean;

  /**
   * @param root The data directory.
   * @param files Reads (cached) and writes.
   * @param userPersonas Whether conversations' own packages count.
   */
  constructor(root: string, files: ReadCache, userPersonas: boolean) {
    this.#root = root;
    this.#files = files;
    this.#userPersonas = userPersonas;
  }

  /** Every operator package: the ids of the valid ones, and what is wrong with the others. */
  async checkGlobal(): Promise<{ ids: string[]; problems: string[] }> {
    const ids: string[] = [];
    const problems: string[] = [];
    for (const name of await this.#files.listFolders(globalPersonasDir(this.#root))) {
      if (!isPersonaId(name) || name !== name.toLowerCase()) {
        problems.push(`${join(globalPersonasDir(this.#root), name)}: not a valid persona name`);
        continue;
      }
      try {
        if (await this.#manifestAt(globalPersonaDir(this.#root, name), name)) ids.push(name);
        else problems.push(`${globalPersonaDir(this.#root, name)}/persona.toml: missing`);
      } catch (error) {
        problems.push(errorMessage(error));
      }
    }
    return { ids, problems };
  }

  /** The ids a conversation could have: its own packages' and the operator's folders'. */
  async ids(conversation: string): Promise<string[]> {
    const names = new Set([
      ...await this.userIds(conversation),
      ...await this.#files.listFolders(globalPersonasDir(this.#root)),
    ]);
    return [...names].filter((name) => isPersonaId(name) && name === name.toLowerCase()).sort();
  }

  /** The ids of the conversation's own packages (none when user personas are off). */
  async userIds(conversation: string): Promise<string[]> {
    if (!this.#userPersonas) return [];
    const names = await this.#files.listFolders(userPersonasDir(this.#root, conversation));
    return names.filter((name) => isPersonaId(name) && name === name.toLowerCase());
  }

  /**
   * The persona by id: the first `persona.toml` along its folders.
   *
   * @throws {PersonaError} When that file is invalid.
   */
  async find(conversation: string, id: string): Promise<Persona | undefined> {
    const dirs = this.#dirs(conversation, id);
    for (const [i, dir] of dirs.entries()) {
      const manifest = await this.#manifestAt(dir, id);
      if (manifest === undefined) continue;
      return { id, manifest, source: i === dirs.length - 1 ? "global" : "user" };
    }
    return undefined;
  }

  /** Whether some `persona.toml` of that id exists (valid or not). */
  async exists(conversation: string, id: string): Promise<boolean> {
    for (const dir of this.#dirs(conversation, id)) {
      if (await this.#files.text(join(dir, "persona.toml")) !== null) return true;
    }
    return false;
  }

  /** A persona's prompt files, each from the first of its folders that has it. */
  async promptLayer(conversation: string, id: string): Promise<PromptLayer> {
    const dirs = this.#dirs(conversation, id);
    const texts = await Promise.all(
      PROMPT_FILES.map(async (name) => {
        for (const dir of dirs) {
          const text = await this.#files.text(join(dir, `${name}.md`));
          if (text !== null) return text;
        }
        return undefined;
      }),
    );
    const layer: PromptLayer = {};
    PROMPT_FILES.forEach((name, i) => {
      const text = texts[i];
      if (text !== undefined) layer[name] = text;
    });
    return layer;
  }

  /** One of the conversation's own packages, whole; `undefined` when it has none by that id. */
  async userPackage(conversation: string, id: string): Promise<PersonaPackage | undefined> {
    const dir = userPersonaDir(this.#root, conversation, id);
    const manifest = await this.#manifestAt(dir, personaId(id));
    if (manifest === undefined) return undefined;
    const files: PersonaPackage["files"] = {};
    for (const name of PROMPT_FILES) {
      const text = await this.#files.text(join(dir, `${name}.md`));
      if (text !== null) files[name] = text;
    }
    return { manifest, files };
  }

  /**
   * Writes one of the conversation's own packages: `persona.toml` and its prompt files (a
   * file the package lacks is removed, so an edit can clear one).
   */
  async saveUserPackage(conversation: string, pkg: PersonaPackage): Promise<void> {
    const dir = userPersonaDir(this.#root, conversation, pkg.manifest.id);
    for (const name of PROMPT_FILES) {
      const text = pkg.files[name];
      const path = join(dir, `${name}.md`);
      if (text === undefined) await this.#files.remove(path);
      else await this.#files.write(path, text.endsWith("\n") ? text : `${text}\n`);
    }
    // Last: until it is there, the package is not a persona of its own.
    await this.#files.write(join(dir, "persona.toml"), manifestToml(pkg.manifest));
  }

  /** Deletes one of the conversation's own packages; whether it existed. */
  async deleteUserPackage(conversation: string, id: string): Promise<boolean> {
    return await this.#files.remove(userPersonaDir(this.#root, conversation, id));
  }

  /** The folders a persona's files are looked for in, in order. */
  #dirs(conversation: string, id: string): string[] {
    return this.#userPersonas
      ? [userPersonaDir(this.#root, conversation, id), globalPersonaDir(this.#root, id)]
      : [globalPersonaDir(this.#root, id)];
  }

  /** @throws {PersonaError} When the file is invalid, or its id is not its folder's name. */
  async #manifestAt(dir: string, id: string): Promise<PersonaManifest | undefined> {
    const file = join(dir, "persona.toml");
    const text = await this.#files.text(file);
    if (text === null) return undefined;
    const manifest = parseManifest(text, file);
    if (manifest.id !== id) {
      throw new PersonaError(
        file,
        "persona.id",
        `${JSON.stringify(manifest.id)} is not the name of its folder, ${JSON.stringify(id)}`,
      );
    }
    return manifest;
  }
}
