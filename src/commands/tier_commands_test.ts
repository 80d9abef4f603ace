import { assertEquals, assertIncludes } from "../../tests/support/assert.ts";
import { TierOverrides, type TierRoute } from "../llm/mod.ts";
import { CommandRegistry, parseCommandLine, tierCommands } from "./mod.ts";
import type { CommandMemory } from "./mod.ts";

const ROUTES: TierRoute[] = [
  {
    tier: "heavy",
    model: "anthropic:opus",
    configured: true,
    chain: ["anthropic:opus", "ollama:llama3.1:8b"],
  },
  {
    tier: "standard",
    model: "anthropic:sonnet",
    configured: false,
    chain: ["anthropic:sonnet", "ollama:llama3.1:8b"],
  },
  { tier: "light", model: "ollama:llama3.1:8b", configured: true, chain: ["ollama:llama3.1:8b"] },
  {
    tier: "vision",
    model: "anthropic:sonnet",
    configured: false,
    chain: ["anthropic:sonnet", "ollama:llama3.1:8b"],
  },
];

function setup() {
  const overrides = new TierOverrides({ routes: () => ROUTES });
  const registry = new CommandRegistry(tierCommands(overrides));
  const run = (text: string, jid = "alice@localhost", dev = true) =>
    registry.execute(parseCommandLine(text)!, {
      jid,
      session: jid,
      rights: { dev, erase: true },
      sendRaw: () => undefined,
      memory: {} as CommandMemory,
      now: () => new Date(),
      status: () => {
        throw new Error("not used");
      },
    });
  return { overrides, run };
}

Deno.test("/tier shows each tier's model and the fallback chain", async () => {
  const { run } = setup();
  assertEquals(
    await run("/tier"),
    [
      "Tiers:",
      "- heavy: anthropic:opus",
      "- standard: anthropic:sonnet (not configured: standard's)",
      "- light: ollama:llama3.1:8b",
      "- vision: anthropic:sonnet (not configured: standard's)",
      "Fallback: ollama:llama3.1:8b",
      "This conversation: each call's own tier",
    ].join("\n"),
  );
});

Deno.test("/tier <name> forces a tier for this conversation only, until /tier reset", async () => {
  const { run, overrides } = setup();
  assertEquals(
    await run("/tier Light"),
    "This conversation now uses the light tier (ollama:llama3.1:8b) for every answer, " +
      "until /tier reset or a restart.",
  );
  assertEquals(overrides.tierFor("alice@localhost", "standard"), "light");
  assertEquals(overrides.tierFor("bob@localhost", "standard"), "standard");
  assertIncludes(await run("/tier"), "This conversation: light forced (until /tier reset)");
  assertIncludes(await run("/tier vision"), "(not configured: anthropic:sonnet, as standard)");
  assertEquals(
    await run("/tier reset"),
    "Tier reset: each call in this conversation uses its own tier again.",
  );
  assertEquals(overrides.forced("alice@localhost"), undefined);
  assertEquals(await run("/tier reset"), "No tier is forced in this conversation.");
});

Deno.test("/tier names the tiers when given another name", async () => {
  const { run, overrides } = setup();
  assertEquals(
    await run("/tier fast"),
    'Unknown tier "fast". Tiers: heavy, standard, light, vision. Usage: /tier [<name>|reset]',
  );
  assertEquals(overrides.forced("alice@localhost"), undefined);
});

Deno.test("/tier is a developer command", async () => {
  const { run, overrides } = setup();
  assertIncludes(await run("/tier light", "alice@localhost", false), "agent.dev_command_jids");
  assertEquals(overrides.forced("alice@localhost"), undefined);
});
