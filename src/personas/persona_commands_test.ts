import assert from "node:assert/strict";
import { type CommandMemory, CommandRegistry, parseCommandLine } from "../commands/mod.ts";
import { InMemoryPersonaFs } from "./in_memory_persona_fs.ts";
import { personaCommands } from "./persona_commands.ts";
import { PersonaDialogues } from "./persona_dialogues.ts";
import { parsePackage } from "./persona_package.ts";
import { Personas, type PersonasOptions } from "./personas.ts";

const ALICE = "alice@example.org";
const ROOM = "dev@conference.example.org";

const OPERATOR = {
  "/data/personas/pirate/persona.toml":
    '[persona]\nid = "pirate"\nname = "Pirate"\nicon = "🏴‍☠️"\ndescription = "Talks like one"\n',
  "/data/personas/pirate/identity.md": "You are a pirate.\n",
  "/data/personas/tutor/persona.toml": '[persona]\nid = "tutor"\nname = "Tutor"\n',
};

function setUp(options: Partial<PersonasOptions> = {}) {
  const fs = new InMemoryPersonaFs(OPERATOR);
  let now = 0;
  const personas = new Personas("/data", { fs, ttlMs: 0, ...options });
  const dialogues = new PersonaDialogues(personas, { now: () => now, timeoutMs: 60_000 });
  const registry = new CommandRegistry(personaCommands(personas, dialogues));
  /** Sends a message as the person would: a command, or an answer to a question. */
  const say = async (
    text: string,
    place: { jid?: string; sender?: string | undefined; erase?: boolean } = {},
  ) => {
    const jid = place.jid ?? ALICE;
    const line = parseCommandLine(text);
    if (line === undefined) return await dialogues.answer(jid, text);
    return await registry.execute(line, {
      jid,
      ...("sender" in place ? (place.sender === undefined ? {} : { sender: place.sender }) : {
        sender: jid,
      }),
      session: jid,
      rights: { dev: false, erase: place.erase ?? true },
      sendRaw: () => undefined,
      memory: {} as CommandMemory,
      now: () => new Date(),
      status: () => {
        throw new Error("not used");
      },
    });
  };
  return { fs, personas, dialogues, say, tick: (ms: number) => now += ms };
}

Deno.test("/persona shows, lists, chooses and resets", async () => {
  const { say, fs } = setUp({ default: "tutor" });
  assert.equal(
    await say("/persona"),
    "Persona: Tutor (tutor)\nThe default (personas.default); /persona <name> chooses another.",
  );
  assert.equal(
    await say("/persona list"),
    [
      "Personas (* = in use):",
      "- 🏴‍☠️ Pirate (pirate): Talks like one",
      "* Tutor (tutor)",
      "/persona <name> chooses one.",
    ].join("\n"),
  );
  assert.equal(
    await say("/persona pirate"),
    "Persona: 🏴‍☠️ Pirate (pirate), from your next message on.",
  );
  assert.equal(fs.files.get("/data/alice@example.org/active_persona.txt"), "pirate\n");
  assert.match(
    (await say("/persona"))!,
    /^Persona: 🏴‍☠️ Pirate \(pirate\) — Talks like one\nChosen here/,
  );
  assert.equal(
    await say("/persona reset"),
    "Persona reset: the default, Tutor (tutor), is used here.",
  );
  assert.equal(fs.files.has("/data/alice@example.org/active_persona.txt"), false);
  assert.equal(
    await say("/persona nobody"),
    'No persona "nobody". Send /persona list to see them.',
  );
  assert.match((await say("/persona ../../etc"))!, /^Invalid persona name "..\/..\/etc"/);
});

Deno.test("/persona in a room: anyone may look, only an allowed occupant may change it", async () => {
  const { say, personas } = setUp();
  const stranger = { jid: ROOM, sender: undefined, erase: false };
  assert.match(
    (await say("/persona pirate", stranger))!,
    /only an occupant whose real JID is allowed/,
  );
  assert.match(
    (await say("/persona reset", stranger))!,
    /only an occupant whose real JID is allowed/,
  );
  assert.equal((await personas.active(ROOM)).persona, undefined);
  assert.match((await say("/persona list", stranger))!, /Pirate/);
  const member = { jid: ROOM, sender: ALICE, erase: true };
  assert.match((await say("/persona pirate", member))!, /^Persona: /);
  assert.equal((await personas.active(ROOM)).persona?.id, "pirate");
  assert.equal(
    await say("/persona create mine", member),
    "Personas of your own are turned off here (personas.allow_user_personas).",
  );
});

Deno.test("/persona create asks role, tone and rules, then writes the package", async () => {
  const { say, fs, personas } = setUp({ allowUserPersonas: true });
  assert.match(
    (await say("/persona create Coach"))!,
    /^Creating the persona "coach"[\s\S]*1\/3 — its role/,
  );
  assert.match((await say("a running coach for beginners"))!, /^2\/3 — its tone/);
  assert.match((await say("cheerful, short sentences"))!, /^3\/3 — its rules/);
  assert.equal(
    await say("Never give medical advice."),
    'Persona "coach" created. /persona coach uses it; /persona export coach shows it.',
  );
  const dir = "/data/alice@example.org/personas/coach";
  assert.equal(
    fs.files.get(`${dir}/identity.md`),
    'You are "Coach". Your role: a running coach for beginners\n',
  );
  assert.equal(fs.files.get(`${dir}/personality.md`), "Your tone: cheerful, short sentences\n");
  assert.equal(
    fs.files.get(`${dir}/instructions.md`),
    "Rules you follow:\nNever give medical advice.\n",
  );
  assert.match(
    fs.files.get(`${dir}/persona.toml`)!,
    /description = "a running coach for beginners"/,
  );
  // The dialogue is over: the next message is an ordinary one.
  assert.equal(await say("hello"), undefined);
  await say("/persona coach");
  assert.equal(
    (await personas.forTurn(ALICE))?.prompt.personality,
    "Your tone: cheerful, short sentences\n",
  );
  assert.match((await say("/persona list"))!, /\* Coach \(coach, yours\)/);
});

Deno.test("/persona create: nothing is written before the last answer; cancel and silence drop it", async () => {
  const { say, fs, tick } = setUp({ allowUserPersonas: true });
  const before = fs.files.size;
  await say("/persona create coach");
  await say("a coach");
  assert.equal(fs.files.size, before);
  assert.equal(await say("/persona cancel"), "Stopped: nothing was saved.");
  assert.equal(await say("cheerful"), undefined);
  await say("/persona create coach");
  tick(60_001);
  assert.equal(await say("a coach"), undefined, "an old question no longer takes messages");
  assert.equal(fs.files.size, before);
});

Deno.test("/persona edit keeps what is answered keep; none clears tone and rules", async () => {
  const { say, fs } = setUp({ allowUserPersonas: true });
  for (const text of ["/persona create coach", "a coach", "calm", "be brief"]) await say(text);
  const dir = "/data/alice@example.org/personas/coach";
  assert.match(
    (await say("/persona edit coach"))!,
    /"keep" keeps an answer[\s\S]*Now:\nYou are "coach"/,
  );
  await say("keep");
  await say("none");
  assert.equal(await say("Always end with a question."), 'Persona "coach" saved.');
  assert.equal(fs.files.get(`${dir}/identity.md`), 'You are "coach". Your role: a coach\n');
  assert.equal(fs.files.has(`${dir}/personality.md`), false);
  assert.equal(
    fs.files.get(`${dir}/instructions.md`),
    "Rules you follow:\nAlways end with a question.\n",
  );
});

Deno.test("/persona export gives TOML that /persona import takes back", async () => {
  const { say, fs } = setUp({ allowUserPersonas: true });
  for (const text of ["/persona create coach", "a coach", "calm", "be brief"]) await say(text);
  const exported = (await say("/persona export coach"))!;
  assert.equal(parsePackage(exported).manifest.id, "coach");
  assert.match(
    (await say("/persona import"))!,
    /^Send the persona as TOML in your next message/,
  );
  assert.match((await say(exported))!, /You already have a persona "coach"/);
  await say("/persona import");
  const renamed = exported.replace('id = "coach"', 'id = "coach2"');
  assert.equal(await say(renamed), 'Persona "coach2" imported. /persona coach2 uses it.');
  assert.equal(
    fs.files.get("/data/alice@example.org/personas/coach2/identity.md"),
    fs.files.get("/data/alice@example.org/personas/coach/identity.md"),
  );
  assert.match(
    (await say("/persona export pirate"))!,
    /You have no persona "pirate" of your own/,
    "the operator's packages are not handed out",
  );
});

Deno.test("/persona import refuses invalid TOML, naming the key, and saves nothing", async () => {
  const { say, fs } = setUp({ allowUserPersonas: true });
  const before = new Map(fs.files);
  await say("/persona import");
  assert.equal(
    await say('[persona]\nid = "x"\nname = "X"\n[persona.defaults]\ntier = "fast"\n'),
    'Not imported: the message: persona.defaults.tier: expected one of "heavy", "standard", ' +
      '"light", "vision", found "fast". Nothing was saved; /persona import to try again.',
  );
  await say("/persona import");
  assert.match(
    (await say('[persona]\nid = "x"\nname = "X"\n[persona.defaults]\ntier = "heavy"\n'))!,
    /^Not imported: the message: persona\.defaults\.tier: a persona of your own cannot choose/,
  );
  await say("/persona import");
  assert.match(
    (await say('[persona]\nid = "../../../etc"\nname = "X"\n'))!,
    /^Not imported: the message: persona\.id: /,
  );
  assert.deepEqual(fs.files, before);
});

Deno.test("/persona create, import and delete: the limit, and names that are not names", async () => {
  const { say, personas } = setUp({ allowUserPersonas: true, maxUserPersonas: 1 });
  for (const text of ["/persona create one", "a", "none", "none"]) await say(text);
  assert.match(
    (await say("/persona create two"))!,
    /the most allowed \(personas\.max_user_personas = 1\)/,
  );
  await say("/persona import");
  assert.match(
    (await say('[persona]\nid = "two"\nname = "Two"\n'))!,
    /the most allowed[\s\S]*Nothing was saved/,
  );
  for (const name of ["../alice", "a/b", "..", "list"]) {
    assert.match((await say(`/persona create ${name}`))!, /^Invalid persona name/, name);
    assert.match((await say(`/persona delete ${name}`))!, /^Invalid persona name/, name);
  }
  await say("/persona one");
  assert.equal(await say("/persona delete one"), 'Persona "one" deleted.');
  assert.deepEqual(await personas.userIds(ALICE), []);
  assert.equal((await personas.active(ALICE)).persona, undefined);
  assert.equal((await personas.active(ALICE)).ignored, undefined, "the choice went with it");
});
