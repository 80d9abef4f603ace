import assert from "node:assert/strict";
import { validateJsonSchema } from "./json_schema.ts";

const SCHEMA = {
  type: "object",
  required: ["query"],
  additionalProperties: false,
  properties: {
    query: { type: "string", minLength: 1, maxLength: 5 },
    count: { type: "integer", minimum: 1, maximum: 10 },
    mode: { type: "string", enum: ["fast", "deep"] },
    tags: { type: "array", items: { type: "string" } },
    strict: { type: "boolean" },
  },
};

Deno.test("validateJsonSchema() accepts valid input", () => {
  assert.deepEqual(
    validateJsonSchema(SCHEMA, {
      query: "kelp",
      count: 3,
      mode: "fast",
      tags: ["a"],
      strict: true,
    }),
    [],
  );
});

Deno.test("validateJsonSchema() names each bad value with its path", () => {
  assert.deepEqual(
    validateJsonSchema(SCHEMA, {
      count: 2.5,
      mode: "slow",
      tags: ["a", 7],
      extra: 1,
      strict: "yes",
    }),
    [
      'input: missing property "query"',
      "input.count: expected an integer, found 2.5",
      'input.mode: expected one of "fast", "deep", found "slow"',
      "input.tags[1]: expected a string, found 7",
      'input: unexpected property "extra"',
      'input.strict: expected a boolean, found "yes"',
    ],
  );
  assert.deepEqual(validateJsonSchema(SCHEMA, { query: "toolong", count: 11 }), [
    "input.query: expected at most 5 characters, found 7",
    "input.count: expected at most 10, found 11",
  ]);
  assert.deepEqual(validateJsonSchema(SCHEMA, []), ["input: expected an object, found an array"]);
});
