/**
 * The slash commands in clients' command menus (XEP-0050 with XEP-0004 forms): a real client
 * (slixmpp's xep_0050 plugin) lists what its rights allow, runs a command and reads its
 * answer, fills in a confirmation form; a stranger gets nothing.
 */
import { assertEquals, assertIncludes, assertTrue, eventually } from "./support/assert.ts";
import { startAgent } from "./support/agent_process.ts";
import { startFakeLlm } from "./support/fake_llm.ts";
import { connectHuman } from "./support/human.ts";
import { startProsody } from "./support/prosody.ts";

const AGENT = "bot@localhost/fluux-agent";
const PLUGINS = ["xep_0004", "xep_0050"];

Deno.test("ad-hoc commands: listed by rights, run like typed commands", async (t) => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await prosody.register("bob", "bobpass");
  await prosody.register("eve", "evepass");
  await using llm = await startFakeLlm();
  await using agent = await startAgent({
    prosody,
    llmUrl: llm.url,
    allowedJids: ["alice@localhost", "bob@localhost"],
    agentToml: 'dev_command_jids = ["bob@localhost"]',
  });
  await using alice = await connectHuman(prosody, {
    user: "alice",
    password: "alicepass",
    plugins: PLUGINS,
  });

  await t.step("the menu lists the commands, without the developer ones", async () => {
    const commands = await alice.commands(AGENT);
    const nodes = commands.map((command) => command.node);
    for (const node of ["help", "status", "new", "forget", "ping"]) {
      assertTrue(nodes.includes(node), `${node} in ${nodes.join(", ")}`);
    }
    for (const node of ["raw", "debug", "history"]) {
      assertTrue(!nodes.includes(node), `${node} is a developer command`);
    }
    const status = commands.find((command) => command.node === "status");
    assertIncludes(status?.name ?? "", "/status");
  });

  await t.step("a command runs at once and answers in the result, no LLM call", async () => {
    const before = llm.chat_count;
    const ping = await alice.runCommand(AGENT, "ping");
    assertEquals(ping.status, "completed");
    assertEquals(ping.notes, ["pong"]);
    assertEquals(ping.values?.answer, "pong");
    const status = await alice.runCommand(AGENT, "status");
    assertIncludes(String(status.values?.answer), "Mode: client");
    assertEquals(llm.chat_count, before);
  });

  await t.step("/forget asks first; unconfirmed, nothing is erased", async () => {
    await alice.send("bot@localhost", "remember this");
    await alice.nextMessage({ from: "bot@localhost", withBody: true });
    const history = `${agent.dataDir}/alice@localhost/history.jsonl`;
    await eventually(
      "the answer stored",
      async () => (await Deno.readTextFile(history)).includes("echo: remember this"),
    );
    const refused = await alice.runCommand(AGENT, "forget", { confirm: "0" });
    assertEquals(refused.asked, ["confirm"]);
    assertEquals(refused.status, "canceled");
    assertIncludes(await Deno.readTextFile(history), "remember this");
    const done = await alice.runCommand(AGENT, "forget", { confirm: "1" });
    assertEquals(done.status, "completed");
    assertIncludes(String(done.values?.answer), "I forgot this conversation");
    const left = await Deno.readTextFile(history).catch(() => "");
    assertTrue(!left.includes("remember this"), "the history is erased");
  });

  await t.step("a developer sees and runs developer commands with their arguments", async () => {
    await using bob = await connectHuman(prosody, {
      user: "bob",
      password: "bobpass",
      plugins: PLUGINS,
    });
    const nodes = (await bob.commands(AGENT)).map((command) => command.node);
    assertTrue(nodes.includes("raw") && nodes.includes("history"), nodes.join(", "));
    const sent = await bob.runCommand(AGENT, "raw", {
      args: "<message to='bob@localhost' type='chat'><body>raw hello</body></message>",
    });
    assertEquals(sent.asked, ["args"]);
    assertEquals(sent.values?.answer, "Sent.");
    const raw = await bob.nextMessage({ from: "bot@localhost", withBody: true });
    assertEquals(raw.body, "raw hello");
  });

  await t.step("a stranger is offered nothing and may run nothing", async () => {
    await using eve = await connectHuman(prosody, {
      user: "eve",
      password: "evepass",
      plugins: PLUGINS,
    });
    assertEquals(await eve.commands(AGENT), []);
    const ping = await eve.runCommand(AGENT, "ping");
    assertEquals(ping.status, "error");
    assertEquals(ping.error, "forbidden");
  });
});
