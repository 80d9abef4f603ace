/**
 * Adding to shared memory: a contributor's fact becomes one line of the shared folder's
 * `facts.md`, with who added it and when. Admins curate the folder's files by hand.
 *
 * @module
 */
import { join } from "node:path";

/** The file facts are added to, in the shared folder. */
export const SHARED_FACTS_FILE = "facts.md";

/** Longest fact accepted, in characters. */
export const MAX_FACT_CHARS = 2000;

/** A fact as added. */
export interface SharedFact {
  /** Its source name (`shared/facts.md`). */
  source: string;
  /** The line it is on. */
  line: number;
  /** The line as written. */
  text: string;
}

/**
 * One fact as a markdown list line: whitespace and line breaks folded to single spaces,
 * control characters dropped, and a leading `#`, `>` or list marker escaped so that a fact
 * cannot open a heading or otherwise restructure the file.
 *
 * @throws {RangeError} When the fact is empty or longer than {@linkcode MAX_FACT_CHARS}.
 */
export function factLine(fact: string, contributor: string, now: Date): string {
  const text = fact.replace(/[\p{Cc}\p{Cf}]/gu, " ").replace(/\s+/g, " ").trim();
  if (text === "") throw new RangeError("The fact is empty");
  if (text.length > MAX_FACT_CHARS) {
    throw new RangeError(
      `The fact is ${text.length} characters long: at most ${MAX_FACT_CHARS} are kept`,
    );
  }
  const safe = /^[#>*+\-=`|]|^\d+[.)]/.test(text) ? `\\${text}` : text;
  return `- ${safe} (added by ${contributor}, ${now.toISOString().slice(0, 10)})`;
}

/**
 * Appends a fact to `{sharedDir}/facts.md`, creating the folder and the file (with a
 * heading) when missing.
 *
 * @returns Where it was written.
 */
export async function appendSharedFact(
  sharedDir: string,
  line: string,
): Promise<SharedFact> {
  const path = join(sharedDir, SHARED_FACTS_FILE);
  await Deno.mkdir(sharedDir, { recursive: true });
  let existing = "";
  try {
    existing = await Deno.readTextFile(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const prefix = existing === ""
    ? "# Shared facts\n\nAdded by contributors; edit freely.\n\n"
    : existing.endsWith("\n")
    ? ""
    : "\n";
  await Deno.writeTextFile(path, `${prefix}${line}\n`, { append: true });
  const lines = (existing + prefix).split("\n").length;
  return { source: `shared/${SHARED_FACTS_FILE}`, line: lines, text: line };
}
