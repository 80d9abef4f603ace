import { assertEquals } from "../../tests/support/assert.ts";
import { toolSet } from "./tool_set.ts";
import type { ToolRunner } from "./turn.ts";

function runner(names: string[], label: string): ToolRunner {
  return {
    definitions: () => names.map((name) => ({ name, description: label, input_schema: {} })),
    call: (call, context) =>
      Promise.resolve({
        tool_use_id: call.id,
        content: `${label}:${call.name}:${context.conversation}`,
        is_error: false,
      }),
    tierOf: (name) => name === "search" ? "light" : undefined,
  };
}

Deno.test("toolSet() offers every runner's tools once, sorted, and sends each call to its owner", async () => {
  const set = toolSet(
    runner(["search", "fetch"], "skills"),
    undefined,
    runner(["schedule_task", "search"], "scheduler"),
  )!;
  assertEquals(set.definitions().map((tool) => [tool.name, tool.description]), [
    ["fetch", "skills"],
    ["schedule_task", "scheduler"],
    ["search", "skills"],
  ]);
  const call = (name: string) => set.call({ id: "1", name, input: {} }, { conversation: "a@b" });
  assertEquals((await call("schedule_task")).content, "scheduler:schedule_task:a@b");
  assertEquals((await call("search")).content, "skills:search:a@b");
  assertEquals((await call("nope")).content, "skills:nope:a@b", "the first runner explains");
  assertEquals(set.tierOf?.("search"), "light");
  assertEquals(toolSet(undefined), undefined);
});
