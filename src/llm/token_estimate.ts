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

/**
 * The largest relative error of {@linkcode estimateTokens} against the reference tokenizers,
 * on any sample of the test corpus (prose and code stay within ±0.25).
 */
export const ESTIMATE_ERROR_BOUND = 0.4;

/** Tokens a message costs beyond its text (role markers, separators). */
const PER_MESSAGE = 4;
/** Tokens an image costs, roughly (Anthropic: about 1,600 for a 1,000 × 1,000 picture). */
const PER_IMAGE = 1600;

// One alternative per kind of run; the order matters (the first that matches wins).
const PIECES = new RegExp(
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

/**
 * Estimates the tokens of a text.
 *
 * @param text Any text.
 * @returns A whole number of tokens, 0 for the empty string.
 */
export function estimateTokens(text: string): number {
  let tokens = 0;
  for (const match of text.matchAll(PIECES)) {
    const groups = match.groups ?? {};
    const piece = match[0];
    if (groups.word !== undefined) {
      // Common words are one token; long or rare ones split into pieces of about five letters.
      tokens += piece.length <= 7 ? 1 : Math.ceil(piece.length / 5);
    } else if (groups.digits !== undefined) {
      tokens += Math.ceil(piece.length / 3);
    } else if (groups.cjk !== undefined) {
      tokens += 1.25;
    } else if (groups.emoji !== undefined) {
      tokens += 3;
    } else if (groups.letters !== undefined) {
      // Accented Latin, Cyrillic, Greek, Arabic…: about one token per three letters.
      tokens += Math.max(1, piece.length / 2.2);
    } else if (groups.newlines !== undefined) {
      tokens += 1;
    } else if (groups.spaces !== undefined) {
      // A single space joins the next word; indentation costs about a token per eight.
      if (piece.length > 1) tokens += Math.ceil(piece.length / 8);
    } else {
      tokens += 0.6;
    }
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
      estimateTokens(JSON.stringify(tool.input_schema)) + 8,
    0,
  );
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
