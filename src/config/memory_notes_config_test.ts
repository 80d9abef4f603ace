// `memory.notes_token_budget` through the whole loader: its default, and a clear error naming it.
import assert from "node:assert/strict";
import { ConfigError } from "./config_error.ts";
import { loadToml, MINIMAL_TOML, rejection } from "./_testing.ts";

Deno.test("memory.notes_token_budget defaults to 4000 tokens", async () => {
  const { config } = await loadToml(MINIMAL_TOML);
  assert.equal(config.memory.notes_token_budget, 4000);
});

Deno.test("memory.notes_token_budget takes an integer", async () => {
  const { config } = await loadToml(`${MINIMAL_TOML}\n[memory]\nnotes_token_budget = 1500\n`);
  assert.equal(config.memory.notes_token_budget, 1500);
});

for (const value of ['"big"', "0", "150", "2500.5", "-4000", "1000000"]) {
  Deno.test(`memory.notes_token_budget = ${value} is refused, naming the key`, async () => {
    const error = await rejection(
      loadToml(`${MINIMAL_TOML}\n[memory]\nnotes_token_budget = ${value}\n`),
    );
    assert.ok(error instanceof ConfigError);
    assert.deepEqual(error.issues.map((issue) => issue.key), ["memory.notes_token_budget"]);
    assert.match(
      error.message,
      /memory\.notes_token_budget: expected an integer from 200 to 100000/,
    );
  });
}
