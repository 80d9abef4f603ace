/**
 * Loads each chunk of a bundle once and exits, allowed to read the bundle's folder and nothing
 * else: Deno then writes the chunks' code cache, without which the agent's first start from a
 * new bundle compiles them and keeps the result, about 55 MB more for as long as it runs (see
 * {@link ./agent_bundle.ts}).
 *
 * Arguments: the bundle folder's URL, then the chunks' file names.
 *
 * @module
 */
const [folder, ...chunks] = Deno.args;
for (const chunk of chunks) {
  // A chunk whose top level needs a permission still leaves its compiled code behind.
  await import(new URL(chunk, folder).href).catch(() => {});
}
