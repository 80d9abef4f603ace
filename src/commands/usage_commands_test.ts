import { assertEquals, assertIncludes } from "../../tests/support/assert.ts";
import { memoryUsageFile, Quota, UsageLedger, usageReport } from "../usage/mod.ts";
import { CommandRegistry, parseCommandLine, usageCommands } from "./mod.ts";
import type { CommandMemory } from "./mod.ts";

async function setup() {
  const now = () => new Date("2026-12-01T18:00:00Z");
  const ledger = await UsageLedger.open(memoryUsageFile(), { now });
  await ledger.record({
    conversation: "alice@localhost",
    model: "anthropic:claude-sonnet-4-5",
    input_tokens: 1000,
    output_tokens: 200,
    cache_read_tokens: 50,
  });
  await ledger.record({
    conversation: "bob@localhost",
    model: "ollama:llama3.1:8b",
    input_tokens: 10,
    output_tokens: 10,
  });
  const quota = new Quota(ledger, { dailyTokens: 2000, monthlyTokens: 0 }, { now });
  const prices = { "claude-sonnet-4-5": { input: 3, output: 15, cache_read: 0.3 } };
  const registry = new CommandRegistry(usageCommands({
    report: (jid) => usageReport(jid, { ledger, quota, prices, now }),
  }));
  return (text: string, jid = "alice@localhost", admin = false) =>
    registry.execute(parseCommandLine(text)!, {
      jid,
      session: jid,
      rights: { dev: false, erase: true, admin },
      sendRaw: () => undefined,
      memory: {} as CommandMemory,
      now,
      status: () => {
        throw new Error("not used");
      },
    });
}

Deno.test("/usage shows today's and this month's tokens, the cost and what the quota leaves", async () => {
  const run = await setup();
  assertEquals(
    await run("/usage"),
    [
      "Usage of alice@localhost",
      "Today (2026-12-01 UTC): 1,250 tokens (input 1,000, output 200, cache read 50, cache " +
      "write 0), about $0.0060",
      "This month (2026-12): 1,250 tokens (input 1,000, output 200, cache read 50, cache " +
      "write 0), about $0.0060",
      "By model this month:",
      "- anthropic:claude-sonnet-4-5: 1,250 tokens",
      "Daily limit: 2,000 tokens, 750 left (resets 2026-12-02 00:00 UTC, in 6h 0m 0s)",
      "Monthly limit: none",
    ].join("\n"),
  );
});

Deno.test("/usage <jid> is for admins; a price missing is said", async () => {
  const run = await setup();
  assertIncludes(await run("/usage bob@localhost"), "Only admins (agent.admin_jids)");
  const bob = await run("/usage Bob@Localhost", "alice@localhost", true);
  assertIncludes(bob, "Usage of bob@localhost");
  assertIncludes(bob, "about $0.00 (no price for ollama:llama3.1:8b)");
  assertIncludes(await run("/usage not a jid", "alice@localhost", true), "is not a bare JID");
  assertIncludes(await run("/usage alice@localhost"), "Usage of alice@localhost");
});
