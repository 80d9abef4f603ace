import assert from "node:assert/strict";
import { PersonaError } from "./persona_error.ts";
import { parseManifest } from "./persona_manifest.ts";

const FILE = "/data/memory/personas/researcher/persona.toml";

function problem(text: string): PersonaError {
  try {
    parseManifest(text, FILE);
  } catch (error) {
    if (error instanceof PersonaError) return error;
    throw error;
  }
  throw new Error("Expected a PersonaError");
}

Deno.test("parseManifest() reads every key and fills the defaults", () => {
  const full = parseManifest(
    `
[persona]
id = "Researcher"
name = "Researcher"
description = "Finds sources"
icon = "🔎"
[persona.defaults]
tier = "heavy"
skills = ["web_search"]
[persona.restrictions]
allowed_jids = ["Alice@Example.org", "*"]
max_tokens_per_message = 512
`,
    FILE,
  );
  assert.deepEqual(full, {
    id: "researcher",
    name: "Researcher",
    description: "Finds sources",
    icon: "🔎",
    defaults: { tier: "heavy", skills: ["web_search"] },
    restrictions: { allowed_jids: ["alice@example.org", "*"], max_tokens_per_message: 512 },
  });
  assert.deepEqual(parseManifest('[persona]\nid = "x"\nname = "X"\n', FILE), {
    id: "x",
    name: "X",
    description: "",
    icon: "",
    defaults: {},
    restrictions: {},
  });
});

Deno.test("parseManifest() errors name the file and the key", () => {
  const cases: [string, string | undefined, RegExp][] = [
    [
      '[persona]\nid = "x"\nname = "X"\n[persona.defaults]\ntier = "fast"\n',
      "persona.defaults.tier",
      /expected one of "heavy", "standard", "light", "vision", found "fast"/,
    ],
    ['[persona]\nname = "X"\n', "persona.id", /missing/],
    ['[persona]\nid = "../etc"\nname = "X"\n', "persona.id", /found "..\/etc"/],
    [
      '[persona]\nid = "x"\nname = "X"\ncolour = "red"\n',
      "persona.colour",
      /unknown key; allowed keys here: id, name/,
    ],
    [
      '[persona]\nid = "x"\nname = "X"\n[persona.restrictions]\nmax_tokens_per_message = 0\n',
      "persona.restrictions.max_tokens_per_message",
      /at least 1, found 0/,
    ],
    [
      '[persona]\nid = "x"\nname = "X"\n[persona.restrictions]\nallowed_jids = ["a@b/c"]\n',
      "persona.restrictions.allowed_jids[0]",
      /bare JID/,
    ],
    [
      '[persona]\nid = "x"\nname = "X"\n[persona.defaults]\nskills = "web_search"\n',
      "persona.defaults.skills",
      /array of skill names/,
    ],
    ["[persona\nid = 1", undefined, /not valid TOML/],
    ['id = "x"\n', "persona", /missing, expected a table/],
  ];
  for (const [text, key, message] of cases) {
    const error = problem(text);
    assert.equal(error.file, FILE);
    assert.equal(error.key, key, text);
    assert.match(error.message, message);
    assert.ok(error.message.startsWith(`${FILE}: ${key === undefined ? "" : `${key}: `}`));
  }
});
