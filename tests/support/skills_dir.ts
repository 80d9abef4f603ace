/**
 * User skills written by a test into a `skills.dir`, and a fake-LLM script that calls the
 * tool a message names.
 *
 * @module
 */
import { join } from "node:path";
import type { FakeHandler } from "./fake_llm.ts";

/** One user skill: its code and what its manifest adds to the defaults. */
export interface TestSkillFiles {
  /** `mod.ts`. */
  code: string;
  /** Top-level manifest lines, e.g. `isolation = "worker"`. @default {""} */
  manifest?: string;
  /** Lines of the `[capabilities]` table. @default {""} */
  capabilities?: string;
  /** More files in the skill's folder, by relative path. @default {{}} */
  files?: Record<string, string>;
}

/**
 * Writes skills into `dir`: each `{dir}/{name}/skill.toml` (taking an optional string
 * `text`) and `mod.ts`.
 */
export async function writeSkills(
  dir: string,
  skills: Record<string, TestSkillFiles>,
): Promise<void> {
  for (const [name, skill] of Object.entries(skills)) {
    const folder = join(dir, name);
    await Deno.mkdir(folder, { recursive: true });
    await Deno.writeTextFile(
      join(folder, "skill.toml"),
      `name = "${name}"\ndescription = "The ${name} skill"\n${skill.manifest ?? ""}\n` +
        `[parameters]\ntype = "object"\n[parameters.properties.text]\ntype = "string"\n` +
        `[capabilities]\n${skill.capabilities ?? ""}\n`,
    );
    await Deno.writeTextFile(join(folder, "mod.ts"), skill.code);
    for (const [path, text] of Object.entries(skill.files ?? {})) {
      await Deno.mkdir(join(folder, path, ".."), { recursive: true });
      await Deno.writeTextFile(join(folder, path), text);
    }
  }
}

/**
 * A fake-LLM script: `call <tool> [text]` makes the model call that tool (whether or not
 * it is offered) with `{text}` when given; once the result is back it answers
 * `done: <result>`; any other message is echoed.
 */
export const callNamedTool: FakeHandler = ({ last_user_text, last_is_tool_result }) => {
  if (last_is_tool_result) return undefined;
  const match = /^call (\w+)(?: (.+))?$/s.exec(last_user_text.trim());
  if (match === null) return undefined;
  const input = match[2] === undefined ? {} : { text: match[2] };
  return { tool_calls: [{ name: match[1]!, input }] };
};
