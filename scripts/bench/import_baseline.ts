/**
 * The bench's memory baseline: a bare Deno process that imports the given modules and then
 * idles, printing `ready` once they are loaded. See {@link ./import_baseline_process.ts}.
 *
 * @module
 */
for (const specifier of Deno.args) await import(specifier);
console.log("ready");
setInterval(() => {}, 60_000);
