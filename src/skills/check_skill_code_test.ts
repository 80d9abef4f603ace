import assert from "node:assert/strict";
import { join } from "node:path";
import { checkSkillCode, SkillCodeRefused } from "./check_skill_code.ts";

async function skillFolder(files: Record<string, string>) {
  const root = await Deno.makeTempDir({ prefix: "check_skill_code_" });
  const folder = join(root, "skill");
  for (const [name, text] of Object.entries(files)) {
    await Deno.mkdir(join(folder, name, ".."), { recursive: true });
    await Deno.writeTextFile(join(folder, name), text);
  }
  await Deno.writeTextFile(join(root, "secret.toml"), 'password = "hunter2"');
  return { root, folder, [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }) };
}

async function refusal(folder: string): Promise<string> {
  const error = await checkSkillCode(folder).then(
    () => assert.fail("the code was accepted"),
    (error: unknown) => error,
  );
  assert.ok(error instanceof SkillCodeRefused, String(error));
  return error.message;
}

Deno.test("checkSkillCode() accepts code that loads only files of its folder and the skill API", async () => {
  await using skill = await skillFolder({
    "mod.ts": 'import type { SkillRun } from "@fluux/skill";\n' +
      'import { help } from "./lib/help.ts";\nimport words from "./words.txt" with { type: "text" };\n' +
      'import data from "./data.json" with { type: "json" };\nimport { join } from "node:path";\n' +
      "export const run: SkillRun = async () => help + words + data + join('a') + " +
      '(await import("./lib/late.ts")).late + (await import(`./lib/${"x"}.ts`));\n',
    "lib/help.ts": 'export { late as help } from "./late.ts";\n',
    "lib/late.ts": "export const late = 1;\n",
    "words.txt": "import nothing from '/etc/passwd'",
    "data.json": "{}",
  });
  const code = await checkSkillCode(skill.folder);
  const real = await Deno.realPath(skill.folder);
  assert.equal(code.folder, real);
  assert.equal(code.module.href, `file://${real}/mod.ts`);
  assert.deepEqual(code.files.map((file) => file.slice(real.length + 1)), [
    "mod.ts",
    "lib/help.ts",
    "lib/late.ts",
  ]);
});

Deno.test("checkSkillCode() refuses an import of a file outside the folder, whatever its form", async () => {
  for (
    const [code, expected] of [
      [
        'import x from "../secret.toml" with { type: "text" };',
        /mod\.ts line 1: imports "\.\.\/secret\.toml", which is outside the skill's folder/,
      ],
      [
        'import x from "/etc/passwd" with { type: "text" };',
        /imports "\/etc\/passwd", which is outside/,
      ],
      [
        'const x = await import("file:///etc/shadow", { with: { type: "text" } });',
        /imports "file:\/\/\/etc\/shadow", which is outside/,
      ],
      ['import x from "./%2e%2e/secret.toml" with { type: "text" };', /which is outside/],
      ['export * from "../other/mod.ts";', /imports "\.\.\/other\/mod\.ts", which is outside/],
      [
        '// @deno-types="../secret.d.ts"\nimport x from "./x.js";',
        /line 1: imports "\.\.\/secret\.d\.ts"/,
      ],
    ] as const
  ) {
    await using skill = await skillFolder({ "mod.ts": code, "x.js": "" });
    assert.match(await refusal(skill.folder), expected, code);
  }
});

Deno.test("checkSkillCode() refuses packages, remote code and what it cannot check", async () => {
  for (
    const [code, expected] of [
      [
        'const p = await import("npm:left-pad@1.3.0");',
        /imports "npm:left-pad@1\.3\.0", which is not a file in the skill's folder/,
      ],
      ['import x from "jsr:@std/fmt";', /"jsr:@std\/fmt", which is not a file/],
      ['import x from "https://esm.sh/x";', /"https:\/\/esm\.sh\/x", which is not a file/],
      ['import { z } from "zod";', /"zod", which is not a file/],
      [
        'import "data:text/javascript,export default 1";',
        /"data:text\/javascript,export default 1", which is not a file/,
      ],
      ['import x from "./a.json";', /imports "\.\/a\.json" as code/],
      ['import x from "./a.tsx";', /imports "\.\/a\.tsx" as code/],
      ['import x from "./a.json" with { type: "css" };', /as "css" \(only json, text or bytes\)/],
      ['import x from "./a.ts?v=1";', /carries a query or fragment/],
      ['import x from "./missing.ts";', /imports "\.\/missing\.ts", which does not exist/],
      ["import x from name;", /line 1: an import whose specifier cannot be read/],
    ] as const
  ) {
    await using skill = await skillFolder({
      "mod.ts": code,
      "a.json": "{}",
      "a.tsx": "",
      "a.ts": "",
    });
    assert.match(await refusal(skill.folder), expected, code);
  }
});

Deno.test("checkSkillCode() follows every file it loads, and symbolic links", async () => {
  await using skill = await skillFolder({
    "mod.ts": 'import "./deep/a.ts";',
    "deep/a.ts": 'import "./b.ts";',
    "deep/b.ts": 'import cfg from "../../secret.toml" with { type: "text" };',
  });
  assert.match(
    await refusal(skill.folder),
    /^deep\/b\.ts line 1: imports "\.\.\/\.\.\/secret\.toml"/,
  );

  await using linked = await skillFolder({
    "mod.ts": 'import cfg from "./config.txt" with { type: "text" };',
  });
  await Deno.symlink(join(linked.root, "secret.toml"), join(linked.folder, "config.txt"));
  assert.match(
    await refusal(linked.folder),
    /imports "\.\/config\.txt", which leads through a symbolic link to .*secret\.toml, outside/,
  );

  await using entry = await skillFolder({});
  await Deno.mkdir(entry.folder);
  await Deno.symlink(join(entry.root, "secret.toml"), join(entry.folder, "mod.ts"));
  assert.match(await refusal(entry.folder), /^"mod\.ts" leads through a symbolic link/);
});
