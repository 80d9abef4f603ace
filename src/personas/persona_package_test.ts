import assert from "node:assert/strict";
import { PersonaError } from "./persona_error.ts";
import { parseManifest } from "./persona_manifest.ts";
import { exportPackage, manifestToml, parsePackage } from "./persona_package.ts";

const PACKAGE = {
  manifest: parseManifest(
    '[persona]\nid = "tutor"\nname = "Tutor"\nicon = "📐"\n[persona.defaults]\ntier = "light"\n',
    "persona.toml",
  ),
  files: {
    identity: 'You are "Tutor".\nYour role: maths.\n',
    instructions: "Rules: \"\"\" ''' $x",
  },
};

Deno.test("exportPackage() and parsePackage() give the same package back", () => {
  const text = exportPackage(PACKAGE);
  assert.match(text, /^\[persona\]/m);
  assert.match(text, /^\[files\]/m);
  assert.deepEqual(parsePackage(text), PACKAGE);
});

Deno.test("manifestToml() writes a persona.toml that reads back the same", () => {
  assert.deepEqual(parseManifest(manifestToml(PACKAGE.manifest), "f"), PACKAGE.manifest);
});

Deno.test("parsePackage() names the key at fault", () => {
  const cases: [string, string | undefined, RegExp][] = [
    ["not toml at all = = =", undefined, /not valid TOML/],
    [
      '[persona]\nid = "t"\nname = "T"\n[files]\nhistory = "x"\n',
      "files.history",
      /unknown key; allowed keys here: identity, personality, instructions, context/,
    ],
    [
      '[persona]\nid = "t"\nname = "T"\n[files]\nidentity = 3\n',
      "files.identity",
      /expected a string/,
    ],
    [
      `[persona]\nid = "t"\nname = "T"\n[files]\nidentity = "${"x".repeat(8001)}"\n`,
      "files.identity",
      /at most 8000/,
    ],
    ['[persona]\nid = "list"\nname = "T"\n', "persona.id", /expected/],
    ['[files]\nidentity = "x"\n', "persona", /missing/],
  ];
  for (const [text, key, message] of cases) {
    let caught: unknown;
    try {
      parsePackage(text, "the message");
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof PersonaError, text);
    assert.equal(caught.key, key, text);
    assert.equal(caught.file, "the message");
    assert.match(caught.message, message);
  }
});
