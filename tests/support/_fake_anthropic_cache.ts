/**
 * Anthropic's prompt caching as the fake LLM applies it, following the documented rules
 * (https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching):
 * - the prompt is one prefix in the order tools → system → messages;
 * - `cache_control: {type: "ephemeral"}` marks a breakpoint, at most 4 per request (more is a
 *   400 `invalid_request_error`);
 * - at each breakpoint the prefix up to and including that block is written to the cache, if it
 *   holds at least the model's minimum (1024 tokens for Sonnet-class models and Opus 4/4.1, 2048
 *   for Haiku 3 and 3.5, 4096 for Opus 4.5/4.6 and Haiku 4.5);
 * - a read finds, for each breakpoint, the longest cached prefix ending at that block or at one
 *   of the 20 blocks before it, byte for byte; changing `tool_choice` changes every prefix that
 *   reaches into the messages;
 * - an entry lives 5 minutes from its last use (a hit refreshes it);
 * - usage says what was read (`cache_read_input_tokens`), written
 *   (`cache_creation_input_tokens`), and the rest (`input_tokens`, after the last breakpoint).
 *
 * Tokens are counted as about one per four characters of each block's text (of its JSON for
 * tools and tool blocks), plus 3 per message.
 *
 * @module
 */

/** The lifetime of an entry after its last use. */
export const CACHE_TTL_MS = 5 * 60_000;
/** How far before a breakpoint a read looks for a cached prefix, in blocks. */
const LOOKBACK_BLOCKS = 20;
/** The most breakpoints a request may carry. */
const MAX_BREAKPOINTS = 4;

/** The fewest tokens a cached prefix holds on a model. */
export function minimumCacheableTokens(model: string): number {
  if (/opus-4-[56]|haiku-4-5/.test(model)) return 4096;
  if (/claude-3(-5)?-haiku/.test(model)) return 2048;
  return 1024;
}

/** The usage of one request, or why the API refuses it. */
export type CacheOutcome =
  | {
    input_tokens: number;
    cache_creation_input_tokens: number;
    cache_read_input_tokens: number;
  }
  | { error: string };

interface Unit {
  key: string;
  tokens: number;
  breakpoint: boolean;
}

type Block = Record<string, unknown> & { type?: string; text?: string; cache_control?: unknown };

/** One organisation's prompt cache, with its clock. */
export class PromptCacheSim {
  #entries = new Map<string, number>();
  #now: () => number;

  /** @param now The clock, in epoch milliseconds. @default {Date.now} */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Applies the caching rules to one `/v1/messages` body. */
  apply(body: Record<string, unknown>): CacheOutcome {
    const model = String(body.model ?? "");
    const units = flatten(body);
    const breakpoints = units.flatMap((unit, index) => unit.breakpoint ? [index] : []);
    if (breakpoints.length > MAX_BREAKPOINTS) {
      return {
        error: `A maximum of ${MAX_BREAKPOINTS} blocks with cache_control may be provided. ` +
          `Found ${breakpoints.length}.`,
      };
    }
    const hashes: string[] = [];
    const totals: number[] = [];
    let hash = `${model}\n`;
    let total = 0;
    for (const unit of units) {
      hash = digest(`${hash}\u0000${unit.key}`);
      total += unit.tokens;
      hashes.push(hash);
      totals.push(total);
    }
    const now = this.#now();
    const live = (index: number) => (this.#entries.get(hashes[index]!) ?? -Infinity) > now;
    let readEnd = -1;
    for (const point of breakpoints) {
      for (let index = point; index >= Math.max(0, point - LOOKBACK_BLOCKS); index--) {
        if (live(index)) {
          readEnd = Math.max(readEnd, index);
          break;
        }
      }
    }
    const minimum = minimumCacheableTokens(model);
    let written = -1;
    for (const point of breakpoints) {
      if (totals[point]! < minimum) continue;
      this.#entries.set(hashes[point]!, now + CACHE_TTL_MS);
      if (point > readEnd) written = Math.max(written, point);
    }
    if (readEnd >= 0) this.#entries.set(hashes[readEnd]!, now + CACHE_TTL_MS);
    const read = readEnd >= 0 ? totals[readEnd]! : 0;
    const creation = written > readEnd ? totals[written]! - read : 0;
    return {
      input_tokens: total - read - creation,
      cache_creation_input_tokens: creation,
      cache_read_input_tokens: read,
    };
  }
}

/** The tokens of a request, counted as the fake counts them (no cache involved). */
export function countPromptTokens(body: Record<string, unknown>): number {
  return flatten(body).reduce((sum, unit) => sum + unit.tokens, 0);
}

/** The tokens of a list of wire messages, counted as the fake counts them. */
export function countMessageTokens(messages: readonly unknown[]): number {
  return countPromptTokens({ messages });
}

/** The prompt as blocks in cache order, each with its identity and token count. */
function flatten(body: Record<string, unknown>): Unit[] {
  const units: Unit[] = [];
  for (const tool of (body.tools as Block[] | undefined) ?? []) {
    const { cache_control, ...rest } = tool;
    const key = `tool:${stable(rest)}`;
    units.push({ key, tokens: Math.ceil(key.length / 4), breakpoint: cache_control !== undefined });
  }
  const system = body.system;
  const systemBlocks: Block[] = typeof system === "string"
    ? (system === "" ? [] : [{ type: "text", text: system }])
    : (system as Block[] | undefined) ?? [];
  for (const block of systemBlocks) {
    units.push({
      key: `system:${block.text ?? ""}`,
      tokens: Math.ceil((block.text ?? "").length / 4),
      breakpoint: block.cache_control !== undefined,
    });
  }
  const choice = stable(body.tool_choice ?? null);
  const messages = (body.messages as { role?: string; content?: unknown }[] | undefined) ?? [];
  messages.forEach((message, m) => {
    const blocks: Block[] = typeof message.content === "string"
      ? [{ type: "text", text: message.content }]
      : (message.content as Block[] | undefined) ?? [];
    blocks.forEach((block, b) => {
      const { cache_control, ...rest } = block;
      const text = rest.type === "text" ? String(rest.text ?? "") : stable(rest);
      units.push({
        // The first block of each message carries the role, and the first of all the tool choice.
        key:
          `${m === 0 && b === 0 ? `choice:${choice}|` : ""}${b === 0 ? `${message.role}|` : ""}` +
          `${String(rest.type)}:${text}`,
        tokens: Math.ceil(text.length / 4) + (b === 0 ? 3 : 0),
        breakpoint: cache_control !== undefined,
      });
    });
  });
  return units;
}

/** JSON with object keys sorted, so equal content is equal text. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
    return `{${
      entries.map(([key, inner]) => `${JSON.stringify(key)}:${stable(inner)}`).join(",")
    }}`;
  }
  return JSON.stringify(value);
}

/** Two FNV-1a hashes of the text side by side: 64 bits, enough to tell prefixes apart. */
function digest(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
  }
  return `${a.toString(16)}.${b.toString(16)}`;
}
