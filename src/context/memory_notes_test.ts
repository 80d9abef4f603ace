import { assertEquals } from "../../tests/support/assert.ts";
import { notesToAppend, parseFacts } from "./memory_notes.ts";

const day = new Date("2026-12-01T10:00:00Z");

Deno.test("notesToAppend() dates new facts under a heading", () => {
  assertEquals(
    notesToAppend("", ["- Alice's cat is called Tom", "Meeting moved to Friday"], day),
    "## 2026-12-01\n- Alice's cat is called Tom\n- Meeting moved to Friday\n",
  );
});

Deno.test("notesToAppend() leaves out facts already there, whatever their case or marker", () => {
  const existing = "## 2026-11-30\n- Alice's cat is called Tom.\n";
  assertEquals(
    notesToAppend(existing, ["* alice's cat is  called tom", "1. Likes tea"], day),
    "\n## 2026-12-01\n- Likes tea\n",
  );
  assertEquals(notesToAppend(existing, ["Alice's cat is called Tom"], day), "");
});

Deno.test("notesToAppend() adds to today's heading when it is the last one", () => {
  const existing = "## 2026-12-01\n- Likes tea\n";
  assertEquals(notesToAppend(existing, ["Likes tea", "Lives in Lyon"], day), "- Lives in Lyon\n");
});

Deno.test("parseFacts() takes list lines and reads NONE as none", () => {
  assertEquals(parseFacts("NONE"), []);
  assertEquals(parseFacts("# Facts\n- a\n\n- b\n"), ["- a", "- b"]);
});

Deno.test("parseFacts() keeps at most 20 facts, none longer than 300 characters", () => {
  const many = Array.from({ length: 30 }, (_, i) => `- fact ${i}`).join("\n");
  assertEquals(parseFacts(many).length, 20);
  assertEquals(parseFacts(`- ${"x".repeat(400)}\n- short`), ["- short"]);
});
