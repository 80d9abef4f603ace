import assert from "node:assert/strict";
import { InMemoryPersonaFs } from "./in_memory_persona_fs.ts";
import { Personas, type PersonasOptions } from "./personas.ts";

const ROOT = "/data";
const ALICE = "alice@example.org";
const BOB = "bob@example.org";
const ROOM = "dev@conference.example.org";

function manifest(id: string, extra = ""): string {
  return `[persona]\nid = "${id}"\nname = "${id[0]!.toUpperCase()}${id.slice(1)}"\n${extra}`;
}

function setUp(files: Record<string, string>, options: Partial<PersonasOptions> = {}) {
  const fs = new InMemoryPersonaFs(files);
  const warnings: string[] = [];
  let now = 0;
  const personas = new Personas(ROOT, {
    fs,
    now: () => now,
    warn: (line) => warnings.push(line),
    ...options,
  });
  return { fs, personas, warnings, tick: (ms: number) => now += ms };
}

const PIRATE = {
  "/data/personas/pirate/persona.toml": manifest(
    "pirate",
    '[persona.defaults]\ntier = "heavy"\nskills = ["web_search"]\n' +
      "[persona.restrictions]\nmax_tokens_per_message = 300\n",
  ),
  "/data/personas/pirate/identity.md": "You are a pirate.\n",
  "/data/personas/pirate/personality.md": "Arr.\n",
  "/data/personas/pirate/context.md": "The seven seas.\n",
  "/data/personas/tutor/persona.toml": manifest("tutor"),
  "/data/personas/tutor/identity.md": "You are a tutor.\n",
};

Deno.test("Personas: no choice and no default means no persona", async () => {
  const { personas } = setUp(PIRATE);
  assert.equal(await personas.forTurn(ALICE), undefined);
  assert.deepEqual(await personas.active(ALICE), { chosen: false });
});

Deno.test("Personas: the choice is kept in active_persona.txt and gives the turn its files and defaults", async () => {
  const { personas, fs } = setUp(PIRATE);
  const chosen = await personas.choose(ALICE, "Pirate");
  assert.equal(chosen.id, "pirate");
  assert.equal(fs.files.get("/data/alice@example.org/active_persona.txt"), "pirate\n");
  assert.deepEqual(await personas.forTurn(ALICE), {
    id: "pirate",
    prompt: {
      identity: "You are a pirate.\n",
      personality: "Arr.\n",
      context: "The seven seas.\n",
    },
    tier: "heavy",
    skills: ["web_search"],
    maxTokens: 300,
  });
  // Another conversation, and a fresh instance reading the same files (a restart).
  assert.equal(await personas.forTurn(BOB), undefined);
  const again = new Personas(ROOT, { fs });
  assert.equal((await again.forTurn(ALICE))?.id, "pirate");
});

Deno.test("Personas: a persona is chosen by its id or by its name", async () => {
  const { personas } = setUp({
    ...PIRATE,
    "/data/personas/cr/persona.toml": '[persona]\nid = "cr"\nname = "Code Reviewer"\n',
  });
  assert.equal((await personas.choose(ALICE, "code reviewer")).id, "cr");
  await assert.rejects(() => personas.choose(ALICE, "nobody"), RangeError, "No persona");
  await assert.rejects(() => personas.choose(ALICE, "../../etc"), TypeError);
});

Deno.test("Personas: the default applies until a choice, and reset returns to it", async () => {
  const { personas } = setUp(PIRATE, { default: "tutor" });
  assert.deepEqual((await personas.forTurn(ALICE))?.prompt, { identity: "You are a tutor.\n" });
  await personas.choose(ALICE, "pirate");
  assert.equal((await personas.forTurn(ALICE))?.id, "pirate");
  const after = await personas.reset(ALICE);
  assert.equal(after.persona?.id, "tutor");
  assert.equal(after.chosen, false);
});

Deno.test("Personas: restrictions of the conversation and of the package are both honoured", async () => {
  const { personas } = setUp({
    ...PIRATE,
    "/data/personas/secret/persona.toml": manifest(
      "secret",
      '[persona.restrictions]\nallowed_jids = ["alice@example.org"]\n',
    ),
  }, {
    restrictions: [{ jid: ROOM, allowed: ["tutor"] }, { jid: BOB, allowed: ["*"] }],
    default: "pirate",
  });
  await assert.rejects(() => personas.choose(ROOM, "pirate"), RangeError, "personas.restrictions");
  await assert.rejects(
    () => personas.choose(BOB, "secret"),
    RangeError,
    "persona.restrictions.allowed_jids",
  );
  assert.equal((await personas.choose(ALICE, "secret")).id, "secret");
  assert.equal((await personas.choose(ROOM, "tutor")).id, "tutor");
  // The room's default is not allowed there: no persona rather than a forbidden one.
  await personas.reset(ROOM);
  assert.equal(await personas.forTurn(ROOM), undefined);
  assert.deepEqual((await personas.available(ROOM)).map((p) => p.id), ["tutor"]);
  assert.deepEqual((await personas.available(BOB)).map((p) => p.id), ["pirate", "tutor"]);
});

Deno.test("Personas: a choice that is no longer allowed falls back to the default, and says why", async () => {
  const { personas, fs } = setUp(PIRATE, { default: "tutor" });
  fs.files.set("/data/alice@example.org/active_persona.txt", "gone\n");
  const active = await personas.active(ALICE);
  assert.equal(active.persona?.id, "tutor");
  assert.deepEqual(active.ignored, { id: "gone", why: "there is no such persona" });
});

Deno.test("Personas: a hostile active_persona.txt reaches no file outside the data directory", async () => {
  const { personas, fs, warnings } = setUp({
    ...PIRATE,
    "/etc/persona.toml": manifest("etc"),
    "/data/alice@example.org/active_persona.txt": "../../etc\n",
  });
  assert.equal(await personas.forTurn(ALICE), undefined);
  assert.ok(fs.reads.every((path) => path.startsWith("/data/")), fs.reads.join("\n"));
  assert.deepEqual(warnings, [
    "/data/alice@example.org/active_persona.txt: not a valid persona name, ignored",
  ]);
});

Deno.test("Personas: each file resolves on its own, the conversation's package before the operator's", async () => {
  const { personas } = setUp({
    ...PIRATE,
    "/data/alice@example.org/personas/pirate/personality.md": "Gentle pirate.\n",
  }, { allowUserPersonas: true });
  await personas.choose(ALICE, "pirate");
  const turn = await personas.forTurn(ALICE);
  assert.equal(turn?.prompt.identity, "You are a pirate.\n");
  assert.equal(turn?.prompt.personality, "Gentle pirate.\n");
  assert.equal(turn?.tier, "heavy", "the operator's persona.toml, and its tier");
  // Without user personas, the conversation's package is not looked at.
  const closed = new Personas(ROOT, {
    fs: new InMemoryPersonaFs({
      ...PIRATE,
      "/data/alice@example.org/personas/pirate/personality.md": "Gentle pirate.\n",
      "/data/alice@example.org/active_persona.txt": "pirate",
    }),
  });
  assert.equal((await closed.forTurn(ALICE))?.prompt.personality, "Arr.\n");
});

Deno.test("Personas: an invalid package is not used and is reported once with its file and key", async () => {
  const { personas, warnings } = setUp({
    ...PIRATE,
    "/data/personas/bad/persona.toml": manifest("bad", '[persona.defaults]\ntier = "fast"\n'),
    "/data/personas/wrong/persona.toml": manifest("other"),
  }, { default: "bad" });
  assert.equal(await personas.forTurn(ALICE), undefined);
  assert.equal(await personas.forTurn(ALICE), undefined);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /^\/data\/personas\/bad\/persona\.toml: persona\.defaults\.tier: /);
  const { problems, defaultMissing } = await personas.check();
  assert.equal(defaultMissing, "bad");
  assert.equal(problems.length, 2);
  assert.match(
    problems[1]!,
    /wrong\/persona\.toml: persona\.id: "other" is not the name of its folder/,
  );
});

Deno.test("Personas: a hand edit shows after the cache time, a write through it at once", async () => {
  const { personas, fs, tick } = setUp(PIRATE);
  await personas.choose(ALICE, "pirate");
  assert.equal((await personas.forTurn(ALICE))?.prompt.identity, "You are a pirate.\n");
  fs.files.set("/data/personas/pirate/identity.md", "You are a privateer.\n");
  assert.equal((await personas.forTurn(ALICE))?.prompt.identity, "You are a pirate.\n");
  tick(2000);
  assert.equal((await personas.forTurn(ALICE))?.prompt.identity, "You are a privateer.\n");
  await personas.choose(ALICE, "tutor");
  assert.equal((await personas.forTurn(ALICE))?.id, "tutor");
});

Deno.test("Personas: a package of the conversation's own cannot choose the model tier", async () => {
  const { personas } = setUp({
    "/data/alice@example.org/personas/mine/persona.toml": manifest(
      "mine",
      '[persona.defaults]\ntier = "heavy"\nskills = []\n[persona.restrictions]\n' +
        "max_tokens_per_message = 50\n",
    ),
  }, { allowUserPersonas: true });
  await personas.choose(ALICE, "mine");
  assert.deepEqual(await personas.forTurn(ALICE), {
    id: "mine",
    prompt: {},
    skills: [],
    maxTokens: 50,
  });
});
