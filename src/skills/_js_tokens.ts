/**
 * A small JavaScript/TypeScript tokenizer: names, strings (escapes decoded), templates,
 * punctuators, regular expressions and numbers, with comments handed to a callback. It
 * reads just enough of the language to tell code from text; `importReferences` uses it.
 *
 * @module
 */

/** What a token is. */
export type TokenKind = "name" | "string" | "template" | "punct" | "regex" | "number";

/** One token, with the line it starts on. */
export interface Token {
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
/** Splits source into tokens, handing every comment's text to `onComment`. */
export function tokenize(source: string, onComment: (text: string, line: number) => void): Token[] {
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
