/**
 * A sub-agent's persona: the prompt files of `{data dir}/personas/{id}/` (`identity.md`,
 * `personality.md`, `instructions.md`, `context.md`), read when the sub-agent starts.
 *
 * @module
 */

/** The files of a persona, in the order they make up the prompt. */
export const PERSONA_FILES = ["identity.md", "personality.md", "instructions.md", "context.md"];

/** Reads a file's text; `undefined` when there is none. */
export type ReadText = (path: string) => Promise<string | undefined>;

/** Reads with Deno: a missing file is `undefined`, any other failure throws. */
export const denoReadText: ReadText = async (path) => {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
};

/**
 * The prompt of a persona: its files that are not blank, joined by blank lines.
 *
 * @param dataDir The data directory
 * @param id The persona's id (validated by the config: letters, digits, `_`, `-`)
 * @param read Reads one file @default {denoReadText}
 * @returns The prompt, or `undefined` when the persona has no file
 */
export async function personaPrompt(
  dataDir: string,
  id: string,
  read: ReadText = denoReadText,
): Promise<string | undefined> {
  const texts = await Promise.all(
    PERSONA_FILES.map((name) => read(`${dataDir}/personas/${id}/${name}`)),
  );
  const parts = texts.filter((text) => text !== undefined && text.trim() !== "");
  return parts.length === 0 ? undefined : parts.map((text) => text!.trim()).join("\n\n");
}
