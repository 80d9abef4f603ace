/**
 * The end of every bench mode: the figures as a table, the run's total time, and with
 * `--json FILE` the figures written to FILE.
 *
 * @module
 */
import { cleanUp } from "./cleanup.ts";

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

/**
 * Runs a bench mode: measures, stops every process started (whatever happened), then prints
 * the figures.
 *
 * @param measure The run.
 * @param format The figures as a table.
 * @param options `json`: the `--json` file; `started`: the run's start (@default {now});
 * `stopping`: called before the processes are stopped.
 * @returns The exit code: 0 when the run completed, 1 when it failed.
 */
export async function runBenchMode<T>(
  measure: () => Promise<T>,
  format: (figures: T) => string,
  options: { json: string | undefined; started?: number; stopping?: () => void },
): Promise<number> {
  const started = options.started ?? performance.now();
  let figures: T;
  try {
    figures = await measure();
  } catch (error) {
    console.error(`bench: failed: ${error instanceof Error ? error.stack : String(error)}`);
    return 1;
  } finally {
    options.stopping?.();
    await cleanUp();
  }
  await printFigures(format(figures), figures, { started, json: options.json });
  return 0;
}
