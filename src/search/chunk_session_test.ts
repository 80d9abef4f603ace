import { assertEquals, assertTrue } from "../../tests/support/assert.ts";
import { chunkSession } from "./chunk_session.ts";

const encoder = new TextEncoder();
const fallbackDate = "2026-01-01T00:00:00.000Z";

function session(entries: object[]): Uint8Array {
  const header = { type: "session", version: 1, created: "2026-11-27T10:00:00Z", jid: "a@x" };
  return encoder.encode([header, ...entries].map((e) => JSON.stringify(e) + "\n").join(""));
}

function message(role: "user" | "assistant", content: string, ts: string, extra = {}) {
  return { type: "message", role, content, ts, ...extra };
}

Deno.test("chunkSession() indexes messages as `role: text`, with lines, seq and date", () => {
  const bytes = session([
    message("user", "My cat is named Zorro", "2026-11-27T10:00:00Z"),
    { type: "tool_calls", round: 1, calls: [], ts: "2026-11-27T10:00:01Z" },
    message("assistant", "A fine name", "2026-11-27T10:00:02Z"),
  ]);
  const result = chunkSession({ bytes, line: 1, byte: 0, seq: 0 }, { fallbackDate });
  assertEquals(result.chunks.length, 1);
  const [chunk] = result.chunks;
  assertEquals(chunk!.text, "user: My cat is named Zorro\nassistant: A fine name");
  assertEquals([chunk!.lineFrom, chunk!.lineTo, chunk!.seqFrom, chunk!.seqTo], [2, 4, 0, 1]);
  assertEquals(chunk!.date, "2026-11-27T10:00:00Z");
  assertEquals(result.messages, 2);
});

Deno.test("chunkSession() names a room's speakers and the files sent", () => {
  const bytes = session([
    message("user", "look", "2026-11-27T10:00:00Z", {
      sender: "bob@muc",
      attachments: [{ filename: "plan.pdf", mime_type: "application/pdf", size: "1" }],
    }),
  ]);
  const [chunk] = chunkSession({ bytes, line: 1, byte: 0, seq: 0 }, { fallbackDate }).chunks;
  assertEquals(chunk!.text, "bob@muc: look (file: plan.pdf)");
});

Deno.test("chunkSession() cuts by exchanges and leaves a line still being written", () => {
  const entries = [];
  for (let i = 0; i < 40; i++) {
    entries.push(message("user", `question ${i} ${"x".repeat(60)}`, "2026-11-27T10:00:00Z"));
    entries.push(message("assistant", `answer ${i} ${"y".repeat(60)}`, "2026-11-27T10:00:01Z"));
  }
  const full = session(entries);
  const torn = new Uint8Array([...full, ...encoder.encode('{"type":"message","role":"us')]);
  const result = chunkSession({ bytes: torn, line: 1, byte: 0, seq: 0 }, {
    fallbackDate,
    maxTokens: 100,
    overlapTokens: 40,
  });
  assertEquals(result.messages, 80);
  for (const chunk of result.chunks) {
    assertTrue(chunk.text.startsWith("user: question"), "each chunk starts with an exchange");
    assertTrue(chunk.seqFrom % 2 === 0);
  }
  assertEquals(result.chunks.at(-1)!.seqTo, 79);
});

Deno.test("chunkSession() resumed at its last chunk gives what chunking it all again gives", () => {
  const entries = Array.from(
    { length: 30 },
    (_, i) =>
      message(
        i % 2 === 0 ? "user" : "assistant",
        `message ${i} ${"z".repeat(50)}`,
        "2026-11-27T10:00:00Z",
      ),
  );
  const options = { fallbackDate, maxTokens: 80, overlapTokens: 20 };
  const first = chunkSession(
    { bytes: session(entries.slice(0, 17)), line: 1, byte: 0, seq: 0 },
    options,
  );
  const grown = session(entries);
  const { resume } = first;
  const rest = chunkSession(
    { bytes: grown.subarray(resume.byte), line: resume.line, byte: resume.byte, seq: resume.seq },
    options,
  );
  const kept = first.chunks.filter((chunk) => chunk.lineFrom < resume.line);
  const whole = chunkSession({ bytes: grown, line: 1, byte: 0, seq: 0 }, options);
  assertEquals([...kept, ...rest.chunks], whole.chunks);
  assertEquals(rest.messages, 30);
});
