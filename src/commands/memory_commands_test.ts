import { assertEquals, assertIncludes } from "../../tests/support/assert.ts";
import {
  CommandRegistry,
  memoryCommands,
  type MemoryCommandSearch,
  parseCommandLine,
} from "./mod.ts";
import type { CommandMemory } from "./mod.ts";

class AccessError extends Error {
  override name = "MemoryAccessError";
}

function fakeSearch(calls: string[], sharing = true): MemoryCommandSearch {
  return {
    sharing,
    search(conversation, query, limit) {
      calls.push(`search ${conversation} ${query} ${limit}`);
      if (query === "boom") return Promise.reject(new Error("disk /srv/data/search is full"));
      if (query === "nothing") return Promise.resolve({ hits: [] });
      return Promise.resolve({
        hits: [{
          source: "sessions/20261120-100000.jsonl",
          lineFrom: 2,
          lineTo: 3,
          date: "2026-11-20T10:00:00.000Z",
          text: "user: The boat is called Halcyon",
          shared: false,
        }, {
          source: "shared/facts.md",
          lineFrom: 5,
          lineTo: 5,
          date: "2026-11-21T10:00:00.000Z",
          text: "x".repeat(700),
          shared: true,
        }],
      });
    },
    share(contributor, fact) {
      calls.push(`share ${contributor} ${fact}`);
      if (contributor !== "admin@localhost") {
        return Promise.reject(new AccessError("Only the contributors the operator lists may add"));
      }
      return Promise.resolve({ source: "shared/facts.md", line: 7 });
    },
  };
}

function run(
  text: string,
  search: MemoryCommandSearch,
  sender = "alice@localhost",
  warn?: (m: string) => void,
  erase = true,
) {
  const registry = new CommandRegistry(memoryCommands(search, warn === undefined ? {} : { warn }));
  return registry.execute(parseCommandLine(text)!, {
    jid: "alice@localhost",
    sender,
    session: "alice@localhost",
    rights: { dev: false, erase },
    sendRaw: () => undefined,
    memory: {} as CommandMemory,
    now: () => new Date("2026-12-01T10:00:00Z"),
    status: () => ({
      startedAt: new Date(),
      mode: "client",
      provider: "ollama",
      model: "m",
      usage: { calls: 0, input_tokens: 0, output_tokens: 0 },
    }),
  });
}

Deno.test("/memory search shows results with source, lines and date, in this conversation", async () => {
  const calls: string[] = [];
  const reply = await run("/memory search  boat name", fakeSearch(calls));
  assertEquals(calls, ["search alice@localhost boat name 5"]);
  assertIncludes(reply, 'Found in memory for "boat name":');
  assertIncludes(
    reply,
    "1. sessions/20261120-100000.jsonl, lines 2-3, 2026-11-20\nuser: The boat is called Halcyon",
  );
  assertIncludes(reply, "2. shared/facts.md, lines 5-5, 2026-11-21 (shared)");
  assertIncludes(reply, `${"x".repeat(600)}…`);
  assertEquals(
    await run("/memory search nothing", fakeSearch([])),
    'Nothing found in memory for "nothing".',
  );
});

Deno.test("/memory search tells a failure without its details, which go to the log", async () => {
  const warned: string[] = [];
  const reply = await run(
    "/memory search boom",
    fakeSearch([]),
    "alice@localhost",
    (m) => warned.push(m),
  );
  assertEquals(reply, "Memory search failed; the agent's log says why.");
  assertIncludes(warned[0]!, "disk /srv/data/search is full");
});

Deno.test("/memory share adds for a contributor and says why it refuses anyone else", async () => {
  const calls: string[] = [];
  assertEquals(
    await run("/memory share Lunch is at noon", fakeSearch(calls), "admin@localhost"),
    "Added to shared memory (shared/facts.md, line 7).",
  );
  assertEquals(
    await run("/memory share Lunch is at noon", fakeSearch(calls)),
    "Not added: Only the contributors the operator lists may add.",
  );
  assertEquals(calls, [
    "share admin@localhost Lunch is at noon",
    "share alice@localhost Lunch is at noon",
  ]);
});

Deno.test("/memory alone or with an unknown action shows the usage", async () => {
  for (const text of ["/memory", "/memory search", "/memory delete all"]) {
    assertIncludes(await run(text, fakeSearch([])), "Usage: /memory search <words>");
  }
  const [command] = memoryCommands(fakeSearch([], false));
  assertEquals(command!.summary, "Search this conversation's memory (/memory search <words>)");
});

Deno.test("/memory in a room answers only an occupant whose real JID is allowed", async () => {
  const calls: string[] = [];
  const reply = await run(
    "/memory search boat",
    fakeSearch(calls),
    "stranger@other",
    undefined,
    false,
  );
  assertIncludes(reply, "only an occupant whose real JID is allowed");
  assertEquals(calls, []);
});

Deno.test("/memory shows memory.md and /memory clear empties it, search still working", async () => {
  let text: string | null = "## 2026-12-01\n- Alice's cat is called Tom\n";
  const calls: string[] = [];
  const notes = {
    read: () => Promise.resolve(text),
    clear: () => {
      const had = text !== null;
      text = null;
      return Promise.resolve(had);
    },
  };
  const registry = new CommandRegistry(memoryCommands(fakeSearch(calls), { notes }));
  const exec = (line: string) =>
    registry.execute(parseCommandLine(line)!, {
      jid: "alice@localhost",
      session: "alice@localhost",
      rights: { dev: false, erase: true },
      sendRaw: () => undefined,
      memory: {} as CommandMemory,
      now: () => new Date(),
      status: () => ({
        startedAt: new Date(),
        mode: "client",
        provider: "ollama",
        model: "m",
        usage: { calls: 0, input_tokens: 0, output_tokens: 0 },
      }),
    });
  assertIncludes(await exec("/memory"), "- Alice's cat is called Tom");
  assertEquals(await exec("/memory clear"), "Done: memory.md is empty now.");
  assertIncludes(await exec("/memory"), "memory.md is empty");
  assertEquals(await exec("/memory clear"), "memory.md was already empty.");
  assertIncludes(await exec("/memory search boat"), "Found in memory");
  assertEquals(calls, ["search alice@localhost boat 5"]);
  // Without search, /memory still shows and clears the notes.
  const [alone] = memoryCommands(undefined, { notes });
  assertEquals(alone!.summary, "Show or clear what the agent keeps (/memory, /memory clear)");
});
