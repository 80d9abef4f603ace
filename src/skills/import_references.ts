/**
 * Finds the modules a JavaScript or TypeScript source file refers to, without running it:
 * `import … from "x"`, `import "x"`, `export … from "x"`, `import("x")`, TypeScript's
 * `import x = require("x")` and `import("x")` types, and the `@deno-types`,
 * `/// <reference>` and `@jsxImportSource` comments. A small lexer skips comments,
 * strings, template literals and regular expressions so that text inside them is not
 * taken for an import. It is the check a skill's code passes before it loads; the sandbox
 * still confines what loads at run time, so a construct this lexer reads differently from
 * Deno cannot widen what a skill reaches.
 *
 * @module
 */
import { type Token, tokenize } from "./_js_tokens.ts";

/** One module reference in a source file. */
export interface ImportReference {
  /** The specifier, escapes decoded; `undefined` for `import(expression)`. */
  specifier: string | undefined;
  /** `static`: import/export declarations; `dynamic`: `import(…)`; `directive`: a comment. */
  kind: "static" | "dynamic" | "directive";
  /** The `type` import attribute (`"json"`, `"text"`, `"bytes"`), when one is given. */
  type?: string;
  /** 1-based line of the reference. */
  line: number;
}

const DIRECTIVES = [
  /@deno-types\s*=\s*["']([^"'\n]+)["']/g,
  /<reference\s+(?:path|types)\s*=\s*["']([^"'\n]+)["']/g,
  /@jsxImportSource(?:Types)?\s+([^\s*]+)/g,
];

/**
 * The module references of a source file, in order.
 *
 * @param source The file's text.
 * @example
 * ```ts
 * importReferences('import a from "./a.ts";\nconst b = await import("./b.ts");');
 * // [{specifier: "./a.ts", kind: "static", line: 1}, {specifier: "./b.ts", kind: "dynamic", line: 2}]
 * ```
 */
export function importReferences(source: string): ImportReference[] {
  const references: ImportReference[] = [];
  const tokens = tokenize(source, (comment, line) => {
    for (const pattern of DIRECTIVES) {
      for (const match of comment.matchAll(pattern)) {
        references.push({ specifier: match[1]!, kind: "directive", line });
      }
    }
  });
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind !== "name" || token.inexact) continue;
    if (token.value === "import" && !isMember(tokens, i)) {
      const found = readImport(tokens, i);
      if (found !== undefined) references.push(found);
    } else if (token.value === "export" && !isMember(tokens, i)) {
      const found = readExportFrom(tokens, i);
      if (found !== undefined) references.push(found);
    }
  }
  return references.sort((a, b) => a.line - b.line);
}

/** `a.import`, `a?.import`, `#import`: a property, not the keyword (`...import()` is). */
function isMember(tokens: Token[], i: number): boolean {
  const before = tokens[i - 1];
  if (before?.kind !== "punct") return false;
  if (before.value === "#") return true;
  return before.value === "." && tokens[i - 2]?.value !== ".";
}

function readImport(tokens: Token[], at: number): ImportReference | undefined {
  const keyword = tokens[at]!;
  const next = tokens[at + 1];
  if (next === undefined) return undefined;
  if (next.kind === "punct" && next.value === "(") return readDynamic(tokens, at + 1, keyword.line);
  // import.meta, an object key, a class field: not an import.
  if (next.kind === "punct" && [".", ":", "=", ",", ")", "}", ";", "?"].includes(next.value)) {
    return undefined;
  }
  if (isLiteral(next)) {
    return withType({ specifier: next.value, kind: "static", line: keyword.line }, tokens, at + 2);
  }
  // A declaration: the specifier follows `from`, or `require(` in `import x = require("…")`.
  let depth = 0;
  for (let i = at + 1; i < tokens.length && i < at + 20_000; i++) {
    const token = tokens[i]!;
    if (token.kind === "punct") {
      if (token.value === "{") depth++;
      else if (token.value === "}") depth--;
      else if (token.value === ";" && depth <= 0) break;
      continue;
    }
    if (depth > 0 || token.kind !== "name") continue;
    const after = tokens[i + 1];
    if (token.value === "from" && after !== undefined && isLiteral(after)) {
      return withType(
        { specifier: after.value, kind: "static", line: keyword.line },
        tokens,
        i + 2,
      );
    }
    if (token.value === "require" && tokens[i + 1]?.value === "(") {
      const argument = tokens[i + 2];
      return {
        specifier: argument !== undefined && isLiteral(argument) ? argument.value : undefined,
        kind: "static",
        line: keyword.line,
      };
    }
  }
  // An `import` this lexer cannot read is reported as one it cannot check.
  return { specifier: undefined, kind: "static", line: keyword.line };
}

function readDynamic(tokens: Token[], open: number, line: number): ImportReference | undefined {
  const close = matching(tokens, open);
  const first = tokens[open + 1];
  const after = tokens[open + 2];
  // `import("./a" + name)` starts with a literal but is computed.
  const alone = after?.kind === "punct" && (after.value === ")" || after.value === ",");
  if (first !== undefined && isLiteral(first) && alone) {
    const reference: ImportReference = { specifier: first.value, kind: "dynamic", line };
    const type = attributeType(tokens, open + 2, close);
    return type === undefined ? reference : { ...reference, type };
  }
  // `import() {` or `import(a): T {`: a method named import in a class or object.
  const next = tokens[close + 1];
  if (next?.kind === "punct" && (next.value === "{" || next.value === ":")) return undefined;
  if (first?.kind === "punct" && first.value === ")") return undefined;
  return { specifier: undefined, kind: "dynamic", line };
}

function readExportFrom(tokens: Token[], at: number): ImportReference | undefined {
  let i = at + 1;
  if (tokens[i]?.kind === "name" && tokens[i]?.value === "type") i++;
  const token = tokens[i];
  if (token?.kind !== "punct") return undefined;
  if (token.value === "*") {
    i++;
    if (tokens[i]?.value === "as") i += 2;
  } else if (token.value === "{") i = matching(tokens, i) + 1;
  else return undefined;
  const from = tokens[i];
  const specifier = tokens[i + 1];
  if (from?.kind !== "name" || from.value !== "from" || specifier === undefined) return undefined;
  const line = tokens[at]!.line;
  if (!isLiteral(specifier)) return { specifier: undefined, kind: "static", line };
  return withType({ specifier: specifier.value, kind: "static", line }, tokens, i + 2);
}

/** Adds the `type` of a `with { type: "…" }` (or `assert`) clause starting at `i`. */
function withType(reference: ImportReference, tokens: Token[], i: number): ImportReference {
  const keyword = tokens[i];
  if (keyword?.kind !== "name" || !["with", "assert"].includes(keyword.value)) return reference;
  if (tokens[i + 1]?.value !== "{") return reference;
  const type = attributeType(tokens, i + 1, matching(tokens, i + 1));
  return type === undefined ? reference : { ...reference, type };
}

/** The string after a `type:` key between two token positions. */
function attributeType(tokens: Token[], from: number, to: number): string | undefined {
  for (let i = from; i < to - 2; i++) {
    const key = tokens[i]!;
    if ((key.kind === "name" || key.kind === "string") && key.value === "type") {
      const value = tokens[i + 2];
      if (tokens[i + 1]?.value === ":" && value?.kind === "string") return value.value;
    }
  }
  return undefined;
}

/** The index of the bracket closing the one at `open` (or the last token). */
function matching(tokens: Token[], open: number): number {
  const pairs: Record<string, string> = { "(": ")", "{": "}", "[": "]" };
  const stack: string[] = [];
  for (let i = open; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind !== "punct") continue;
    const closer = pairs[token.value];
    if (closer !== undefined) stack.push(closer);
    else if (token.value === stack.at(-1)) {
      stack.pop();
      if (stack.length === 0) return i;
    }
  }
  return tokens.length - 1;
}

function isLiteral(token: Token): boolean {
  return (token.kind === "string" || token.kind === "template") && !token.inexact;
}
