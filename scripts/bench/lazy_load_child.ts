/**
 * One measurement of {@link ./lazy_loads.ts}: loads the bundle's `run` chunk (the agent's code as
 * a running agent holds it), then times the import of one lazily loaded chunk and prints the time
 * and the RSS it added, as JSON.
 *
 * Arguments: the `run` chunk's path, then the part's.
 *
 * @module
 */
import { pathToFileURL } from "node:url";
import { procMemory } from "./proc_memory.ts";

const [run, part] = Deno.args;
await import(pathToFileURL(run!).href);
const before = procMemory(Deno.pid).rss_mb;
const started = performance.now();
await import(pathToFileURL(part!).href);
const ms = performance.now() - started;
console.log(JSON.stringify({ ms, added_rss_mb: procMemory(Deno.pid).rss_mb - before }));
