import {
  type Chunk,
  type ChunkSizeOptions,
  DEFAULT_CHUNK_TOKENS,
  DEFAULT_OVERLAP_TOKENS,
} from "./chunk.ts";
import { packUnits } from "./_pack.ts";
import { CHARS_PER_TOKEN, splitLong } from "./_text.ts";

/** Options of {@linkcode chunkMarkdown}. */
export interface ChunkMarkdownOptions extends ChunkSizeOptions {
  /** The date every chunk carries (a markdown file has one: its last change). */
  date: string;
}

const HEADING = /^#{1,6}\s/;
const FENCE = /^\s*(```|~~~)/;

interface LineUnit {
  line: number;
  text: string;
  chars: number;
}

/**
 * Cuts a markdown file into chunks: never across a heading (a heading with nothing under it
 * stays with the next section), each section packed by lines into chunks of about
 * `maxTokens` that repeat about `overlapTokens` of the previous one. A line longer than a
 * chunk is cut into pieces that all name that line. Blank lines at a chunk's edges are left
 * out of it, and blank sections make no chunk.
 *
 * @param text The file's text.
 * @example
 * ```ts
 * chunkMarkdown("# Pets\nA cat named Zorro\n", { date: "2026-11-27T10:00:00.000Z" });
 * // [{ lineFrom: 1, lineTo: 2, text: "# Pets\nA cat named Zorro", … }]
 * ```
 */
export function chunkMarkdown(text: string, options: ChunkMarkdownOptions): Chunk[] {
  const maxChars = (options.maxTokens ?? DEFAULT_CHUNK_TOKENS) * CHARS_PER_TOKEN;
  const overlapChars = (options.overlapTokens ?? DEFAULT_OVERLAP_TOKENS) * CHARS_PER_TOKEN;
  const chunks: Chunk[] = [];
  for (const section of sections(text.split("\n").map((line) => line.replace(/\r$/, "")))) {
    const units: LineUnit[] = section.flatMap(({ line, text }) =>
      splitLong(text, maxChars, overlapChars).map((piece) => ({
        line,
        text: piece,
        chars: piece.length,
      }))
    );
    for (const [start, end] of packUnits(units, maxChars, overlapChars)) {
      let from = start;
      let to = end;
      while (from < to && units[from]!.text.trim() === "") from++;
      while (to > from && units[to - 1]!.text.trim() === "") to--;
      if (from === to) continue;
      chunks.push({
        lineFrom: units[from]!.line,
        lineTo: units[to - 1]!.line,
        byteFrom: 0,
        seqFrom: -1,
        seqTo: -1,
        date: options.date,
        text: units.slice(from, to).map((unit) => unit.text).join("\n"),
      });
    }
  }
  return chunks;
}

/** The file's lines grouped by heading; blank sections dropped, bare headings joined on. */
function sections(lines: string[]): { line: number; text: string }[][] {
  const result: { line: number; text: string }[][] = [];
  let current: { line: number; text: string }[] = [];
  let fenced = false;
  const flush = () => {
    const body = current.filter((unit) => unit.text.trim() !== "");
    // A heading followed only by blank lines opens the next section rather than standing alone.
    const bareHeading = body.length > 0 && body.every((unit) => HEADING.test(unit.text));
    if (body.length > 0 && !bareHeading) {
      result.push(current);
      current = [];
    }
  };
  lines.forEach((text, index) => {
    if (FENCE.test(text)) fenced = !fenced;
    if (!fenced && HEADING.test(text)) flush();
    current.push({ line: index + 1, text });
  });
  if (current.some((unit) => unit.text.trim() !== "")) result.push(current);
  return result;
}
