import { assertEquals, assertIncludes } from "../../tests/support/assert.ts";
import { builtinCommands, CommandRegistry, formatDuration, parseCommandLine } from "./mod.ts";
import type { CommandMemory } from "./mod.ts";

function fakeMemory(count = 3) {
  const calls: string[] = [];
  const memory: CommandMemory = {
    archive: (jid) => {
      calls.push(`archive ${jid}`);
      return Promise.resolve(count === 0 ? null : "/data/x/sessions/1.jsonl");
    },
    forget: (jid) => Promise.resolve(void calls.push(`forget ${jid}`)),
    messageCount: () => Promise.resolve(count),
    archivedSessions: () => Promise.resolve(2),
  };
  return { memory, calls };
}

function run(text: string, memory: CommandMemory) {
  const registry = new CommandRegistry(builtinCommands());
  const line = parseCommandLine(text);
  if (line === undefined) throw new Error("not a command");
  return registry.execute(line, {
    jid: "alice@localhost",
    memory,
    now: () => new Date("2026-11-27T10:00:00Z"),
    status: () => ({
      startedAt: new Date("2026-11-26T08:58:57Z"),
      mode: "client",
      provider: "anthropic",
      model: "claude-sonnet-4-5",
      usage: { calls: 4, input_tokens: 100, output_tokens: 50 },
    }),
  });
}

Deno.test("parseCommandLine() recognises only bodies starting with a slash", () => {
  assertEquals(parseCommandLine("/History  5 "), { name: "history", args: "5" });
  assertEquals(parseCommandLine("hello /ping"), undefined);
});

Deno.test("/ping answers pong", async () => {
  assertEquals(await run("/ping", fakeMemory().memory), "pong");
});

Deno.test("/new and /reset archive the session", async () => {
  const { memory, calls } = fakeMemory();
  assertIncludes(await run("/new", memory), "previous one (3 messages) is archived");
  await run("/reset", memory);
  assertEquals(calls, ["archive alice@localhost", "archive alice@localhost"]);
});

Deno.test("/new on an empty session says there is nothing to archive", async () => {
  assertIncludes(await run("/new", fakeMemory(0).memory), "Nothing to archive");
});

Deno.test("/forget erases the conversation", async () => {
  const { memory, calls } = fakeMemory();
  assertIncludes(await run("/forget", memory), "Archived sessions are kept");
  assertEquals(calls, ["forget alice@localhost"]);
});

Deno.test("/status shows uptime, mode, LLM and counts", async () => {
  const text = await run("/status", fakeMemory().memory);
  for (
    const part of [
      "Uptime: 1d 1h 1m 3s",
      "Mode: client",
      "anthropic (claude-sonnet-4-5)",
      "This session: 3 messages",
      "Archived sessions: 2",
    ]
  ) {
    assertIncludes(text, part);
  }
});

Deno.test("/help lists every command", async () => {
  const text = await run("/help", fakeMemory().memory);
  for (const name of ["/help", "/status", "/new, /reset", "/forget", "/ping"]) {
    assertIncludes(text, name);
  }
});

Deno.test("an unknown command points to /help", async () => {
  assertEquals(
    await run("/frobnicate now", fakeMemory().memory),
    "Unknown command /frobnicate. Send /help for the list of commands.",
  );
});

Deno.test("formatDuration() omits leading zero units", () => {
  assertEquals(formatDuration(5_000), "5s");
  assertEquals(formatDuration(3_725_000), "1h 2m 5s");
});
