import { assertEquals, assertIncludes } from "../../tests/support/assert.ts";
import type { CommandMemory, ConversationControl } from "./command.ts";
import { CommandRegistry, parseCommandLine } from "./command_registry.ts";
import { compactCommand } from "./compact_command.ts";
import { contextCommand } from "./dev_commands.ts";
import { statusCommand } from "./info_commands.ts";

function registry() {
  return new CommandRegistry([compactCommand, contextCommand, statusCommand]);
}

function context(conversation: ConversationControl | undefined) {
  return {
    jid: "alice@localhost",
    session: "alice@localhost",
    rights: { dev: true, erase: true },
    sendRaw: () => undefined,
    memory: {
      messageCount: () => Promise.resolve(12),
      archivedSessions: () => Promise.resolve(0),
      promptParts: () => Promise.resolve({ user: "Alice, a sailor." }),
    } as unknown as CommandMemory,
    now: () => new Date("2026-12-01T10:00:00Z"),
    status: () => ({
      startedAt: new Date("2026-12-01T09:00:00Z"),
      mode: "client",
      provider: "anthropic",
      model: "m",
      usage: { calls: 0, input_tokens: 0, output_tokens: 0 },
    }),
    ...(conversation === undefined ? {} : { conversation }),
  };
}

const control = (fail = false): ConversationControl => ({
  statusLines: () => Promise.resolve(["Summarised: 10 messages, last compacted 2026-12-01T09:30Z"]),
  summary: () =>
    Promise.resolve({
      content: "Alice sails on Friday.",
      compacted_count: 10,
      ts: "2026-12-01T09:30Z",
    }),
  compactNow: () =>
    fail ? Promise.reject(new Error("LLM down")) : Promise.resolve("Compacted: 4 more"),
});

const run = (line: string, conversation?: ConversationControl) =>
  registry().execute(parseCommandLine(line)!, context(conversation));

Deno.test("/compact compacts, and says so plainly when it fails", async () => {
  assertEquals(await run("/compact", control()), "Compacted: 4 more");
  assertIncludes(await run("/compact", control(true)), "Compaction failed: nothing was changed");
  assertEquals(await run("/compact"), "Compaction is not available here.");
});

Deno.test("/context shows the profile and the summary; /status how much is summarised", async () => {
  const shown = await run("/context", control());
  assertIncludes(shown, "Alice, a sailor.");
  assertIncludes(shown, "Summary of 10 messages (2026-12-01T09:30Z):\nAlice sails on Friday.");
  assertIncludes(await run("/status", control()), "Summarised: 10 messages");
  assertEquals(await run("/context"), "Alice, a sailor.");
});
