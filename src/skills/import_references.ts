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

type TokenKind = "name" | "string" | "template" | "punct" | "regex" | "number";

interface Token {
  kind: TokenKind;
  /** Names and punctuators as written; strings and plain templates cooked. */
  value: string;
  /** A template with `${…}`, or a name written with escapes (never a keyword). */
  inexact?: boolean;
  line: number;
}

/** After these names a `/` starts a regular expression, not a division. */
const BEFORE_REGEX = new Set([
  "return",
  "typeof",
  "instanceof",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "case",
  "do",
  "else",
  "yield",
  "await",
]);

const LINE_END = /[\n\r\u2028\u2029]/;
const NAME =
  /(?:[\p{ID_Start}$_]|\\u[0-9a-fA-F]{4}|\\u\{[0-9a-fA-F]+\})(?:[\p{ID_Continue}$\u200c\u200d]|\\u[0-9a-fA-F]{4}|\\u\{[0-9a-fA-F]+\})*/uy;
const NUMBER = /(?:\d|\.\d)[\w.]*/y;
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
  if (first !== undefined && isLiteral(first)) {
    const reference: ImportReference = { specifier: first.value, kind: "dynamic", line };
    const type = attributeType(tokens, open + 2, close);
    return type === undefined ? reference : { ...reference, type };
  }
  // `import() {` or `import(a): T {`: a method named import in a class or object.
  const after = tokens[close + 1];
  if (after?.kind === "punct" && (after.value === "{" || after.value === ":")) return undefined;
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

/** Splits source into tokens, handing every comment's text to `onComment`. */
function tokenize(source: string, onComment: (text: string, line: number) => void): Token[] {
  const tokens: Token[] = [];
  /** Open braces: `true` for a template's `${`, whose `}` resumes the template. */
  const braces: boolean[] = [];
  let line = 1;
  let i = 0;
  const advanceTo = (end: number) => {
    for (let k = i; k < end; k++) {
      const c = source[k]!;
      if (
        c === "\n" || c === "\u2028" || c === "\u2029" || (c === "\r" && source[k + 1] !== "\n")
      ) {
        line++;
      }
    }
    i = end;
  };
  const push = (kind: TokenKind, value: string, end: number) => {
    tokens.push({ kind, value, line });
    advanceTo(end);
  };
  /** Reads a template from `i` to its closing backtick or its next `${`. */
  const readTemplate = (token: Token | undefined) => {
    let raw = "";
    for (let k = i; k < source.length; k++) {
      const c = source[k]!;
      if (c === "\\") {
        raw += source.slice(k, k + 2);
        k++;
      } else if (c === "`") {
        if (token !== undefined && !token.inexact) token.value = cook(raw);
        advanceTo(k + 1);
        return;
      } else if (c === "$" && source[k + 1] === "{") {
        if (token !== undefined) token.inexact = true;
        braces.push(true);
        advanceTo(k + 2);
        return;
      } else raw += c;
    }
    advanceTo(source.length);
  };
  if (source.startsWith("#!")) {
    const end = source.search(LINE_END);
    advanceTo(end === -1 ? source.length : end);
  }
  while (i < source.length) {
    const c = source[i]!;
    const next = source[i + 1];
    if (/\s/.test(c) || c === "\ufeff") {
      advanceTo(i + 1);
    } else if (c === "/" && next === "/") {
      const rest = source.slice(i + 2);
      const end = rest.search(LINE_END);
      const text = end === -1 ? rest : rest.slice(0, end);
      onComment(text, line);
      advanceTo(i + 2 + text.length);
    } else if (c === "/" && next === "*") {
      const end = source.indexOf("*/", i + 2);
      const stop = end === -1 ? source.length : end + 2;
      onComment(source.slice(i + 2, stop), line);
      advanceTo(stop);
    } else if (c === "'" || c === '"') {
      let k = i + 1;
      let raw = "";
      for (; k < source.length && source[k] !== c; k++) {
        if (source[k] === "\\") {
          raw += source.slice(k, k + 2);
          k++;
        } else if (source[k] === "\n" || source[k] === "\r") break;
        else raw += source[k];
      }
      push("string", cook(raw), Math.min(k + 1, source.length));
    } else if (c === "`") {
      push("template", "", i + 1);
      readTemplate(tokens.at(-1));
    } else if (c === "}" && braces.pop() === true) {
      advanceTo(i + 1);
      readTemplate(undefined);
    } else if (c === "{") {
      braces.push(false);
      push("punct", c, i + 1);
    } else if (c === "/" && regexAllowed(tokens.at(-1)) && regexEnd(source, i) !== undefined) {
      const end = regexEnd(source, i)!;
      push("regex", source.slice(i, end), end);
    } else {
      NAME.lastIndex = i;
      NUMBER.lastIndex = i;
      const name = NAME.exec(source)?.[0];
      const number = name === undefined ? NUMBER.exec(source)?.[0] : undefined;
      if (name !== undefined) {
        push("name", name, i + name.length);
        // A keyword written with escapes is a syntax error, so such a name is never one.
        if (name.includes("\\")) tokens.at(-1)!.inexact = true;
      } else if (number !== undefined) push("number", number, i + number.length);
      else push("punct", c, i + 1);
    }
  }
  return tokens;
}

function regexAllowed(previous: Token | undefined): boolean {
  if (previous === undefined) return true;
  switch (previous.kind) {
    case "name":
      return BEFORE_REGEX.has(previous.value);
    case "punct":
      return ![")", "]", "}"].includes(previous.value);
    case "regex":
    case "number":
    case "string":
    case "template":
      return false;
  }
}

/** The end of a regular expression literal starting at `start`, flags included. */
function regexEnd(source: string, start: number): number | undefined {
  let inClass = false;
  for (let k = start + 1; k < source.length; k++) {
    const c = source[k]!;
    if (LINE_END.test(c)) return undefined;
    if (c === "\\") k++;
    else if (c === "[") inClass = true;
    else if (c === "]") inClass = false;
    else if (c === "/" && !inClass) {
      let end = k + 1;
      while (end < source.length && /[\p{ID_Continue}$]/u.test(source[end]!)) end++;
      return end;
    }
  }
  return undefined;
}

/** Decodes a string literal's escapes. */
function cook(raw: string): string {
  return raw.replace(
    /\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|[\s\S])/g,
    (_, escape: string) => {
      switch (escape[0]) {
        case "u":
        case "x": {
          const hex = escape.slice(1).replace(/[{}]/g, "");
          const code = Number.parseInt(hex, 16);
          return code <= 0x10ffff ? String.fromCodePoint(code) : "";
        }
        case "n":
          return "\n";
        case "t":
          return "\t";
        case "r":
          return "\r";
        case "b":
          return "\b";
        case "f":
          return "\f";
        case "v":
          return "\v";
        case "0":
          return "\0";
        case "\n":
        case "\r":
        case "\u2028":
        case "\u2029":
          return "";
        default:
          return escape === "\r\n" ? "" : escape;
      }
    },
  );
}
