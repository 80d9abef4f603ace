import { dirname } from "node:path";

/** What an admin switched off with `/skill disable`, persisted across restarts. */
export interface SkillStateStore {
  /** The names of disabled skills. */
  load(): Promise<Set<string>>;
  save(disabled: ReadonlySet<string>): Promise<void>;
}

/**
 * Keeps the disabled skills in a JSON file (e.g. `{data dir}/skills/state.json`):
 * `{"disabled": ["web_search"]}`. Writes go to a temporary file renamed into place, so a
 * crash never leaves half a file.
 *
 * @param path The JSON file.
 */
export function skillStateFile(path: string): SkillStateStore {
  return {
    async load() {
      let text: string;
      try {
        text = await Deno.readTextFile(path);
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) return new Set();
        throw error;
      }
      const parsed = JSON.parse(text) as { disabled?: unknown };
      const disabled = Array.isArray(parsed.disabled) ? parsed.disabled : [];
      return new Set(disabled.filter((name): name is string => typeof name === "string"));
    },
    async save(disabled) {
      await Deno.mkdir(dirname(path), { recursive: true });
      const temporary = `${path}.tmp`;
      const body = JSON.stringify({ disabled: [...disabled].sort() }, null, 2) + "\n";
      await Deno.writeTextFile(temporary, body);
      await Deno.rename(temporary, path);
    },
  };
}

/** A {@linkcode SkillStateStore} in memory (tests, dry runs). */
export function memorySkillState(initial: Iterable<string> = []): SkillStateStore {
  let saved = new Set(initial);
  return {
    load: () => Promise.resolve(new Set(saved)),
    save: (disabled) => {
      saved = new Set(disabled);
      return Promise.resolve();
    },
  };
}
