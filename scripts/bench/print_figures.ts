/**
 * The end of every bench mode: the figures as a table, the run's total time, and with
 * `--json FILE` the figures written to FILE.
 *
 * @module
 */

/**
 * Prints `table` and the time since `started`, and writes `figures` to `json` when given.
 *
 * @param table The figures formatted for a person.
 * @param figures The figures as one JSON value.
 * @param options `started`: `performance.now()` at the run's start; `json`: the `--json` file.
 */
export async function printFigures(
  table: string,
  figures: unknown,
  options: { started: number; json: string | undefined },
): Promise<void> {
  console.log(table);
  console.log(`\nTotal bench time: ${((performance.now() - options.started) / 1000).toFixed(1)} s`);
  if (options.json !== undefined) {
    await Deno.writeTextFile(options.json, JSON.stringify(figures, null, 2) + "\n");
    console.log(`Figures written to ${options.json}`);
  }
}
