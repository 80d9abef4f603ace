import assert from "node:assert/strict";
import type { ToolRunner } from "../agent/mod.ts";
import { restrictTools } from "./restrict_tools.ts";

const calls: string[] = [];
const runner: ToolRunner = {
  definitions: () =>
    ["memory_search", "memory_share", "spawn_agent", "web_search"].map((name) => ({
      name,
      description: "",
      input_schema: { type: "object" },
    })),
  call: (call) => {
    calls.push(call.name);
    return Promise.resolve({ tool_use_id: call.id, content: "ok", is_error: false });
  },
  tierOf: (name) => name === "web_search" ? "light" : undefined,
};

Deno.test("restrictTools() offers the allowlist, never a denied tool, and refuses other calls", async () => {
  const narrowed = restrictTools(runner, {
    allow: ["web_search", "spawn_agent"],
    deny: ["spawn_agent"],
  })!;
  assert.deepEqual(narrowed.definitions().map((t) => t.name), ["web_search"]);
  assert.equal(narrowed.tierOf?.("web_search"), "light");
  const refused = await narrowed.call({ id: "1", name: "memory_share", input: {} }, {
    conversation: "alice@x",
  });
  assert.deepEqual(refused, {
    tool_use_id: "1",
    content: 'Tool "memory_share" is not available to this agent',
    is_error: true,
  });
  await narrowed.call({ id: "2", name: "web_search", input: {} }, { conversation: "alice@x" });
  assert.deepEqual(calls, ["web_search"]);
});

Deno.test("restrictTools() without an allowlist keeps all but the denied; [] keeps none", () => {
  const all = restrictTools(runner, { deny: ["spawn_agent", "memory_share"] })!;
  assert.deepEqual(all.definitions().map((t) => t.name), ["memory_search", "web_search"]);
  assert.equal(restrictTools(runner, { allow: [] }), undefined);
  assert.equal(restrictTools(undefined, {}), undefined);
});
