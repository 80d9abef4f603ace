/**
 * Greedy packing of units (lines, exchanges) into chunks with overlap. The packing of
 * everything from a chunk's start on depends only on the units from there: re-packing from
 * the start of the last chunk after units were appended gives what packing the whole list
 * again would, which is what lets a growing session be re-chunked from its end.
 *
 * @module
 */

/** Something to pack: its size in characters. */
export interface Unit {
  chars: number;
}

/**
 * Groups units into runs of at most `maxChars` (a single larger unit stays alone), each
 * run starting with the units of the previous run's end that fit in `overlapChars`, never
 * at the previous run's own start.
 *
 * @returns Half-open index ranges `[start, end)`, in order.
 */
export function packUnits(
  units: readonly Unit[],
  maxChars: number,
  overlapChars: number,
): [number, number][] {
  const groups: [number, number][] = [];
  let start = 0;
  while (start < units.length) {
    let end = start;
    let size = 0;
    while (end < units.length && (end === start || size + units[end]!.chars + 1 <= maxChars)) {
      size += units[end]!.chars + 1;
      end++;
    }
    groups.push([start, end]);
    if (end >= units.length) break;
    let next = end;
    let kept = 0;
    while (next - 1 > start && kept + units[next - 1]!.chars + 1 <= overlapChars) {
      kept += units[next - 1]!.chars + 1;
      next--;
    }
    start = next;
  }
  return groups;
}
