import assert from "node:assert/strict";
import { expandVariables } from "./expand_variables.ts";

const env = (values: Record<string, string>) => (name: string) => values[name];

Deno.test("expandVariables() replaces ${VAR} in nested string values and arrays", () => {
  const result = expandVariables(
    { server: { host: "${HOST}", port: 5222 }, agent: { allowed_jids: ["${ADMIN}@x"] } },
    env({ HOST: "xmpp.example.com", ADMIN: "alice" }),
  );
  assert.deepEqual(result.value, {
    server: { host: "xmpp.example.com", port: 5222 },
    agent: { allowed_jids: ["alice@x"] },
  });
  assert.deepEqual(result.variables, ["ADMIN", "HOST"]);
  assert.deepEqual(result.issues, []);
});

Deno.test("expandVariables() turns $$ into a literal $ and keeps a lone $", () => {
  const result = expandVariables({ a: "pa$$word ${X}", b: "cost: 5$ or $5" }, env({ X: "1" }));
  assert.deepEqual(result.value, { a: "pa$word 1", b: "cost: 5$ or $5" });
});

Deno.test("expandVariables() does not expand $${VAR}", () => {
  const result = expandVariables({ a: "$${HOME}" }, env({}));
  assert.deepEqual(result.value, { a: "${HOME}" });
  assert.deepEqual(result.variables, []);
});

Deno.test("expandVariables() uses the default when the variable is unset or empty", () => {
  const result = expandVariables(
    { a: "${UNSET:-fallback}", b: "${EMPTY:-fallback}", c: "${SET:-fallback}", d: "${U:-}" },
    env({ EMPTY: "", SET: "value" }),
  );
  assert.deepEqual(result.value, { a: "fallback", b: "fallback", c: "value", d: "" });
  assert.deepEqual(result.variables, ["EMPTY", "SET", "U", "UNSET"]);
  assert.deepEqual(result.issues, []);
});

Deno.test("expandVariables() names the key and the variable when a variable is unset", () => {
  const result = expandVariables({ server: { password: "${BOT_PASSWORD}" } }, env({}));
  assert.deepEqual(result.issues, [{
    key: "server.password",
    message:
      'environment variable "BOT_PASSWORD" is not set (set it in the environment or in .env)',
  }]);
});

Deno.test("expandVariables() names an array element's index in the key", () => {
  const result = expandVariables({ agent: { allowed_jids: ["a@b", "${NOPE}"] } }, env({}));
  assert.equal(result.issues[0]?.key, "agent.allowed_jids[1]");
});

Deno.test("expandVariables() reports a malformed reference", () => {
  const result = expandVariables({ a: "${NOT-VALID}", b: "${OPEN" }, env({}));
  assert.deepEqual(result.issues.map((issue) => issue.key), ["a", "b"]);
  assert.match(result.issues[0]?.message ?? "", /invalid variable reference "\$\{NOT-VALID\}"/);
});

Deno.test("expandVariables() leaves keys and non-string values alone", () => {
  const date = new Date("2024-01-01T00:00:00Z");
  const result = expandVariables({ "${KEY}": 1, b: true, c: date }, env({ KEY: "x" }));
  assert.deepEqual(result.value, { "${KEY}": 1, b: true, c: date });
  assert.deepEqual(result.variables, []);
});

Deno.test("expandVariables() records values of secret-named variables as secrets", () => {
  const result = expandVariables(
    { a: "Bearer ${API_TOKEN}", b: "${MY_SECRET:-dflt}", c: "${HOST}" },
    env({ API_TOKEN: "tok-123", HOST: "example.com" }),
  );
  assert.deepEqual(result.secrets.sort(), ["dflt", "tok-123"]);
});
