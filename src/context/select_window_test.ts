import { assertEquals, assertTrue } from "../../tests/support/assert.ts";
import type { HistoryEntry, MessageEntry } from "../memory/mod.ts";
import { selectWindow, type SelectWindowOptions } from "./select_window.ts";

function message(n: number, role: "user" | "assistant" = n % 2 === 0 ? "user" : "assistant") {
  return { type: "message", role, content: `m${n}`, ts: `2026-12-01T10:00:${n}` } as MessageEntry;
}

function conversation(count: number): HistoryEntry[] {
  return Array.from({ length: count }, (_, n) => message(n));
}

const options = (
  budget: number,
  extra: Partial<SelectWindowOptions> = {},
): SelectWindowOptions => ({
  budget,
  maxMessages: 1000,
  newEntries: 1,
  tokens: () => 10,
  summaryTokens: () => 20,
  ...extra,
});

const contents = (entries: readonly HistoryEntry[]) => entries.map((entry) => entry.content);

Deno.test("selectWindow() shows everything that fits the budget", () => {
  const selection = selectWindow(conversation(11), options(100));
  assertEquals(selection.visible.length, 11);
  assertEquals(selection.tokens, 100);
  assertEquals(selection.over, undefined);
});

Deno.test("selectWindow() keeps about half the budget when over it, from a user message", () => {
  const selection = selectWindow(conversation(21), options(100));
  assertTrue(selection.over !== undefined);
  // 50 tokens: 5 messages, the first of them moved on to the next user message.
  assertEquals(contents(selection.visible), ["m16", "m17", "m18", "m19", "m20"]);
  assertEquals(selection.over.summarise.length, 16);
  assertTrue(selection.tokens <= 100);
});

Deno.test("selectWindow() starts at the newest summary and the messages it keeps", () => {
  const entries: HistoryEntry[] = [
    ...conversation(10),
    { type: "summary", compacted_count: 6, kept_count: 4, content: "s", ts: "x" },
    message(10),
    message(11),
    message(12),
  ];
  const selection = selectWindow(entries, options(1000));
  assertEquals(selection.summary?.content, "s");
  assertEquals(contents(selection.visible), ["m6", "m7", "m8", "m9", "m10", "m11", "m12"]);
  assertEquals(selection.tokens, 20 + 60);
});

Deno.test("selectWindow() keeps the start of the view fixed from one turn to the next", () => {
  const first = selectWindow(conversation(21), options(100));
  const cut = first.over?.cut;
  // Two more messages later: the same start, so the same cached prefix.
  const later = selectWindow(conversation(23), options(100, { cut }));
  assertEquals(later.visible[0]?.content, first.visible[0]?.content);
  // Past the budget from that cut, it cuts again.
  const much = selectWindow(conversation(31), options(100, { cut }));
  assertTrue(much.visible[0]?.content !== first.visible[0]?.content);
  assertTrue(much.tokens <= 100);
});

Deno.test("selectWindow() counts messages against the cap", () => {
  const selection = selectWindow(conversation(21), options(100_000, { maxMessages: 10 }));
  assertTrue(selection.over !== undefined);
  assertTrue(selection.visible.length <= 6);
});

Deno.test("selectWindow() never cuts the new message, even when it alone passes the budget", () => {
  const entries = conversation(5);
  const selection = selectWindow(
    entries,
    options(5, { tokens: (entry) => entry.content === "m4" ? 500 : 10 }),
  );
  assertEquals(selection.visible.at(-1)?.content, "m4");
});

Deno.test("selectWindow() keeps the last exchange when the summary takes half the budget", () => {
  const entries: HistoryEntry[] = [
    ...conversation(10),
    { type: "summary", compacted_count: 10, kept_count: 0, content: "s", ts: "x" },
    ...Array.from({ length: 11 }, (_, n) => message(10 + n)),
  ];
  // The summary alone is 60 of a 100-token budget: half the budget leaves nothing to keep, but
  // the last exchange (m18, m19) fits beside it; m20 is the new message.
  const selection = selectWindow(entries, options(100, { summaryTokens: () => 60 }));
  assertTrue(selection.over !== undefined);
  assertEquals(contents(selection.visible), ["m18", "m19", "m20"]);
  assertEquals(selection.tokens, 60 + 20);
  assertEquals(contents(selection.over.summarise), [
    "m10",
    "m11",
    "m12",
    "m13",
    "m14",
    "m15",
    "m16",
    "m17",
  ]);
});

Deno.test("selectWindow() keeps no history when the last exchange does not fit beside the summary", () => {
  const entries: HistoryEntry[] = [
    { type: "summary", compacted_count: 10, kept_count: 0, content: "s", ts: "x" },
    ...Array.from({ length: 11 }, (_, n) => message(10 + n)),
  ];
  const selection = selectWindow(entries, options(100, { summaryTokens: () => 95 }));
  assertEquals(contents(selection.visible), ["m20"]);
  assertEquals(selection.over?.summarise.length, 10);
});
