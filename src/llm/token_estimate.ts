/**
 * Token counts estimated without a tokenizer: each provider tokenizes differently, and none
 * of Anthropic's current tokenizers is published, so the agent counts by kind of text (words,
 * numbers, punctuation, CJK, emoji…) and corrects the result per model from what the provider
 * reports (see `token_calibration.ts`).
 *
 * The error bound, measured by `token_estimate_test.ts` on real text (English and French prose,
 * TypeScript, JSON, Chinese, Japanese, Korean, Russian, emoji-heavy chat) against three real
 * tokenizers — OpenAI's o200k_base and cl100k_base, and Anthropic's published Claude tokenizer —
 * is {@linkcode ESTIMATE_ERROR_BOUND}: every estimate lies within ±40 % of each of them, and within
 * ±25 % for prose and code (the tokenizers themselves differ by up to 70 % on Russian, CJK and
 * emoji). Once a model has answered a few calls, the calibrated estimate follows that model's own
 * count.
 *
 * @module
 */
import type { ChatMessage, ChatRequest, ContentBlock, ToolDefinition } from "./types.ts";
import { TextMemo } from "./_text_memo.ts";

/**
 * The largest relative error of {@linkcode estimateTokens} against the reference tokenizers,
 * on any sample of the test corpus (prose and code stay within ±0.25).
 */
export const ESTIMATE_ERROR_BOUND = 0.4;

/** Tokens a message costs beyond its text (role markers, separators). */
const PER_MESSAGE = 4;
/** Tokens an image costs, roughly (Anthropic: about 1,600 for a 1,000 × 1,000 picture). */
const PER_IMAGE = 1600;

// One alternative per kind of run; the order matters (the first that matches wins). Exported
// for the test that checks the scanner below against this definition.
export const PIECES = new RegExp(
  [
    "(?<word>[A-Za-z]+)",
    "(?<digits>[0-9]+)",
    "(?<cjk>[\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}])",
    "(?<emoji>\\p{Extended_Pictographic}(?:\\uFE0F|\\u200D\\p{Extended_Pictographic}|[\\u{1F3FB}-\\u{1F3FF}])*|[\\u{1F1E6}-\\u{1F1FF}]{2})",
    "(?<letters>\\p{L}[\\p{L}\\p{M}]*)",
    "(?<newlines>\\n+)",
    "(?<spaces>[ \\t]+)",
    "(?<other>[^])",
  ].join("|"),
  "gu",
);

/** {@linkcode PIECES} matched at one position (for text outside ASCII). */
const PIECE_AT = new RegExp(PIECES.source, "uy");

/** Tokens of one piece of each kind, as {@linkcode PIECES} names them. */
function pieceTokens(kind: string, length: number): number {
  switch (kind) {
    case "word":
      // Common words are one token; long or rare ones split into pieces of about five letters.
      return length <= 7 ? 1 : Math.ceil(length / 5);
    case "digits":
      return Math.ceil(length / 3);
    case "cjk":
      return 1.25;
    case "emoji":
      return 3;
    case "letters":
      // Accented Latin, Cyrillic, Greek, Arabic…: about one token per three letters.
      return Math.max(1, length / 2.2);
    case "newlines":
      return 1;
    case "spaces":
      // A single space joins the next word; indentation costs about a token per eight.
      return length > 1 ? Math.ceil(length / 8) : 0;
    default:
      return 0.6;
  }
}

const isAsciiLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * Estimates of the texts seen lately: each turn counts the same history, prompt and tools.
 * Bounded in characters too (4 Mi, a few megabytes), not only in texts: under a steady load
 * the prompts (they carry the time) and compaction summaries are new texts of many kilobytes
 * each, and 8,192 of them held tens of megabytes.
 */
const recent = new TextMemo<number>({ maxEntries: 8192, maxChars: 4 * 1024 * 1024 });
/** Texts shorter than this are counted again: looking them up costs about as much. */
const REMEMBERED_FROM = 64;

/**
 * Estimates the tokens of a text: the pieces {@linkcode PIECES} defines, each costed by its
 * kind. It runs on every history entry of every turn, so ASCII is scanned by hand (the same
 * pieces as the expression, several times faster), only other text goes through it, and the
 * estimates of longer texts are remembered.
 *
 * @param text Any text.
 * @returns A whole number of tokens, 0 for the empty string.
 */
export function estimateTokens(text: string): number {
  if (text.length < REMEMBERED_FROM) return scan(text);
  const known = recent.get(text);
  if (known !== undefined) return known;
  const tokens = scan(text);
  recent.set(text, tokens);
  return tokens;
}

function scan(text: string): number {
  let tokens = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c >= 128) {
      PIECE_AT.lastIndex = i;
      const match = PIECE_AT.exec(text)!;
      const groups = match.groups!;
      const kind = Object.keys(groups).find((name) => groups[name] !== undefined) ?? "other";
      tokens += pieceTokens(kind, match[0].length);
      i = PIECE_AT.lastIndex;
      continue;
    }
    let j = i + 1;
    if (isAsciiLetter(c)) {
      while (j < n && isAsciiLetter(text.charCodeAt(j))) j++;
      tokens += pieceTokens("word", j - i);
    } else if (isDigit(c)) {
      while (j < n && isDigit(text.charCodeAt(j))) j++;
      tokens += pieceTokens("digits", j - i);
    } else if (c === 10) {
      while (j < n && text.charCodeAt(j) === 10) j++;
      tokens += 1;
    } else if (c === 32 || c === 9) {
      while (j < n && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
      tokens += pieceTokens("spaces", j - i);
    } else {
      tokens += 0.6;
    }
    i = j;
  }
  return Math.ceil(tokens);
}

/** Estimates one content block. */
export function estimateBlockTokens(block: ContentBlock): number {
  switch (block.type) {
    case "text":
      return estimateTokens(block.text);
    case "image":
      return PER_IMAGE;
    case "document":
      // A PDF's pages are text and images: its base64 size is a poor guide, so a high one.
      return Math.ceil(block.data.length / 3);
    case "tool_use":
      return estimateTokens(block.name) + estimateTokens(JSON.stringify(block.input)) + 8;
    case "tool_result":
      return estimateTokens(block.content) + 8;
  }
}

/** Estimates one message, its overhead included. */
export function estimateMessageTokens(message: ChatMessage): number {
  const content = typeof message.content === "string"
    ? estimateTokens(message.content)
    : message.content.reduce((sum, block) => sum + estimateBlockTokens(block), 0);
  return content + PER_MESSAGE;
}

/** Estimates a list of tool definitions as a provider receives them. */
export function estimateToolTokens(tools: readonly ToolDefinition[]): number {
  return tools.reduce(
    (sum, tool) =>
      sum + estimateTokens(tool.name) + estimateTokens(tool.description) +
      schemaTokens(tool.input_schema) + 8,
    0,
  );
}

/**
 * Estimates of schemas by object: a skill's definition is built afresh for each turn, but
 * around the same schema object, which would otherwise be serialised at every turn.
 */
const schemas = new WeakMap<object, number>();

function schemaTokens(schema: ToolDefinition["input_schema"]): number {
  const known = schemas.get(schema);
  if (known !== undefined) return known;
  const tokens = estimateTokens(JSON.stringify(schema));
  schemas.set(schema, tokens);
  return tokens;
}

/**
 * Estimates the input of a whole request: tools, system prompt and messages.
 *
 * @param request The request as it will be sent.
 */
export function estimateRequestTokens(
  request: Pick<ChatRequest, "system" | "messages" | "tools">,
): number {
  return estimateTokens(request.system) + estimateToolTokens(request.tools ?? []) +
    request.messages.reduce((sum, message) => sum + estimateMessageTokens(message), 0);
}
