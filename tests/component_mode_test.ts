/**
 * The agent as an XEP-0114 component, end to end: handshake, a conversation with
 * `anything@component`, presence owned by the component, and a wrong secret.
 */
import { assertEquals, assertIncludes, eventually } from "./support/assert.ts";
import { startAgent } from "./support/agent_process.ts";
import { startFakeLlm } from "./support/fake_llm.ts";
import { connectHuman, type HumanEvent } from "./support/human.ts";
import { startProsody } from "./support/prosody.ts";

function componentToml(port: number, llmUrl: string, dataDir: string, secret: string): string {
  return `
[server]
mode = "component"
host = "127.0.0.1"
port = ${port}
component_domain = "agent.localhost"
component_secret = "${secret}"

[llm]
provider = "ollama"
model = "test-model"
host = "${llmUrl}"
max_retries = 0

[agent]
allowed_jids = ["alice@localhost"]

[memory]
path = "${dataDir}"

[log]
level = "debug"
`;
}

Deno.test("component mode: a conversation with anything@agent.localhost, presence and IQs", async () => {
  await using prosody = await startProsody();
  await prosody.register("alice", "alicepass");
  await prosody.register("eve", "evepass");
  await using llm = await startFakeLlm();
  const dataDir = await Deno.makeTempDir({ prefix: "fluux-component-" });
  try {
    await using _agent = await startAgent({
      prosody,
      llmUrl: llm.url,
      configToml: componentToml(prosody.componentPort, llm.url, dataDir, prosody.componentSecret),
    });
    await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
    await alice.send("helper@agent.localhost", "hello component");
    const reply = await alice.nextMessage({ from: "helper@agent.localhost", withBody: true });
    assertEquals(reply.body, "echo: hello component");
    assertEquals(reply.from.split("/")[0], "helper@agent.localhost");
    await alice.send("agent.localhost", "/ping");
    assertEquals(
      (await alice.nextMessage({ from: "agent.localhost", withBody: true })).body,
      "pong",
    );

    await alice.subscribe("agent.localhost");
    await alice.waitFor((e) => e.kind === "subscribed" && e.from === "agent.localhost");
    await alice.waitFor((e) =>
      e.kind === "presence" && e.from.startsWith("agent.localhost") && e.type === "available"
    );
    assertEquals((await alice.iq("agent.localhost", "ping")).type, "result");
    assertEquals((await alice.iq("agent.localhost", "version")).name, "Fluux Agent");

    await using eve = await connectHuman(prosody, { user: "eve", password: "evepass" });
    await eve.send("helper@agent.localhost", "let me in");
    await eve.expectSilence("helper@agent.localhost", 1000);
    const history = await Deno.readTextFile(`${dataDir}/alice@localhost/history.jsonl`);
    assertIncludes(history, "hello component");
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("component mode: a contact is told when the agent leaves and when it is back", async () => {
  await using prosody = await startProsody();
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm();
  const dataDir = await Deno.makeTempDir({ prefix: "fluux-component-" });
  const config = componentToml(prosody.componentPort, llm.url, dataDir, prosody.componentSecret);
  const fromAgent = (type: string) => (e: HumanEvent) =>
    e.kind === "presence" && e.from === "agent.localhost" && e.type === type;
  try {
    await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
    const first = await startAgent({ prosody, llmUrl: llm.url, configToml: config });
    await alice.subscribe("agent.localhost");
    await alice.waitFor((e) => e.kind === "subscribed" && e.from === "agent.localhost");
    await alice.waitFor(fromAgent("available"));

    await first.stop();
    await alice.waitFor(fromAgent("unavailable"));
    const contacts = JSON.parse(await Deno.readTextFile(`${dataDir}/contacts.json`));
    assertEquals(
      contacts.contacts.map((c: { jid: string; address: string }) => [c.jid, c.address]),
      [["alice@localhost", "agent.localhost"]],
    );

    // Alice stays online: nothing probes the agent, it must come and say it is back.
    const second = await startAgent({ prosody, llmUrl: llm.url, configToml: config });
    await alice.waitFor(fromAgent("available"));

    // Once Alice unsubscribes she is told the agent is gone, and is forgotten: not told
    // again when it leaves.
    await alice.sendPresence({ to: "agent.localhost", type: "unsubscribe" });
    await alice.waitFor(fromAgent("unavailable"));
    await eventually(
      "Alice gone from contacts.json",
      async () => !(await Deno.readTextFile(`${dataDir}/contacts.json`)).includes("alice"),
    );
    const mark = alice.events.length;
    await second.stop();
    await new Promise((resolve) => setTimeout(resolve, 500));
    assertEquals(alice.events.slice(mark).filter(fromAgent("unavailable")), []);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("component mode: a contact's login probe is answered and the contact remembered", async () => {
  await using prosody = await startProsody();
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm();
  const dataDir = await Deno.makeTempDir({ prefix: "fluux-component-" });
  const config = componentToml(prosody.componentPort, llm.url, dataDir, prosody.componentSecret);
  try {
    {
      await using _agent = await startAgent({ prosody, llmUrl: llm.url, configToml: config });
      await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
      await alice.subscribe("agent.localhost");
      await alice.waitFor((e) => e.kind === "subscribed" && e.from === "agent.localhost");
      await eventually(
        "contacts.json written",
        () => Deno.stat(`${dataDir}/contacts.json`).then(() => true, () => false),
      );
    }
    // As if the agent had never written it down: the server's probe at the next login tells.
    await Deno.remove(`${dataDir}/contacts.json`);
    await using _agent = await startAgent({ prosody, llmUrl: llm.url, configToml: config });
    await using again = await connectHuman(prosody, { user: "alice", password: "alicepass" });
    await again.waitFor((e) =>
      e.kind === "presence" && e.from === "agent.localhost" && e.type === "available"
    );
    await eventually(
      "Alice in contacts.json",
      async () =>
        (await Deno.readTextFile(`${dataDir}/contacts.json`).catch(() => "")).includes("alice"),
    );
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("component mode: a wrong secret stops the agent with a clear reason", async () => {
  await using prosody = await startProsody();
  await using llm = await startFakeLlm();
  const dataDir = await Deno.makeTempDir({ prefix: "fluux-component-" });
  try {
    const agent = await startAgent({
      prosody,
      llmUrl: llm.url,
      configToml: componentToml(prosody.componentPort, llm.url, dataDir, "not-the-secret"),
      waitOnline: false,
    });
    assertEquals(await agent.exited, 1);
    await agent.stop();
    const reason = agent.lines.events.find((line) => line.startsWith("fluux-agent: ")) ?? "";
    assertIncludes(reason, "secret");
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
