import assert from "node:assert/strict";
import { lazyChunks } from "./lazy_loads.ts";

/** A bundle's shape as `deno bundle --code-splitting` writes it, minified. */
function bundle(overrides: Record<string, string> = {}): Map<string, string> {
  return new Map(Object.entries({
    "main.js": 'import"./chunk-A.js";await import("./run-R.js");',
    "run-R.js": 'import{a}from"./chunk-A.js";import"./chunk-S.js";' +
      'const l=()=>import("./anthropic-1.js"),o=()=>import("./ollama-2.js"),' +
      'p=()=>import("./openai-3.js"),w=()=>import("./mod-W.js"),' +
      's=()=>import("./mod-Q.js"),c=()=>import("./0.13-C.js");var x="jabber:component:accept";',
    "chunk-A.js": "export const a=1;",
    "chunk-S.js": 'var shared="vec0 x-hub-signature-256";',
    "anthropic-1.js": 'import{k}from"./chunk-K.js";',
    "ollama-2.js": 'import{k}from"./chunk-K.js";',
    "openai-3.js": 'import{k}from"./chunk-K.js";',
    "chunk-K.js": 'var k="jabber:component:accept vec0";export{k};',
    "mod-W.js": 'import{a}from"./chunk-A.js";var h="x-hub-signature-256";',
    "mod-Q.js": 'import{v}from"./chunk-V.js";import"./chunk-A.js";',
    "chunk-V.js": 'var v="CREATE VIRTUAL TABLE t USING vec0";export{v};',
    "0.13-C.js": 'var n="jabber:component:accept",h="handshake";',
    ...overrides,
  }));
}

Deno.test("lazyChunks() finds each part by its chunk's name or by code only it loads", () => {
  assert.deepEqual(
    Object.fromEntries(lazyChunks(bundle())),
    {
      "anthropic": "anthropic-1.js",
      "ollama": "ollama-2.js",
      "openai": "openai-3.js",
      "webhooks": "mod-W.js",
      "memory search": "mod-Q.js",
      "@xmpp/component": "0.13-C.js",
    },
  );
});

Deno.test("lazyChunks() fails, naming the part, when the bundle's shape changed", () => {
  assert.throws(
    () => lazyChunks(bundle({ "mod-W.js": 'import{a}from"./chunk-A.js";' })),
    /No lazily loaded chunk holds webhooks/,
  );
  assert.throws(
    () => lazyChunks(bundle({ "mod-W.js": 'var h="x-hub-signature-256 vec0";' })),
    /Two chunks hold memory search: mod-W\.js, mod-Q\.js/,
  );
  assert.throws(() => lazyChunks(new Map([["main.js", ""]])), /no run chunk/);
});
