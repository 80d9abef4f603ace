/**
 * Facts added to a conversation's `memory.md`: under a dated heading, each once. A fact
 * already in the file (whatever its case, spacing or list marker) is not written again, so
 * that flushing the same messages twice, or remembering what a flush found, adds nothing.
 *
 * @module
 */

/**
 * The text to append to `memory.md` for new facts, or `""` when every one is there already.
 *
 * @param existing The file's text (`""` when missing).
 * @param facts The facts, one per item (list markers allowed).
 * @param date The day they are noted.
 * @example
 * ```ts
 * notesToAppend("", ["Alice's cat is Tom"], new Date("2026-12-01")); // "\n## 2026-12-01\n- Alice's cat is Tom\n"
 * ```
 */
export function notesToAppend(existing: string, facts: readonly string[], date: Date): string {
  const known = new Set(existing.split("\n").map(normalise).filter((line) => line !== ""));
  const fresh: string[] = [];
  for (const fact of facts) {
    const text = fact.replace(/^\s*(?:[-*•]|\d+[.)])\s*/, "").replaceAll(/\s+/g, " ").trim();
    const key = normalise(text);
    if (key === "" || known.has(key)) continue;
    known.add(key);
    fresh.push(`- ${text}`);
  }
  if (fresh.length === 0) return "";
  const heading = `## ${date.toISOString().slice(0, 10)}`;
  // A second note on the same day goes under the heading already at the end of the file.
  const lastHeading = existing.split("\n").findLast((line) => line.startsWith("## "));
  const lead = existing === "" ? "" : existing.endsWith("\n") ? "" : "\n";
  const head = lastHeading?.trim() === heading ? "" : `${existing === "" ? "" : "\n"}${heading}\n`;
  return `${lead}${head}${fresh.join("\n")}\n`;
}

/**
 * Facts from a model's answer: its list items, or its lines; `NONE` (or nothing) is none. At
 * most 20, each at most 300 characters (a longer line is not one fact, and is left out).
 *
 * @param answer The text the flush call returned.
 */
export function parseFacts(answer: string): string[] {
  return answer.split("\n").map((line) => line.trim()).filter((line) =>
    line !== "" && !/^none\.?$/i.test(line) && !line.startsWith("#") &&
    line.length <= MAX_FACT_CHARS
  ).slice(0, MAX_FACTS);
}

/** The most facts one flush adds: an answer listing more is not a list of facts. */
const MAX_FACTS = 20;
/** The longest fact kept, in characters. */
const MAX_FACT_CHARS = 300;

function normalise(line: string): string {
  return line.replace(/^\s*(?:[-*•]|\d+[.)])\s*/, "").replaceAll(/\s+/g, " ").trim()
    .replace(/[.!]$/, "").toLowerCase();
}
