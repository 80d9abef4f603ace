import type { ToolDefinition } from "../llm/mod.ts";
import type { Logger } from "../log/mod.ts";
import { credentialEnvName, type CredentialSources, resolveCredential } from "./credentials.ts";
import type { SkillManifest } from "./manifest.ts";
import { skillIsolation, type SkillSource } from "./skill_source.ts";
import type { SkillStateStore } from "./skill_state_file.ts";

export type { SkillSource };

/** Whether a skill is offered to the LLM, and why not. */
export type SkillStatus = "enabled" | "disabled" | "unavailable";

/** A skill as the registry holds it. */
export interface SkillEntry {
  manifest: SkillManifest;
  module: URL;
  builtin: boolean;
  /** A user skill's folder (see {@linkcode SkillSource.folder}). */
  folder?: string;
  /** Whether the operator trusts it (built-ins always). */
  trusted: boolean;
  /** Where it runs: a user skill the operator does not trust always runs in a process. */
  isolation: "worker" | "process";
  settings: Record<string, unknown>;
  /** See {@linkcode SkillSource.allowPrivateNetwork}. */
  allowPrivateNetwork: boolean;
  /** `disabled`: by an admin; `unavailable`: cannot run (see `reason`). */
  status: SkillStatus;
  reason?: string;
}

/** Options for {@linkcode SkillRegistry.create}. */
export interface SkillRegistryOptions {
  /** Where admin enable/disable choices persist. */
  state: SkillStateStore;
  /** Where credentials are looked up (see `resolveCredential`). */
  credentials: CredentialSources;
  /** Warnings for skills that cannot run. @default silent */
  logger?: Logger;
}

/**
 * The skills the agent knows: built-ins and user skills, each enabled, disabled by an
 * admin (persisted), or unavailable (a credential is missing). Only enabled skills become
 * tools; credentials stay inside the registry and go only to their own skill's calls.
 */
export class SkillRegistry {
  #entries: Map<string, SkillEntry>;
  #credentials: Map<string, Record<string, string>>;
  #state: SkillStateStore;
  #disabled: Set<string>;

  private constructor(
    entries: Map<string, SkillEntry>,
    credentials: Map<string, Record<string, string>>,
    init: { state: SkillStateStore; disabled: Set<string> },
  ) {
    this.#entries = entries;
    this.#credentials = credentials;
    this.#state = init.state;
    this.#disabled = init.disabled;
  }

  /**
   * Builds the registry: resolves each skill's credentials (a skill missing one is
   * unavailable, with a warning naming what to set) and applies the persisted choices.
   * A second skill with a name already taken is skipped with a warning.
   */
  static async create(
    sources: readonly SkillSource[],
    options: SkillRegistryOptions,
  ): Promise<SkillRegistry> {
    const disabled = await options.state.load();
    const entries = new Map<string, SkillEntry>();
    const credentials = new Map<string, Record<string, string>>();
    for (const source of sources) {
      const { name } = source.manifest;
      if (entries.has(name)) {
        options.logger?.warn(`Skill ${JSON.stringify(name)} is defined twice; keeping the first`);
        continue;
      }
      const values: Record<string, string> = {};
      const missing: string[] = [];
      // A refused skill never runs: its credentials are not even looked up.
      const wanted = source.refused === undefined ? source.manifest.capabilities.credentials : [];
      for (const credential of wanted) {
        const found = await resolveCredential(credential, name, {
          ...options.credentials,
          config: source.credentialValues ?? {},
        });
        if (found === undefined) missing.push(credential);
        else values[credential] = found.value;
      }
      const entry: SkillEntry = {
        manifest: source.manifest,
        module: source.module,
        builtin: source.builtin,
        ...(source.folder === undefined ? {} : { folder: source.folder }),
        trusted: source.builtin || source.trusted === true,
        isolation: skillIsolation(source),
        settings: source.settings ?? {},
        allowPrivateNetwork: source.allowPrivateNetwork ?? false,
        status: disabled.has(name) ? "disabled" : "enabled",
      };
      if (source.refused !== undefined) {
        entry.status = "unavailable";
        entry.reason = `refused: ${source.refused}`;
        options.logger?.warn(`Skill ${JSON.stringify(name)} is refused: ${source.refused}`);
      } else if (missing.length > 0) {
        entry.status = "unavailable";
        entry.reason = missing.map((credential) => missingCredentialHint(name, credential)).join(
          "; ",
        );
        options.logger?.warn(`Skill ${JSON.stringify(name)} is disabled: ${entry.reason}`);
      } else if (entry.status === "disabled") entry.reason = "disabled by an admin";
      entries.set(name, entry);
      credentials.set(name, values);
    }
    return new SkillRegistry(entries, credentials, { state: options.state, disabled });
  }

  /** Every skill, sorted by name. */
  list(): SkillEntry[] {
    return [...this.#entries.values()].sort((a, b) => compare(a.manifest.name, b.manifest.name));
  }

  /** The skills offered to the LLM, sorted by name. */
  enabled(): SkillEntry[] {
    return this.list().filter((entry) => entry.status === "enabled");
  }

  /** A skill by name, whatever its status. */
  get(name: string): SkillEntry | undefined {
    return this.#entries.get(name);
  }

  /** The tool definitions of the enabled skills, sorted by name, for the LLM request. */
  toolDefinitions(): ToolDefinition[] {
    return this.enabled().map(({ manifest }) => ({
      name: manifest.name,
      description: manifest.description,
      input_schema: manifest.parameters,
    }));
  }

  /** The credentials of one skill, for its own calls only. */
  credentialsFor(name: string): Record<string, string> {
    return { ...(this.#credentials.get(name) ?? {}) };
  }

  /** Every credential value, to scrub from logs, audit and `/status`. */
  secrets(): string[] {
    return [...this.#credentials.values()].flatMap((values) => Object.values(values));
  }

  /**
   * Enables a skill an admin had disabled, and persists the choice.
   *
   * @throws {RangeError} When the skill is unknown or cannot run (its reason says why).
   */
  async enable(name: string): Promise<void> {
    const entry = this.#require(name);
    if (entry.status === "unavailable") {
      throw new RangeError(`Skill ${JSON.stringify(name)} cannot be enabled: ${entry.reason}`);
    }
    this.#disabled.delete(name);
    await this.#state.save(this.#disabled);
    entry.status = "enabled";
    delete entry.reason;
  }

  /**
   * Disables a skill and persists the choice (it survives restarts).
   *
   * @throws {RangeError} When the skill is unknown.
   */
  async disable(name: string): Promise<void> {
    const entry = this.#require(name);
    this.#disabled.add(name);
    await this.#state.save(this.#disabled);
    if (entry.status === "enabled") {
      entry.status = "disabled";
      entry.reason = "disabled by an admin";
    }
  }

  #require(name: string): SkillEntry {
    const entry = this.#entries.get(name);
    if (entry === undefined) {
      const known = this.list().map((skill) => skill.manifest.name).join(", ") || "none";
      throw new RangeError(`Unknown skill ${JSON.stringify(name)}; known skills: ${known}`);
    }
    return entry;
  }
}

/** The warning for a missing credential: every place it may be set. */
export function missingCredentialHint(skill: string, credential: string): string {
  return `missing credential ${JSON.stringify(credential)}: set ${credentialEnvName(credential)} ` +
    `(environment or .env), or write it to ~/.fluux-agent/credentials/${skill}/${credential}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
