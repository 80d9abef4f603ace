/**
 * The personas of every conversation: which one is active (the conversation's choice in
 * `active_persona.txt`, else `[personas] default`), what it changes in a turn, and the
 * conversation's own packages. Each prompt file resolves on its own: the conversation's
 * `{jid}/identity.md` (applied by the memory store), then `{jid}/personas/{id}/`, then
 * `personas/{id}/`, then the global file.
 *
 * @module
 */
import { join } from "node:path";
import type { PromptLayer } from "../memory/mod.ts";
import { personaRefusal, type PersonaRestriction } from "./persona_access.ts";
import { PersonaError } from "./persona_error.ts";
import type { PersonaFs } from "./persona_fs.ts";
import { isPersonaId, personaId } from "./persona_id.ts";
import { parseManifest, type PersonaManifest } from "./persona_manifest.ts";
import { manifestToml, type PersonaPackage, PROMPT_FILES } from "./persona_package.ts";
import {
  activePersonaFile,
  globalPersonaDir,
  globalPersonasDir,
  userPersonaDir,
  userPersonasDir,
} from "./persona_paths.ts";
import { ReadCache } from "./_read_cache.ts";

/** The `[personas]` settings. */
export interface PersonasConfig {
  /** The persona of a conversation that chose none. @default {none} */
  default?: string | undefined;
  /** The personas each listed conversation may use. @default {[]} */
  restrictions?: readonly PersonaRestriction[];
  /** Conversations may make their own personas. @default {false} */
  allowUserPersonas?: boolean;
  /** How many of its own a conversation may keep. @default {5} */
  maxUserPersonas?: number;
}

/** Options of {@linkcode Personas}. */
export interface PersonasOptions extends PersonasConfig {
  fs: PersonaFs;
  /** The clock, in milliseconds. @default {Date.now} */
  now?: () => number;
  /** How long a read file is reused (a hand edit shows within it). @default {2000} */
  ttlMs?: number;
  /** Where problems with packages are reported (once each). @default {none} */
  warn?: (line: string) => void;
}

/** A persona as a conversation sees it. */
export interface Persona {
  id: string;
  manifest: PersonaManifest;
  /** Whose `persona.toml` it is: the conversation's own package, or the operator's. */
  source: "user" | "global";
}

/** What a persona changes in a turn. */
export interface PersonaTurn {
  id: string;
  /** Its prompt files, used where the conversation has none of its own. */
  prompt: PromptLayer;
  /** The tier of its answers, in place of `standard`. */
  tier?: string;
  /** The only tools it is offered, by name. */
  skills?: readonly string[];
  /** Its answers' token cap. */
  maxTokens?: number;
}

/** The active persona of a conversation, and how it came to be. */
export interface ActivePersona {
  /** The persona in use; absent when none is. */
  persona?: Persona;
  /** Whether the conversation chose it (else it is the default). */
  chosen: boolean;
  /** A choice that cannot be honoured, and why. */
  ignored?: { id: string; why: string };
}

/** Personas for every conversation; see the module doc. */
export class Personas {
  #root: string;
  #files: ReadCache;
  #config: Required<Omit<PersonasConfig, "default">> & { default: string | undefined };
  #warn: (line: string) => void;
  #warned = new Set<string>();

  /** @param root The data directory. */
  constructor(root: string, options: PersonasOptions) {
    this.#root = root;
    this.#files = new ReadCache(options.fs, {
      ttlMs: options.ttlMs ?? 2000,
      capacity: 4096,
      now: options.now ?? Date.now,
    });
    this.#config = {
      default: options.default,
      restrictions: options.restrictions ?? [],
      allowUserPersonas: options.allowUserPersonas ?? false,
      maxUserPersonas: options.maxUserPersonas ?? 5,
    };
    this.#warn = options.warn ?? (() => {});
  }

  /** Whether conversations may make their own personas. */
  get allowUserPersonas(): boolean {
    return this.#config.allowUserPersonas;
  }

  /** How many of its own a conversation may keep. */
  get maxUserPersonas(): number {
    return this.#config.maxUserPersonas;
  }

  /** The default persona's id, if any. */
  get defaultId(): string | undefined {
    return this.#config.default;
  }

  /**
   * Problems to report at start: every operator package that is invalid, and a default that
   * names no valid package.
   */
  async check(): Promise<{ problems: string[]; defaultMissing?: string }> {
    const problems: string[] = [];
    const ids = new Set<string>();
    for (const name of await this.#files.listFolders(globalPersonasDir(this.#root))) {
      if (!isPersonaId(name) || name !== name.toLowerCase()) {
        problems.push(`${join(globalPersonasDir(this.#root), name)}: not a valid persona name`);
        continue;
      }
      try {
        if (await this.#manifestAt(globalPersonaDir(this.#root, name), name)) ids.add(name);
        else problems.push(`${globalPersonaDir(this.#root, name)}/persona.toml: missing`);
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
      }
    }
    const fallback = this.#config.default;
    return fallback === undefined || ids.has(fallback)
      ? { problems }
      : { problems, defaultMissing: fallback };
  }

  /**
   * What the active persona changes in a conversation's turn; `undefined` when none is
   * active (or its package is invalid: reported once through `warn`).
   *
   * @param conversation A bare JID or a room.
   */
  async forTurn(conversation: string): Promise<PersonaTurn | undefined> {
    const { persona } = await this.active(conversation);
    if (persona === undefined) return undefined;
    const dirs = this.#dirs(conversation, persona.id);
    const texts = await Promise.all(
      PROMPT_FILES.map(async (name) => {
        for (const dir of dirs) {
          const text = await this.#files.text(join(dir, `${name}.md`));
          if (text !== null) return text;
        }
        return undefined;
      }),
    );
    const prompt: PromptLayer = {};
    PROMPT_FILES.forEach((name, i) => {
      const text = texts[i];
      if (text !== undefined) prompt[name] = text;
    });
    const { defaults, restrictions } = persona.manifest;
    // The operator decides which model answers: a package of the conversation's own may not.
    const tier = persona.source === "global" ? defaults.tier : undefined;
    return {
      id: persona.id,
      prompt,
      ...(tier === undefined ? {} : { tier }),
      ...(defaults.skills === undefined ? {} : { skills: defaults.skills }),
      ...(restrictions.max_tokens_per_message === undefined
        ? {}
        : { maxTokens: restrictions.max_tokens_per_message }),
    };
  }

  /** The active persona of a conversation: its choice if it may have it, else the default. */
  async active(conversation: string): Promise<ActivePersona> {
    const chosen = await this.#chosen(conversation);
    let ignored: ActivePersona["ignored"];
    if (chosen !== undefined) {
      const why = await this.#refusal(conversation, chosen);
      if (why.persona !== undefined) return { persona: why.persona, chosen: true };
      ignored = { id: chosen, why: why.reason };
    }
    const fallback = this.#config.default;
    const result: ActivePersona = { chosen: false, ...(ignored === undefined ? {} : { ignored }) };
    if (fallback === undefined) return result;
    const usable = await this.#refusal(conversation, fallback);
    return usable.persona === undefined ? result : { ...result, persona: usable.persona };
  }

  /**
   * Makes a persona the conversation's choice, kept in `active_persona.txt`.
   *
   * @param name An id, or a persona's name as shown by `/persona list`.
   * @throws {RangeError} With a message for the person: no such persona, or not allowed here.
   */
  async choose(conversation: string, name: string): Promise<Persona> {
    const id = await this.#resolveName(conversation, name);
    const found = await this.#refusal(conversation, id);
    if (found.persona === undefined) {
      throw new RangeError(`Persona ${JSON.stringify(name)} cannot be used here: ${found.reason}`);
    }
    await this.#files.write(activePersonaFile(this.#root, conversation), `${id}\n`);
    return found.persona;
  }

  /** Forgets the conversation's choice; the persona now active (the default), if any. */
  async reset(conversation: string): Promise<ActivePersona> {
    await this.#files.remove(activePersonaFile(this.#root, conversation));
    return await this.active(conversation);
  }

  /** The personas a conversation may use, its own first, by id; invalid ones are left out. */
  async available(conversation: string): Promise<Persona[]> {
    const ids = new Set([
      ...await this.userIds(conversation),
      ...await this.#files.listFolders(globalPersonasDir(this.#root)),
    ]);
    const personas: Persona[] = [];
    for (const id of [...ids].sort()) {
      if (!isPersonaId(id) || id !== id.toLowerCase()) continue;
      const found = await this.#refusal(conversation, id);
      if (found.persona !== undefined) personas.push(found.persona);
    }
    return personas;
  }

  /** The ids of the conversation's own packages (none when user personas are off). */
  async userIds(conversation: string): Promise<string[]> {
    if (!this.#config.allowUserPersonas) return [];
    const names = await this.#files.listFolders(userPersonasDir(this.#root, conversation));
    return names.filter((name) => isPersonaId(name) && name === name.toLowerCase());
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

  /** The chosen id in `active_persona.txt`, if it holds a valid one. */
  async #chosen(conversation: string): Promise<string | undefined> {
    const file = activePersonaFile(this.#root, conversation);
    const text = (await this.#files.text(file))?.trim();
    if (text === undefined) return undefined;
    if (isPersonaId(text)) return text.toLowerCase();
    this.#warnOnce(`${file}: not a valid persona name, ignored`);
    return undefined;
  }

  /** An id typed by the person: an id, else the name of a persona they may use. */
  async #resolveName(conversation: string, name: string): Promise<string> {
    if (isPersonaId(name) && await this.#exists(conversation, name.toLowerCase())) {
      return name.toLowerCase();
    }
    const wanted = name.toLowerCase();
    const byName = (await this.available(conversation))
      .find((persona) => persona.manifest.name.toLowerCase() === wanted);
    if (byName !== undefined) return byName.id;
    // The id check's message is the useful one for a word no persona could have as its id.
    if (!/\s/.test(name)) personaId(name);
    throw new RangeError(`No persona ${JSON.stringify(name)}. Send /persona list to see them.`);
  }

  async #exists(conversation: string, id: string): Promise<boolean> {
    for (const dir of this.#dirs(conversation, id)) {
      if (await this.#files.text(join(dir, "persona.toml")) !== null) return true;
    }
    return false;
  }

  /** The persona if the conversation may use it, else why not. */
  async #refusal(
    conversation: string,
    id: string,
  ): Promise<{ persona: Persona; reason?: never } | { persona?: never; reason: string }> {
    let found: Persona | undefined;
    try {
      found = await this.#find(conversation, id);
    } catch (error) {
      if (!(error instanceof PersonaError)) throw error;
      this.#warnOnce(error.message);
      return { reason: `its package is invalid (${error.message})` };
    }
    if (found === undefined) return { reason: "there is no such persona" };
    const why = personaRefusal(conversation, found.manifest, this.#config.restrictions);
    return why === undefined ? { persona: found } : { reason: why };
  }

  /** The persona by id: the first `persona.toml` along its folders. */
  async #find(conversation: string, id: string): Promise<Persona | undefined> {
    const [user, global] = this.#config.allowUserPersonas
      ? [userPersonaDir(this.#root, conversation, id), globalPersonaDir(this.#root, id)]
      : [undefined, globalPersonaDir(this.#root, id)];
    if (user !== undefined) {
      const manifest = await this.#manifestAt(user, id);
      if (manifest !== undefined) return { id, manifest, source: "user" };
    }
    const manifest = await this.#manifestAt(global, id);
    return manifest === undefined ? undefined : { id, manifest, source: "global" };
  }

  /** The folders a persona's files are looked for in, in order. */
  #dirs(conversation: string, id: string): string[] {
    return this.#config.allowUserPersonas
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

  #warnOnce(line: string): void {
    if (this.#warned.has(line)) return;
    this.#warned.add(line);
    this.#warn(line);
  }
}
