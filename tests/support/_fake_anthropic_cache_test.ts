import { assertEquals, assertTrue } from "./assert.ts";
import { CACHE_TTL_MS, countPromptTokens, PromptCacheSim } from "./_fake_anthropic_cache.ts";

const EPHEMERAL = { type: "ephemeral" };
const LONG = "x".repeat(8000); // 2000 tokens: above Sonnet's 1024-token minimum

function body(system: string, messages: string[], options: { marks?: number[] } = {}) {
  return {
    model: "claude-sonnet-4-5",
    system: [{ type: "text", text: system, cache_control: EPHEMERAL }],
    messages: messages.map((text, i) => ({
      role: i % 2 === 0 ? "user" : "assistant",
      content: [{
        type: "text",
        text,
        ...(options.marks?.includes(i) ? { cache_control: EPHEMERAL } : {}),
      }],
    })),
  };
}

Deno.test("PromptCacheSim writes a prefix once, then reads it byte for byte", () => {
  const sim = new PromptCacheSim(() => 0);
  const first = sim.apply(body(LONG, ["hello"]));
  assertTrue(!("error" in first));
  assertEquals(first.cache_read_input_tokens, 0);
  assertEquals(first.cache_creation_input_tokens, 2000);
  const second = sim.apply(body(LONG, ["hello", "hi", "more"]));
  assertTrue(!("error" in second));
  assertEquals(second.cache_read_input_tokens, 2000);
  assertEquals(
    second.input_tokens + second.cache_read_input_tokens + second.cache_creation_input_tokens,
    countPromptTokens(body(LONG, ["hello", "hi", "more"])),
  );
});

Deno.test("PromptCacheSim misses when one character of the prefix changes", () => {
  const sim = new PromptCacheSim(() => 0);
  sim.apply(body(LONG, ["hello"]));
  const changed = sim.apply(body(`${LONG}!`, ["hello"]));
  assertTrue(!("error" in changed));
  assertEquals(changed.cache_read_input_tokens, 0);
});

Deno.test("PromptCacheSim reads the history breakpoint of the previous turn", () => {
  const sim = new PromptCacheSim(() => 0);
  sim.apply(body(LONG, ["a", "b", "new"], { marks: [1] }));
  const next = sim.apply(body(LONG, ["a", "b", "new", "answer", "newer"], { marks: [3] }));
  assertTrue(!("error" in next));
  // The system prompt, then "a" and "b" (3 + 1 tokens each) come from the cache.
  assertEquals(next.cache_read_input_tokens, 2000 + 4 + 4);
});

Deno.test("PromptCacheSim caches nothing below the model's minimum", () => {
  const sim = new PromptCacheSim(() => 0);
  sim.apply(body("short", ["hello"]));
  const again = sim.apply(body("short", ["hello"]));
  assertTrue(!("error" in again));
  assertEquals(again.cache_read_input_tokens, 0);
  assertEquals(again.cache_creation_input_tokens, 0);
});

Deno.test("PromptCacheSim forgets an entry 5 minutes after its last use", () => {
  let now = 0;
  const sim = new PromptCacheSim(() => now);
  sim.apply(body(LONG, ["hello"]));
  now = CACHE_TTL_MS - 1;
  const hit = sim.apply(body(LONG, ["hello"]));
  assertTrue(!("error" in hit) && hit.cache_read_input_tokens === 2000);
  now += CACHE_TTL_MS - 1; // the hit refreshed it
  const refreshed = sim.apply(body(LONG, ["hello"]));
  assertTrue(!("error" in refreshed) && refreshed.cache_read_input_tokens === 2000);
  now += CACHE_TTL_MS;
  const expired = sim.apply(body(LONG, ["hello"]));
  assertTrue(!("error" in expired) && expired.cache_read_input_tokens === 0);
});

Deno.test("PromptCacheSim refuses more than 4 breakpoints", () => {
  const sim = new PromptCacheSim(() => 0);
  const refused = sim.apply(body(LONG, ["a", "b", "c", "d", "e"], { marks: [0, 1, 2, 3] }));
  assertTrue("error" in refused);
});
