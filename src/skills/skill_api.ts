/**
 * What a skill's code may import from the agent: the types of its `run` function. Import
 * it as `@fluux/skill` (deno.json maps it here); a skill's code may import nothing else
 * from outside its own folder.
 *
 * @example
 * ```ts
 * import type { SkillRun } from "@fluux/skill";
 *
 * export const run: SkillRun = (input) => `Hello, ${String(input.name)}`;
 * ```
 *
 * @module
 */
export type { SkillContext, SkillOutput, SkillOutputFile, SkillRun } from "./skill_protocol.ts";
