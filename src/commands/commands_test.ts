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
    recent: () =>
      Promise.resolve([
        { type: "message", role: "user", content: "hi", ts: "2026-11-27T10:00:00Z" },
      ]),
    promptParts: () => Promise.resolve({ user: "Alice, gardener" }),
  };
  return { memory, calls };
}

function run(
  text: string,
  memory: CommandMemory,
  rights = { dev: false, erase: true },
  raw: string[] = [],
  last_answer?: { model: string; tier: string; instead_of?: string },
) {
  const registry = new CommandRegistry(builtinCommands());
  const line = parseCommandLine(text);
  if (line === undefined) throw new Error("not a command");
  return registry.execute(line, {
    jid: "alice@localhost",
    session: "alice@localhost",
    rights,
    sendRaw: (xml) => {
      if (!xml.startsWith("<message")) return "expected a stanza";
      raw.push(xml);
      return undefined;
    },
    memory,
    now: () => new Date("2026-11-27T10:00:00Z"),
    status: () => ({
      startedAt: new Date("2026-11-26T08:58:57Z"),
      mode: "client",
      provider: "anthropic",
      model: "claude-sonnet-4-5",
      usage: { calls: 4, input_tokens: 100, output_tokens: 50, last_answer },
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

Deno.test("/status shows which model answered last, and whose place it took", async () => {
  const { memory } = fakeMemory();
  assertEquals((await run("/status", memory)).includes("Last answer"), false);
  const fallback = { model: "ollama:llama3.1:8b", tier: "standard", instead_of: "anthropic:x" };
  assertIncludes(
    await run("/status", memory, undefined, [], fallback),
    "Last answer from: ollama:llama3.1:8b (standard tier, in place of anthropic:x)",
  );
  assertIncludes(
    await run("/status", memory, undefined, [], { model: "anthropic:x", tier: "light" }),
    "Last answer from: anthropic:x (light tier)",
  );
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

Deno.test("developer commands are refused to a normal user, with the reason", async () => {
  for (const command of ["/debug", "/context", "/history 3", "/raw <message/>"]) {
    assertIncludes(await run(command, fakeMemory().memory), "agent.dev_command_jids");
  }
});

Deno.test("developer commands work for a developer", async () => {
  const dev = { dev: true, erase: true };
  const { memory } = fakeMemory();
  assertIncludes(await run("/debug", memory, dev), "Messages in this session: 3");
  assertEquals(await run("/context", memory, dev), "Alice, gardener");
  assertIncludes(await run("/history 1", memory, dev), "user: hi");
  assertIncludes(await run("/history x", memory, dev), "Usage: /history");
  const sent: string[] = [];
  assertEquals(await run("/raw <message to='a@b'/>", memory, dev, sent), "Sent.");
  assertEquals(sent, ["<message to='a@b'/>"]);
  assertEquals(await run("/raw <bogus/>", memory, dev, sent), "Not sent: expected a stanza");
});

Deno.test("/help lists developer commands only to developers", async () => {
  const { memory } = fakeMemory();
  assertEquals((await run("/help", memory)).includes("/raw"), false);
  assertIncludes(await run("/help", memory, { dev: true, erase: true }), "/raw");
});

Deno.test("commands that erase memory are refused without the right", async () => {
  const { memory, calls } = fakeMemory();
  for (const command of ["/new", "/forget"]) {
    assertIncludes(await run(command, memory, { dev: false, erase: false }), "real JID");
  }
  assertEquals(calls, []);
});
