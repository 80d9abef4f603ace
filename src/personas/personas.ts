/**
 * The personas of every conversation: which one is active (the conversation's choice in
 * `active_persona.txt`, else `[personas] default`), who may use which, and what the active one
 * changes in a turn. Each prompt file resolves on its own: the conversation's
 * `{jid}/identity.md` (applied by the memory store), then `{jid}/personas/{id}/`, then
 * `personas/{id}/`, then the global file.
 *
 * @module
 */
import type { PromptLayer } from "../memory/mod.ts";
import { personaRefusal, type PersonaRestriction } from "./persona_access.ts";
import { PersonaError } from "./persona_error.ts";
import type { PersonaFs } from "./persona_fs.ts";
import { isPersonaId, personaId } from "./persona_id.ts";
import type { PersonaPackage } from "./persona_package.ts";
import { type Persona, PersonaPackages } from "./persona_packages.ts";
import { activePersonaFile } from "./persona_paths.ts";
import { ReadCache } from "./_read_cache.ts";

export type { Persona } from "./persona_packages.ts";

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

/** What a persona changes in a turn. */
export interface PersonaTurn {
  id: string;
  /** Its prompt files, used where the conversation has none of its own. */
  prompt: PromptLayer;
  /** The tier of its answers, in place of `standard` (the operator's packages only). */
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

type Usable = { persona: Persona; reason?: never } | { persona?: never; reason: string };

/** Personas for every conversation; see the module doc. */
export class Personas {
  #root: string;
  #files: ReadCache;
  #packages: PersonaPackages;
  #default: string | undefined;
  #restrictions: readonly PersonaRestriction[];
  #allowUserPersonas: boolean;
  #maxUserPersonas: number;
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
    this.#allowUserPersonas = options.allowUserPersonas ?? false;
    this.#packages = new PersonaPackages(root, this.#files, this.#allowUserPersonas);
    this.#default = options.default;
    this.#restrictions = options.restrictions ?? [];
    this.#maxUserPersonas = options.maxUserPersonas ?? 5;
    this.#warn = options.warn ?? (() => {});
  }

  /** Whether conversations may make their own personas. */
  get allowUserPersonas(): boolean {
    return this.#allowUserPersonas;
  }

  /** How many of its own a conversation may keep. */
  get maxUserPersonas(): number {
    return this.#maxUserPersonas;
  }

  /**
   * Problems to report at start: every operator package that is invalid, and a default that
   * names no valid package.
   */
  async check(): Promise<{ problems: string[]; defaultMissing?: string }> {
    const { ids, problems } = await this.#packages.checkGlobal();
    const fallback = this.#default;
    return fallback === undefined || ids.includes(fallback)
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
    const prompt = await this.#packages.promptLayer(conversation, persona.id);
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
      const usable = await this.#usable(conversation, chosen);
      if (usable.persona !== undefined) return { persona: usable.persona, chosen: true };
      ignored = { id: chosen, why: usable.reason };
    }
    const result: ActivePersona = { chosen: false, ...(ignored === undefined ? {} : { ignored }) };
    if (this.#default === undefined) return result;
    const usable = await this.#usable(conversation, this.#default);
    return usable.persona === undefined ? result : { ...result, persona: usable.persona };
  }

  /**
   * Makes a persona the conversation's choice, kept in `active_persona.txt`.
   *
   * @param name An id, or a persona's name as shown by `/persona list`.
   * @throws {RangeError} With a message for the person: no such persona, or not allowed here.
   * @throws {TypeError} When the name could not be an id and is no persona's name.
   */
  async choose(conversation: string, name: string): Promise<Persona> {
    const id = await this.#resolveName(conversation, name);
    const usable = await this.#usable(conversation, id);
    if (usable.persona === undefined) {
      throw new RangeError(`Persona ${JSON.stringify(name)} cannot be used here: ${usable.reason}`);
    }
    await this.#files.write(activePersonaFile(this.#root, conversation), `${id}\n`);
    return usable.persona;
  }

  /** Forgets the conversation's choice; the persona now active (the default), if any. */
  async reset(conversation: string): Promise<ActivePersona> {
    await this.#files.remove(activePersonaFile(this.#root, conversation));
    return await this.active(conversation);
  }

  /** The personas a conversation may use, by id; invalid ones are left out. */
  async available(conversation: string): Promise<Persona[]> {
    const personas: Persona[] = [];
    for (const id of await this.#packages.ids(conversation)) {
      const usable = await this.#usable(conversation, id);
      if (usable.persona !== undefined) personas.push(usable.persona);
    }
    return personas;
  }

  /** The ids of the conversation's own packages (none when user personas are off). */
  userIds(conversation: string): Promise<string[]> {
    return this.#packages.userIds(conversation);
  }

  /** One of the conversation's own packages, whole; `undefined` when it has none by that id. */
  userPackage(conversation: string, id: string): Promise<PersonaPackage | undefined> {
    return this.#packages.userPackage(conversation, id);
  }

  /** Writes one of the conversation's own packages. */
  saveUserPackage(conversation: string, pkg: PersonaPackage): Promise<void> {
    return this.#packages.saveUserPackage(conversation, pkg);
  }

  /** Deletes one of the conversation's own packages; whether it existed. */
  deleteUserPackage(conversation: string, id: string): Promise<boolean> {
    return this.#packages.deleteUserPackage(conversation, id);
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
    const id = name.toLowerCase();
    if (isPersonaId(name) && await this.#packages.exists(conversation, id)) return id;
    const byName = (await this.available(conversation))
      .find((persona) => persona.manifest.name.toLowerCase() === id);
    if (byName !== undefined) return byName.id;
    // The id check's message is the useful one for a word no persona could have as its id.
    if (!/\s/.test(name)) personaId(name);
    throw new RangeError(`No persona ${JSON.stringify(name)}. Send /persona list to see them.`);
  }

  /** The persona if the conversation may use it, else why not. */
  async #usable(conversation: string, id: string): Promise<Usable> {
    let found: Persona | undefined;
    try {
      found = await this.#packages.find(conversation, id);
    } catch (error) {
      if (!(error instanceof PersonaError)) throw error;
      this.#warnOnce(error.message);
      return { reason: `its package is invalid (${error.message})` };
    }
    if (found === undefined) return { reason: "there is no such persona" };
    const why = personaRefusal(conversation, found.manifest, this.#restrictions);
    return why === undefined ? { persona: found } : { reason: why };
  }

  #warnOnce(line: string): void {
    if (this.#warned.has(line)) return;
    this.#warned.add(line);
    this.#warn(line);
  }
}
