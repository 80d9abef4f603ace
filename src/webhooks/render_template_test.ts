import assert from "node:assert/strict";
import { MAX_FIELD_CHARS, renderTemplate, templateFields } from "./render_template.ts";

Deno.test("renderTemplate() fills fields, nested fields and array items of the body", () => {
  const body = {
    status: "passed",
    branch: "main",
    head_commit: { author: { name: "Alice" } },
    jobs: [{ id: 7 }],
  };
  assert.equal(
    renderTemplate(
      "Build {{status}} on {{ branch }} by {{head_commit.author.name}}, job {{jobs.0.id}}",
      body,
    ),
    "Build passed on main by Alice, job 7",
  );
});

Deno.test("renderTemplate() renders a missing field as ? and never throws", () => {
  assert.equal(
    renderTemplate("Build {{status}} on {{branch}}", { status: "failed" }),
    "Build failed on ?",
  );
  assert.equal(renderTemplate("{{a.b.c}} {{list.9}} {{list.x}}", { a: 1, list: [] }), "? ? ?");
  assert.equal(renderTemplate("{{x}}", "a string body"), "?");
  assert.equal(renderTemplate("{{x}}", null), "?");
  // Inherited properties are not fields of the body.
  assert.equal(renderTemplate("{{constructor}} {{__proto__}} {{toString}}", {}), "? ? ?");
});

Deno.test("renderTemplate() writes numbers, booleans and null as JSON, arrays and objects compact", () => {
  const body = { n: 1.5, ok: false, none: null, tags: ["a", "b"], meta: { x: 1 } };
  assert.equal(
    renderTemplate("{{n}} {{ok}} {{none}} {{tags}} {{meta}}", body),
    '1.5 false null ["a","b"] {"x":1}',
  );
});

Deno.test("renderTemplate() leaves text that is not a placeholder as it is", () => {
  assert.equal(
    renderTemplate("{{ not a field }} {single} {{}}", { a: 1 }),
    "{{ not a field }} {single} {{}}",
  );
});

Deno.test("renderTemplate() keeps line breaks, replaces other control characters and cuts long values", () => {
  assert.equal(
    renderTemplate("[{{m}}]", { m: "line 1\nline 2\tend\u0000\u001b[31m" }),
    "[line 1\nline 2\tend  [31m]",
  );
  const long = renderTemplate("{{m}}", { m: "x".repeat(5000) });
  assert.equal(long.length, MAX_FIELD_CHARS);
  assert.ok(long.endsWith("…"));
});

Deno.test("templateFields() names the fields a template uses", () => {
  assert.deepEqual(templateFields("Build {{status}} on {{ branch }}"), ["status", "branch"]);
  assert.deepEqual(templateFields("Deployed"), []);
});
