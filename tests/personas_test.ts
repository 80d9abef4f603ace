/**
 * Personas end to end (a real Prosody, slixmpp as the people, the agent as a child process, a
 * fake LLM on the wire): `/persona <name>` changes the prompt of the person's next answer and
 * only theirs, the choice survives a restart, and a persona of one's own is made by answering
 * `/persona create`'s questions.
 */
import { assertEquals, assertExcludes, assertIncludes } from "./support/assert.ts";
import { startAgent } from "./support/agent_process.ts";
import { type FakeLlm, startFakeLlm } from "./support/fake_llm.ts";
import { connectHuman, type Human, type HumanMessage } from "./support/human.ts";
import { startProsody } from "./support/prosody.ts";

const BOT = "bot@localhost";

const PIRATE_TOML = `[persona]
id = "pirate"
name = "Pirate"
icon = "🏴‍☠️"
description = "Talks like a pirate"
`;

async function writePersona(dataDir: string): Promise<void> {
  const dir = `${dataDir}/personas/pirate`;
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(`${dir}/persona.toml`, PIRATE_TOML);
  await Deno.writeTextFile(`${dir}/identity.md`, "You are Captain Flint, a pirate.\n");
  await Deno.mkdir(`${dataDir}/personas/tutor`, { recursive: true });
  await Deno.writeTextFile(
    `${dataDir}/personas/tutor/persona.toml`,
    '[persona]\nid = "tutor"\nname = "Tutor"\n',
  );
  await Deno.writeTextFile(`${dataDir}/personas/tutor/identity.md`, "You are a patient tutor.\n");
}

/** The system prompt of the LLM request that answered the last message. */
function lastSystem(llm: FakeLlm): string {
  const body = llm.requests.at(-1)?.body as { system?: unknown };
  return typeof body.system === "string" ? body.system : JSON.stringify(body.system);
}

async function ask(person: Human, text: string): Promise<string> {
  await person.send(BOT, text);
  return (await person.nextMessage({ from: BOT, withBody: true })).body ?? "";
}

Deno.test("/persona <name> changes the next prompt, only for that person, and survives a restart", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await prosody.register("bob", "bobpass");
  await using llm = await startFakeLlm();
  const dataDir = await Deno.makeTempDir({ prefix: "fluux-personas-" });
  try {
    await writePersona(dataDir);
    const options = {
      prosody,
      llmUrl: llm.url,
      dataDir,
      allowedJids: ["alice@localhost", "bob@localhost"],
    };
    await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
    await using bob = await connectHuman(prosody, { user: "bob", password: "bobpass" });
    {
      await using _agent = await startAgent(options);
      assertEquals(await ask(alice, "hello"), "echo: hello");
      assertExcludes(lastSystem(llm), "Captain Flint");

      const chosen = await ask(alice, "/persona pirate");
      assertEquals(chosen, "Persona: 🏴‍☠️ Pirate (pirate), from your next message on.");
      const calls = llm.chat_count;
      assertEquals(await ask(alice, "ahoy"), "echo: ahoy");
      assertEquals(llm.chat_count, calls + 1);
      assertIncludes(lastSystem(llm), "You are Captain Flint, a pirate.");
      assertExcludes(lastSystem(llm), "You are Fluux Agent");

      assertEquals(await ask(bob, "hi"), "echo: hi");
      assertExcludes(lastSystem(llm), "Captain Flint");
      assertIncludes(lastSystem(llm), "You are Fluux Agent");
      assertEquals(
        await ask(bob, "/persona"),
        "No persona: the agent's own prompt is used. /persona list shows the personas.",
      );
    }
    assertEquals(
      await Deno.readTextFile(`${dataDir}/alice@localhost/active_persona.txt`),
      "pirate\n",
    );
    await using _again = await startAgent(options);
    assertEquals(await ask(alice, "still there?"), "echo: still there?");
    assertIncludes(lastSystem(llm), "You are Captain Flint, a pirate.");
    assertEquals(await ask(bob, "and me?"), "echo: and me?");
    assertExcludes(lastSystem(llm), "Captain Flint");

    assertEquals(
      await ask(alice, "/persona reset"),
      "Persona reset: the agent's own prompt is used here.",
    );
    assertEquals(await ask(alice, "plain again"), "echo: plain again");
    assertExcludes(lastSystem(llm), "Captain Flint");
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("/persona create asks its questions over the next messages; the LLM sees none of them", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm();
  await using agent = await startAgent({
    prosody,
    llmUrl: llm.url,
    extraToml: "[personas]\nallow_user_personas = true\n",
  });
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  assertIncludes(await ask(alice, "/persona create Coach"), "1/3 — its role");
  assertIncludes(await ask(alice, "a running coach for beginners"), "2/3 — its tone");
  assertIncludes(await ask(alice, "cheerful"), "3/3 — its rules");
  assertEquals(
    await ask(alice, "never give medical advice"),
    'Persona "coach" created. /persona coach uses it; /persona export coach shows it.',
  );
  assertEquals(llm.chat_count, 0, "the answers went to the command, not to the LLM");
  assertEquals(
    await Deno.readTextFile(`${agent.dataDir}/alice@localhost/personas/coach/personality.md`),
    "Your tone: cheerful\n",
  );
  assertIncludes(await ask(alice, "/persona coach"), "Coach (coach)");
  assertEquals(await ask(alice, "how far today?"), "echo: how far today?");
  const system = lastSystem(llm);
  assertIncludes(system, 'You are "Coach". Your role: a running coach for beginners');
  assertIncludes(system, "Rules you follow:\nnever give medical advice");
  await agent.waitForLog(/Handled chat from alice@localhost: an answer to a command's question/);
});

Deno.test("a [personas] default without a valid package stops the start, naming the file", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await using llm = await startFakeLlm();
  const dataDir = await Deno.makeTempDir({ prefix: "fluux-personas-" });
  try {
    await Deno.mkdir(`${dataDir}/personas/broken`, { recursive: true });
    await Deno.writeTextFile(
      `${dataDir}/personas/broken/persona.toml`,
      '[persona]\nid = "broken"\nname = "Broken"\n[persona.defaults]\ntier = "fast"\n',
    );
    await using agent = await startAgent({
      prosody,
      llmUrl: llm.url,
      dataDir,
      waitOnline: false,
      extraToml: '[personas]\ndefault = "broken"\n',
    });
    assertEquals(await agent.exited, 2);
    const lines = agent.lines.events.join("\n");
    assertIncludes(
      lines,
      `Persona not used: ${dataDir}/personas/broken/persona.toml: persona.defaults.tier: ` +
        'expected one of "heavy", "standard", "light", "vision", found "fast"',
    );
    assertIncludes(
      lines,
      `fluux-agent: personas.default: no valid persona "broken" (expected ` +
        `${dataDir}/personas/broken/persona.toml)`,
    );
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("a room's persona is everyone's, and its restriction applies to everyone in it", async () => {
  const room = "dev@conference.localhost";
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await prosody.register("eve", "evepass");
  await using llm = await startFakeLlm();
  const dataDir = await Deno.makeTempDir({ prefix: "fluux-personas-" });
  try {
    await writePersona(dataDir);
    await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
    await alice.joinRoom(room, "alice");
    // Non-anonymous: the agent must see who is who to know alice is allowed.
    await alice.configureRoom(room, { "muc#roomconfig_whois": "anyone" });
    await using eve = await connectHuman(prosody, { user: "eve", password: "evepass" });
    await eve.joinRoom(room, "eve");
    await using agent = await startAgent({
      prosody,
      llmUrl: llm.url,
      dataDir,
      extraToml: `
[[rooms]]
jid = "${room}"
nick = "bot"

[personas]
default = "pirate"

[[personas.restrictions]]
jid = "${room}"
allowed = ["tutor"]
`,
    });
    await agent.waitForLog(new RegExp(`Joined ${room}`));
    const fromBot = (event: { kind: string; from?: string; body?: string }) =>
      event.kind === "message" && event.from === `${room}/bot` && event.body !== undefined;
    // Both occupants get every answer in the room: both take it, so the next is the next one.
    const inRoom = async (person: Human, text: string) => {
      await person.send(room, `bot: ${text}`, { type: "groupchat" });
      const [a, e] = await Promise.all([alice.waitFor(fromBot), eve.waitFor(fromBot)]);
      const body = (person === alice ? a : e) as HumanMessage;
      return body.body ?? "";
    };

    assertEquals(await ask(alice, "hello"), "echo: hello");
    assertIncludes(lastSystem(llm), "Captain Flint", "one-to-one, alice has the default");
    await inRoom(alice, "hello room");
    assertExcludes(lastSystem(llm), "Captain Flint", "the room may not use the default");

    assertIncludes(
      await inRoom(eve, "/persona tutor"),
      "only an occupant whose real JID is allowed",
    );
    assertIncludes(
      await inRoom(alice, "/persona pirate"),
      'Persona "pirate" cannot be used here: it is not among the personas allowed here',
    );
    assertEquals(
      await inRoom(alice, "/persona tutor"),
      "Persona: Tutor (tutor), from your next message on.",
    );
    // Alice's choice answers eve too: the persona is the room's.
    await inRoom(eve, "what now?");
    assertIncludes(lastSystem(llm), "You are a patient tutor.");
    assertEquals(await ask(alice, "and here?"), "echo: and here?");
    assertIncludes(lastSystem(llm), "Captain Flint", "alice's own conversation keeps hers");
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
