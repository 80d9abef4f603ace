import assert from "node:assert/strict";
import { importReferences } from "./import_references.ts";

const specifiers = (source: string) => importReferences(source).map((ref) => ref.specifier);

Deno.test("importReferences() finds static, re-export, side-effect and dynamic imports", () => {
  const source = `
import a from "./a.ts";
import type { B } from './b.ts';
import * as c from "./c.ts";
import d, { e as f } from "./d.ts";
import "./side.ts";
export * from "./star.ts";
export * as ns from "./ns.ts";
export { g, h as i } from "./g.ts";
export type { J } from "./j.ts";
import k = require("./k.js");
const l = await import("./l.ts");
const m = await import(\`./m.ts\`);
type N = typeof import("./n.ts");
export const o = 1;
export default function p() {}
`;
  assert.deepEqual(specifiers(source), [
    "./a.ts",
    "./b.ts",
    "./c.ts",
    "./d.ts",
    "./side.ts",
    "./star.ts",
    "./ns.ts",
    "./g.ts",
    "./j.ts",
    "./k.js",
    "./l.ts",
    "./m.ts",
    "./n.ts",
  ]);
  assert.deepEqual(importReferences(source).map((ref) => ref.line), [
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    9,
    10,
    11,
    12,
    13,
    14,
  ]);
});

Deno.test("importReferences() reads import attributes", () => {
  const refs = importReferences(`
import config from "/srv/agent.toml" with { type: "text" };
import data from "./d.json" assert { type: "json" };
const raw = await import("/etc/shadow", { with: { "type": "bytes" } });
`);
  assert.deepEqual(refs.map((ref) => [ref.specifier, ref.kind, ref.type]), [
    ["/srv/agent.toml", "static", "text"],
    ["./d.json", "static", "json"],
    ["/etc/shadow", "dynamic", "bytes"],
  ]);
});

Deno.test("importReferences() reports imports whose specifier is computed", () => {
  const refs = importReferences(`
const name = "npm:" + "left-pad";
await import(name);
await import(\`npm:\${name}\`);
await import("file://" + name, { with: { type: "text" } });
`);
  assert.deepEqual(refs.map((ref) => [ref.specifier, ref.kind, ref.line]), [
    [undefined, "dynamic", 3],
    [undefined, "dynamic", 4],
    [undefined, "dynamic", 5],
  ]);
});

Deno.test("importReferences() ignores imports inside comments, strings, templates and regexes", () => {
  const source = `
// import a from "/etc/passwd";
/* import b from "/etc/passwd"; */
const c = "import c from '/etc/passwd'";
const d = \`import d from "/etc/passwd"\`;
const e = /import e from "\\/etc\\/passwd"/;
const f = 4 / 2; const g = "./real.ts";
import h from "./h.ts";
`;
  assert.deepEqual(specifiers(source), ["./h.ts"]);
});

Deno.test("importReferences() finds an import inside a template substitution", () => {
  assert.deepEqual(specifiers("const x = `a ${await import('./inner.ts')} b`;"), ["./inner.ts"]);
});

Deno.test("importReferences() is not fooled by members, keys, methods and import.meta", () => {
  const source = `
obj.import("./no1.ts");
obj?.import("./no2.ts");
const o = { import: 1, import() { return 2; } };
class A { import(x: string): number { return 1; } #import() {} }
console.log(import.meta.url);
const spread = [...await import("./yes.ts")];
`;
  assert.deepEqual(specifiers(source), ["./yes.ts"]);
});

Deno.test("importReferences() decodes escapes in a specifier", () => {
  assert.deepEqual(specifiers('import a from "\\u002e\\x2e/\\u{2e}\\u002e/etc/passwd";'), [
    "../../etc/passwd",
  ]);
});

Deno.test("importReferences() ends a line comment at every line terminator", () => {
  assert.deepEqual(specifiers('// hidden?\u2028import a from "/etc/passwd";'), ["/etc/passwd"]);
  assert.deepEqual(specifiers('// hidden?\rimport b from "/etc/hosts";'), ["/etc/hosts"]);
});

Deno.test("importReferences() reads type and JSX directives in comments", () => {
  const refs = importReferences(`
// @deno-types="../outside.d.ts"
import x from "./x.js";
/// <reference types="npm:@types/node" />
/** @jsxImportSource npm:preact */
`);
  assert.deepEqual(refs.map((ref) => [ref.specifier, ref.kind]), [
    ["../outside.d.ts", "directive"],
    ["./x.js", "static"],
    ["npm:@types/node", "directive"],
    ["npm:preact", "directive"],
  ]);
});

Deno.test("importReferences() reports an import declaration it cannot read", () => {
  assert.deepEqual(importReferences("import x from name;"), [
    { specifier: undefined, kind: "static", line: 1 },
  ]);
});
