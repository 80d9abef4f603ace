import { assertEquals } from "../../tests/support/assert.ts";
import type { Command } from "../commands/mod.ts";
import type { Decision, Rights } from "./decide.ts";
import { commandDirectory } from "./adhoc.ts";
import type { AgentEvent } from "./events.ts";

const RIGHTS: Rights = { dev: false, erase: true, admin: false, tools: true };

function command(name: string, extra: Partial<Command> = {}): Command {
  return { name, summary: `${name} it`, run: () => Promise.resolve(`ran ${name}`), ...extra };
}

const COMMANDS = [
  command("status"),
  command("raw", { dev: true, args: { label: "The stanza", required: true } }),
  command("forget", { erases: true, confirm: "Sure?" }),
];

function directory(decide: (event: AgentEvent) => Decision) {
  const routed: AgentEvent[] = [];
  const dir = commandDirectory({
    policy: { decide },
    commands: () => COMMANDS,
    route: (event) => {
      routed.push(event);
      const decision = decide(event);
      if (decision.outcome === "accept" && event.type === "adhoc") {
        event.answer(`ran ${event.node}`);
      }
      return decision;
    },
  });
  return { dir, routed };
}

Deno.test("commandDirectory() lists what the requester's rights allow, with forms' needs", () => {
  const { dir } = directory(() => ({ outcome: "accept", key: "alice@x", rights: RIGHTS }));
  assertEquals(dir.list("alice@x/phone"), [
    { node: "status", name: "/status: status it" },
    { node: "forget", name: "/forget: forget it", confirm: "Sure?" },
  ]);
  const { dir: dev } = directory(() => ({
    outcome: "accept",
    key: "bob@x",
    rights: { ...RIGHTS, dev: true },
  }));
  assertEquals(dev.list("bob@x/pc")?.map((item) => item.node), ["status", "raw", "forget"]);
  assertEquals(dev.list("bob@x/pc")?.[1]?.args, { label: "The stanza", required: true });
});

Deno.test("commandDirectory() offers a refused requester nothing and answers a run at once", async () => {
  const { dir, routed } = directory(() => ({ outcome: "ignore", reason: "a stranger" }));
  assertEquals(dir.list("eve@x/r"), undefined);
  assertEquals(
    await dir.run({ from: "eve@x/r", node: "status", args: "" }),
    "You may not use this agent's commands.",
  );
  assertEquals(routed.map((event) => event.type), ["adhoc"]);
});

Deno.test("commandDirectory() runs a command through the router as its conversation's event", async () => {
  const { dir, routed } = directory(() => ({ outcome: "accept", key: "alice@x", rights: RIGHTS }));
  assertEquals(await dir.run({ from: "alice@x/phone", node: "status", args: "" }), "ran status");
  const event = routed[0];
  assertEquals(event?.type === "adhoc" ? [event.bare, event.node] : [], ["alice@x", "status"]);
});
