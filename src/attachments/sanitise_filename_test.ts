import assert from "node:assert/strict";
import { filenameFromUrl, sanitiseFilename } from "./sanitise_filename.ts";

Deno.test("sanitiseFilename() leaves no way out of the folder", () => {
  assert.equal(sanitiseFilename("../../etc/passwd"), "_.._etc_passwd");
  assert.equal(sanitiseFilename("..\\..\\boot.ini"), "_.._boot.ini");
  assert.equal(sanitiseFilename(".."), "file");
  assert.equal(sanitiseFilename("/"), "_");
  assert.equal(sanitiseFilename("C:evil"), "C_evil");
});

Deno.test("sanitiseFilename() drops leading dots, control and bidi characters", () => {
  assert.equal(sanitiseFilename(".bashrc"), "bashrc");
  assert.equal(sanitiseFilename("...hidden.txt"), "hidden.txt");
  assert.equal(sanitiseFilename("a\nb\r\tc\x00d\x7f.txt"), "abcd.txt");
  assert.equal(sanitiseFilename("photo\u202Egnp.exe"), "photognp.exe");
  assert.equal(sanitiseFilename("trailing. . "), "trailing");
  assert.equal(sanitiseFilename('what?"<>|*.md'), "what______.md");
  assert.equal(sanitiseFilename("  Résumé 2024.pdf  "), "Résumé 2024.pdf");
});

Deno.test('sanitiseFilename() falls back to "file" when nothing is left', () => {
  for (const name of ["", "   ", "...", "\u202E", "\x00\x01"]) {
    assert.equal(sanitiseFilename(name), "file", JSON.stringify(name));
  }
});

Deno.test("sanitiseFilename() caps long names by UTF-8 bytes and keeps the extension", () => {
  const long = sanitiseFilename(`${"a".repeat(300)}.jpeg`);
  assert.equal(long, `${"a".repeat(115)}.jpeg`);
  const wide = sanitiseFilename(`${"é".repeat(100)}.txt`, { maxBytes: 20 });
  assert.equal(wide, `${"é".repeat(8)}.txt`);
  assert.equal(new TextEncoder().encode(wide).length <= 20, true);
  const noExtension = sanitiseFilename("b".repeat(200));
  assert.equal(noExtension.length, 120);
  assert.equal(sanitiseFilename(`${"c".repeat(200)}.not-an-extension-at-all`).length, 120);
});

Deno.test("filenameFromUrl() takes the decoded last path segment", () => {
  assert.equal(
    filenameFromUrl("https://share.example.org/file_share/3c1a/My%20Photo.JPG?x=1#y"),
    "My Photo.JPG",
  );
  assert.equal(filenameFromUrl("https://h.example/a/%2e%2e%2Fsecret"), "_secret");
  assert.equal(filenameFromUrl("https://h.example/dir/"), "file");
  assert.equal(filenameFromUrl("https://h.example"), "file");
  assert.equal(filenameFromUrl("https://h.example/100%.txt"), "100%.txt");
  assert.equal(filenameFromUrl("not a url"), "file");
});
