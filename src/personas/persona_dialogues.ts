/**
 * The questions `/persona create`, `/persona edit` and `/persona import` ask over the
 * conversation's next messages. Kept in memory only: a restart, `/persona cancel` or
 * `timeoutMs` of silence drops an unfinished one, and nothing is written until the last
 * answer is in.
 *
 * @module
 */
import type { Personas } from "./personas.ts";
import { PersonaError } from "./persona_error.ts";
import { parsePackage, type PersonaPackage } from "./persona_package.ts";

/** Options of {@linkcode PersonaDialogues}. */
export interface PersonaDialoguesOptions {
  /** The clock, in milliseconds. @default {Date.now} */
  now?: () => number;
  /** Silence after which an unfinished dialogue is dropped. @default {900000 (15 minutes)} */
  timeoutMs?: number;
}

/** The words that leave a prompt file out (tone, rules), or keep it as it is (edit). */
const NONE = "none";
const KEEP = "keep";

interface Questions {
  kind: "create" | "edit";
  /** The package as it will be written; its files are filled in as answers come. */
  pkg: PersonaPackage;
  /** The answers so far: role, tone, rules. */
  answers: string[];
  at: number;
}

type Pending = Questions | { kind: "import"; at: number };

const QUESTIONS = [
  'its role: who is it, what does it do? (e.g. "a patient maths tutor for beginners")',
  `its tone: how does it speak? ("${NONE}": the agent's usual tone)`,
  `its rules: what must it always or never do? ("${NONE}": the agent's usual instructions)`,
];

/** The pending questions of each conversation. */
export class PersonaDialogues {
  #personas: Personas;
  #now: () => number;
  #timeoutMs: number;
  #pending = new Map<string, Pending>();

  constructor(personas: Personas, options: PersonaDialoguesOptions = {}) {
    this.#personas = personas;
    this.#now = options.now ?? Date.now;
    this.#timeoutMs = options.timeoutMs ?? 15 * 60_000;
  }

  /**
   * Starts asking the three questions of a new package (or of an existing one, `edit`); the
   * first question.
   */
  ask(conversation: string, kind: "create" | "edit", pkg: PersonaPackage): string {
    this.#pending.set(conversation, { kind, pkg, answers: [], at: this.#now() });
    const intro = kind === "create"
      ? `Creating the persona "${pkg.manifest.id}": three questions. /persona cancel stops.`
      : `Editing the persona "${pkg.manifest.id}": three questions; "${KEEP}" keeps an answer ` +
        "as it is. /persona cancel stops.";
    return `${intro}\n${this.#question(conversation)}`;
  }

  /** Waits for a package as TOML in the next message; what to tell the person. */
  expectImport(conversation: string): string {
    this.#pending.set(conversation, { kind: "import", at: this.#now() });
    return "Send the persona as TOML in your next message (what /persona export gives). " +
      "/persona cancel stops.";
  }

  /** Drops the conversation's unfinished dialogue; whether there was one. */
  cancel(conversation: string): boolean {
    return this.#pending.delete(conversation);
  }

  /**
   * Takes a message as the answer to the conversation's pending question.
   *
   * @returns The reply (the next question, or the outcome), or `undefined` when nothing waits
   * for an answer (the message is an ordinary one).
   */
  async answer(conversation: string, text: string): Promise<string | undefined> {
    const pending = this.#pending.get(conversation);
    if (pending === undefined) return undefined;
    if (this.#now() - pending.at > this.#timeoutMs) {
      this.#pending.delete(conversation);
      return undefined;
    }
    pending.at = this.#now();
    if (pending.kind === "import") {
      this.#pending.delete(conversation);
      return await this.#import(conversation, text);
    }
    pending.answers.push(text.trim());
    if (pending.answers.length < QUESTIONS.length) return this.#question(conversation);
    this.#pending.delete(conversation);
    return await this.#finish(conversation, pending);
  }

  #question(conversation: string): string {
    const pending = this.#pending.get(conversation) as Questions;
    const n = pending.answers.length;
    const name = (["identity", "personality", "instructions"] as const)[n]!;
    const current = pending.kind === "edit" ? pending.pkg.files[name] : undefined;
    const now = current === undefined ? "" : `\nNow:\n${current.trim()}`;
    return `${n + 1}/3 — ${QUESTIONS[n]}${now}`;
  }

  async #finish(conversation: string, pending: Questions): Promise<string> {
    const [role, tone, rules] = pending.answers as [string, string, string];
    const { pkg } = pending;
    const files = { ...pkg.files };
    const id = pkg.manifest.id;
    const keep = (answer: string) => pending.kind === "edit" && answer.toLowerCase() === KEEP;
    const none = (answer: string) => answer.toLowerCase() === NONE;
    if (!keep(role)) files.identity = `You are "${pkg.manifest.name}". Your role: ${role}`;
    if (!keep(tone)) {
      if (none(tone)) delete files.personality;
      else files.personality = `Your tone: ${tone}`;
    }
    if (!keep(rules)) {
      if (none(rules)) delete files.instructions;
      else files.instructions = `Rules you follow:\n${rules}`;
    }
    const description = keep(role) ? pkg.manifest.description : summary(role);
    const next: PersonaPackage = { manifest: { ...pkg.manifest, description }, files };
    if (pending.kind === "create") {
      const refusal = await this.#roomFor(conversation, id);
      if (refusal !== undefined) return refusal;
    }
    await this.#personas.saveUserPackage(conversation, next);
    return pending.kind === "create"
      ? `Persona "${id}" created. /persona ${id} uses it; /persona export ${id} shows it.`
      : `Persona "${id}" saved.`;
  }

  async #import(conversation: string, text: string): Promise<string> {
    let pkg: PersonaPackage;
    try {
      pkg = parsePackage(text, "the message");
    } catch (error) {
      if (!(error instanceof PersonaError)) throw error;
      return `Not imported: ${error.message}. Nothing was saved; /persona import to try again.`;
    }
    if (pkg.manifest.defaults.tier !== undefined) {
      return "Not imported: the message: persona.defaults.tier: a persona of your own cannot " +
        "choose its model tier (the operator's personas do). Nothing was saved; " +
        "/persona import to try again.";
    }
    const refusal = await this.#roomFor(conversation, pkg.manifest.id);
    if (refusal !== undefined) return refusal;
    await this.#personas.saveUserPackage(conversation, pkg);
    const id = pkg.manifest.id;
    return `Persona "${id}" imported. /persona ${id} uses it.`;
  }

  /** Why a new package of this id cannot be added, if it cannot. */
  async #roomFor(conversation: string, id: string): Promise<string | undefined> {
    const ids = await this.#personas.userIds(conversation);
    if (ids.includes(id)) {
      return `You already have a persona "${id}": /persona edit ${id} changes it, ` +
        `/persona delete ${id} removes it. Nothing was saved.`;
    }
    const max = this.#personas.maxUserPersonas;
    if (ids.length >= max) {
      return `You have ${ids.length} personas of your own, the most allowed ` +
        `(personas.max_user_personas = ${max}): /persona delete one first. Nothing was saved.`;
    }
    return undefined;
  }
}

/** A description from the role: its first line, at most 120 characters. */
function summary(role: string): string {
  const line = role.split("\n")[0]!.trim();
  return line.length <= 120 ? line : `${line.slice(0, 119)}…`;
}
