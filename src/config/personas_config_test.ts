// The [personas] section through the whole loader: defaults, validation, the example config.
import assert from "node:assert/strict";
import { parseManifest, PROMPT_FILES } from "../personas/mod.ts";
import { ConfigError } from "./config_error.ts";
import { loadToml, MINIMAL_TOML, rejection } from "./_testing.ts";
import example from "../../config/agent.example.toml" with { type: "text" };

Deno.test("[personas] is optional and closed: no default, no user personas", async () => {
  const { config } = await loadToml(MINIMAL_TOML);
  assert.deepEqual(config.personas, {
    allow_user_personas: false,
    max_user_personas: 5,
    restrictions: [],
  });
});

Deno.test("[personas] normalises the default, the JIDs and the ids of restrictions", async () => {
  const { config } = await loadToml(`${MINIMAL_TOML}
[personas]
default = "Researcher"
allow_user_personas = true
max_user_personas = 2

[[personas.restrictions]]
jid = "Dev@Conference.Localhost"
allowed = ["Support", "*"]
`);
  assert.deepEqual(config.personas, {
    default: "researcher",
    allow_user_personas: true,
    max_user_personas: 2,
    restrictions: [{ jid: "dev@conference.localhost", allowed: ["support", "*"] }],
  });
});

Deno.test("[personas] refuses names that could be paths, bad JIDs, unknown keys, repeats", async () => {
  const error = await rejection(loadToml(`${MINIMAL_TOML}
[personas]
default = "../etc"
max_users = 3

[[personas.restrictions]]
jid = "alice@localhost/phone"
allowed = ["a/b"]

[[personas.restrictions]]
jid = "bob@localhost"
allowed = ["*"]
[[personas.restrictions]]
jid = "Bob@localhost"
allowed = ["tutor"]
`));
  assert.ok(error instanceof ConfigError);
  const issues = error.issues.map((issue) => `${issue.key}: ${issue.message}`);
  assert.ok(issues.some((line) => line.startsWith("personas.default: expected a persona name")));
  assert.ok(issues.some((line) => line.startsWith("personas.max_users: unknown key")));
  assert.ok(issues.some((line) => line.startsWith("personas.restrictions[0].jid: expected")));
  assert.ok(
    issues.some((line) => line.startsWith("personas.restrictions[0].allowed[0]: expected")),
  );
  assert.ok(
    issues.includes(
      'personas.restrictions[2].jid: "bob@localhost" has a restriction already: ' +
        "merge the two",
    ),
    issues.join("\n"),
  );
});

Deno.test("the example config's [personas] loads, and its commented keys once uncommented", async () => {
  const env = { env: { BOT_PASSWORD: "x", ANTHROPIC_API_KEY: "y" } };
  const { config } = await loadToml(example, env);
  assert.deepEqual(config.personas, {
    allow_user_personas: false,
    max_user_personas: 5,
    restrictions: [],
  });
  const at = example.indexOf("[personas]");
  const uncommented = example.slice(0, at) +
    example.slice(at).replace(/^# (default = |\[\[personas|jid = "dev|allowed = )/gm, "$1");
  const { config: full } = await loadToml(uncommented, env);
  assert.equal(full.personas.default, "researcher");
  assert.deepEqual(full.personas.restrictions, [
    { jid: "dev@conference.localhost", allowed: ["researcher"] },
  ]);
});

Deno.test("the example persona under config/personas is a valid package", async () => {
  const dir = new URL("../../config/personas/researcher/", import.meta.url);
  const text = await Deno.readTextFile(new URL("persona.toml", dir));
  const manifest = parseManifest(text, "config/personas/researcher/persona.toml");
  assert.equal(manifest.id, "researcher");
  for (const name of PROMPT_FILES) {
    assert.ok((await Deno.readTextFile(new URL(`${name}.md`, dir))).trim() !== "", name);
  }
});
