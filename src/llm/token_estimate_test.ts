import assert from "node:assert/strict";
// Reference tokenizers, for this test only: OpenAI's two current encodings, and the counts of
// the tokenizer Anthropic published for Claude (npm @anthropic-ai/tokenizer 0.0.4; the counts of
// its newer models are not published), kept as numbers: that package's old Node type
// definitions would replace Deno's own for the whole type check.
import { encode as cl100k } from "gpt-tokenizer/encoding/cl100k_base";
import { encode as o200k } from "gpt-tokenizer/encoding/o200k_base";
import {
  ESTIMATE_ERROR_BOUND,
  estimateMessageTokens,
  estimateRequestTokens,
  estimateTokens,
  PIECES,
} from "./token_estimate.ts";

const root = new URL("../../", import.meta.url);
const samples: Record<string, string> = JSON.parse(
  await Deno.readTextFile(new URL("testdata/token_samples.json", import.meta.url)),
);
// Real code: files of this repository.
samples.code_typescript = await Deno.readTextFile(new URL("src/agent/tool_set.ts", root));
samples.code_typescript_2 = await Deno.readTextFile(new URL("src/memory/_lines.ts", root));
samples.code_python = await Deno.readTextFile(new URL("tests/support/human.py", root));

const claudeCounts: Record<string, number> = JSON.parse(
  await Deno.readTextFile(new URL("testdata/claude_token_counts.json", import.meta.url)),
);

const references: Record<string, (text: string, name: string) => number | undefined> = {
  o200k_base: (text) => o200k(text).length,
  cl100k_base: (text) => cl100k(text).length,
  claude: (_text, name) => claudeCounts[name],
};

for (const [name, text] of Object.entries(samples)) {
  const bound = name.startsWith("prose") || name.startsWith("code") ? 0.25 : ESTIMATE_ERROR_BOUND;
  Deno.test(`estimateTokens() is within ±${bound * 100} % of real tokenizers on ${name}`, () => {
    const estimate = estimateTokens(text);
    for (const [tokenizer, count] of Object.entries(references)) {
      const real = count(text, name);
      if (real === undefined) continue;
      const error = estimate / real - 1;
      assert.ok(
        Math.abs(error) <= bound,
        `${name}: estimated ${estimate}, ${tokenizer} counts ${real} (${
          (error * 100).toFixed(1)
        } %)`,
      );
    }
  });
}

Deno.test("estimateTokens() counts nothing in an empty text and grows with the text", () => {
  assert.equal(estimateTokens(""), 0);
  const one = estimateTokens(samples.prose_en!);
  assert.ok(estimateTokens(samples.prose_en!.repeat(3)) >= 3 * one - 3);
});

Deno.test("estimateRequestTokens() adds the system prompt, the tools and each message", () => {
  const system = "You are a helpful assistant.";
  const message = { role: "user" as const, content: "Hello there" };
  const tool = { name: "remember", description: "Store a fact", input_schema: { type: "object" } };
  const alone = estimateRequestTokens({ system, messages: [message] });
  assert.equal(alone, estimateTokens(system) + estimateMessageTokens(message));
  assert.ok(estimateRequestTokens({ system, messages: [message], tools: [tool] }) > alone);
});

/** The estimate as the expression defines it, piece by piece: what the scanner must equal. */
function byExpression(text: string): number {
  let tokens = 0;
  for (const match of text.matchAll(PIECES)) {
    const groups = match.groups ?? {};
    const piece = match[0];
    if (groups.word !== undefined) tokens += piece.length <= 7 ? 1 : Math.ceil(piece.length / 5);
    else if (groups.digits !== undefined) tokens += Math.ceil(piece.length / 3);
    else if (groups.cjk !== undefined) tokens += 1.25;
    else if (groups.emoji !== undefined) tokens += 3;
    else if (groups.letters !== undefined) tokens += Math.max(1, piece.length / 2.2);
    else if (groups.newlines !== undefined) tokens += 1;
    else if (groups.spaces !== undefined) {
      if (piece.length > 1) tokens += Math.ceil(piece.length / 8);
    } else tokens += 0.6;
  }
  return Math.ceil(tokens);
}

Deno.test("estimateTokens() counts exactly the pieces of its expression, on mixed text", () => {
  const alphabet = [..."abcXYZ019 \t\n\r.,;{}\"'é日本한🙂👍🏽🇫🇷ßпри\u0301\u200d"];
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let n = 0; n < 2000; n++) {
    const length = Math.floor(random() * 60);
    const text = Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)])
      .join("");
    assert.equal(estimateTokens(text), byExpression(text), JSON.stringify(text));
  }
  for (const sample of ["", "hello world", "naïve café", "const x = 42;\n\tif (x) {}"]) {
    assert.equal(estimateTokens(sample), byExpression(sample), sample);
  }
});
