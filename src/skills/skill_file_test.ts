import assert from "node:assert/strict";
import { executeSkill, type FileMessage, MAX_SKILL_FILE_BYTES } from "./skill_protocol.ts";
import { readSkillFile } from "./skill_file.ts";

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 255]);
const run = (output: unknown) =>
  executeSkill({ run: () => output }, {
    type: "run",
    input: {},
    context: { credentials: {}, stateDir: "/tmp", settings: {} },
  });

Deno.test("executeSkill() sends a returned file's bytes as base64 beside its text", async () => {
  const reply = await run({ content: "A chart", file: { name: "c.png", bytes: PNG } });
  assert.deepEqual(reply, {
    type: "result",
    content: "A chart",
    untrusted: false,
    file: { name: "c.png", base64: PNG.toBase64() },
  });
  const file = (reply as { file: FileMessage }).file;
  assert.deepEqual(readSkillFile(file), { name: "c.png", bytes: PNG });
});

Deno.test("executeSkill() takes a file given as base64 with its media type, and no text", async () => {
  const reply = await run({ file: { name: "a.bin", base64: "AAEC", media_type: "x/y" } });
  assert.deepEqual(reply, {
    type: "result",
    content: "",
    untrusted: false,
    file: { name: "a.bin", base64: "AAEC", media_type: "x/y" },
  });
});

Deno.test("executeSkill() refuses a file without a name, without content, or over the cap", async () => {
  assert.deepEqual(await run({ file: { bytes: PNG } }), {
    type: "error",
    message: "The skill returned a file without a name",
  });
  assert.deepEqual(await run({ file: { name: "x", text: "hi" } }), {
    type: "error",
    message: "The skill returned a file with neither bytes (a Uint8Array) nor base64 text",
  });
  const big = await run({ file: { name: "x", bytes: new Uint8Array(MAX_SKILL_FILE_BYTES + 1) } });
  assert.deepEqual(big, {
    type: "error",
    message: `The skill returned a file of ${
      MAX_SKILL_FILE_BYTES + 1
    } bytes; at most ${MAX_SKILL_FILE_BYTES} may be sent`,
  });
});

Deno.test("readSkillFile() refuses what a skill's code could post past the encoder", () => {
  assert.throws(
    () => readSkillFile({ name: "a", base64: "not base64!" }),
    (error) => error instanceof TypeError && /not valid base64/.test(error.message),
  );
  assert.throws(
    () => readSkillFile({ name: " ", base64: "AAEC" }),
    /The skill returned a file without a name/,
  );
  assert.throws(
    () => readSkillFile({ name: "a", base64: 5 } as unknown as FileMessage),
    /without its content/,
  );
  assert.throws(
    () => readSkillFile({ name: "a", base64: "AAEC", media_type: "<script>" }),
    /media type "<script>" is not like "image\/png"/,
  );
  assert.throws(
    () => readSkillFile({ name: "a", base64: new Uint8Array(12).toBase64() }, 10),
    (error) => error instanceof RangeError && /at most 10 may be sent/.test(error.message),
  );
  assert.equal(
    readSkillFile({ name: "a", base64: new Uint8Array(10).toBase64() }, 10).bytes.length,
    10,
  );
});
