import assert from "node:assert/strict";
import type { LlmClient } from "../llm/mod.ts";
import { meteredLlm } from "./metered_llm.ts";
import type { UsageRecord } from "./usage_ledger.ts";

Deno.test("meteredLlm() records the calls that name their conversation, with the model that answered", async () => {
  const inner: LlmClient = {
    provider: "anthropic",
    model: "m",
    check: () => Promise.resolve(),
    chat: (_request, options) =>
      Promise.resolve({
        content: [],
        text: "",
        stop_reason: "end_turn",
        usage: { input_tokens: 9, output_tokens: 4, cache_write_tokens: 3 },
        model: "m",
        ...(options?.tier === "light" ? { model_id: "ollama:l" } : {}),
      }),
  };
  const records: UsageRecord[] = [];
  const llm = meteredLlm(inner, { record: (r) => Promise.resolve(void records.push(r)) });
  await llm.chat({ system: "", messages: [] }, { conversation: "alice@x" });
  await llm.chat({ system: "", messages: [] }, {
    tier: "light",
    conversation: "room@muc.x",
    purpose: "compaction",
  });
  await llm.chat({ system: "", messages: [] });
  assert.deepEqual(records, [
    {
      conversation: "alice@x",
      model: "anthropic:m",
      purpose: undefined,
      input_tokens: 9,
      output_tokens: 4,
      cache_read_tokens: undefined,
      cache_write_tokens: 3,
    },
    {
      conversation: "room@muc.x",
      model: "ollama:l",
      purpose: "compaction",
      input_tokens: 9,
      output_tokens: 4,
      cache_read_tokens: undefined,
      cache_write_tokens: 3,
    },
  ]);
});
