import assert from "node:assert/strict";
import { detectMimeType, isTextual, mimeTypeFromFilename, sniffMimeType } from "./mime_type.ts";

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
const ascii = (text: string) => new TextEncoder().encode(text);

Deno.test("sniffMimeType() recognises PNG, JPEG, GIF, WebP and PDF", () => {
  assert.equal(sniffMimeType(PNG), "image/png");
  assert.equal(sniffMimeType(JPEG), "image/jpeg");
  assert.equal(sniffMimeType(ascii("GIF89a....")), "image/gif");
  assert.equal(sniffMimeType(ascii("GIF87a")), "image/gif");
  assert.equal(sniffMimeType(ascii("RIFF\x10\x00\x00\x00WEBPVP8 ")), "image/webp");
  assert.equal(sniffMimeType(ascii("RIFF\x10\x00\x00\x00WAVEfmt ")), undefined);
  assert.equal(sniffMimeType(ascii("%PDF-1.7\n")), "application/pdf");
  assert.equal(sniffMimeType(ascii("<html>")), undefined);
  assert.equal(sniffMimeType(new Uint8Array([0x89, 0x50])), undefined);
});

Deno.test("detectMimeType() lets the bytes correct a wrong or generic type", () => {
  assert.equal(
    detectMimeType({ contentType: "image/jpeg", filename: "a.jpg", head: PNG }),
    "image/png",
  );
  assert.equal(
    detectMimeType({
      contentType: "application/octet-stream",
      filename: "scan",
      head: ascii("%PDF-1.4"),
    }),
    "application/pdf",
  );
});

Deno.test("detectMimeType() uses the Content-Type, without parameters, unless it is generic", () => {
  assert.equal(
    detectMimeType({
      contentType: "Text/Plain; charset=UTF-8",
      filename: "a.md",
      head: ascii("# hi"),
    }),
    "text/plain",
  );
  assert.equal(
    detectMimeType({
      contentType: "application/octet-stream",
      filename: "notes.md",
      head: ascii("#"),
    }),
    "text/markdown",
  );
  assert.equal(detectMimeType({ contentType: "garbage", filename: "x.csv" }), "text/csv");
  assert.equal(detectMimeType({ filename: "main.rs" }), "text/plain");
  assert.equal(detectMimeType({ filename: "song.MP3" }), "audio/mpeg");
  assert.equal(detectMimeType({ filename: "file" }), "application/octet-stream");
  assert.equal(detectMimeType({ filename: "archive.xyz" }), "application/octet-stream");
});

Deno.test("mimeTypeFromFilename() ignores a leading dot and a missing extension", () => {
  assert.equal(mimeTypeFromFilename("photo.JPEG"), "image/jpeg");
  assert.equal(mimeTypeFromFilename("README"), undefined);
  assert.equal(mimeTypeFromFilename(".json"), undefined);
});

Deno.test("isTextual() accepts text types and source files whatever their declared type", () => {
  for (
    const type of [
      "text/plain",
      "text/csv",
      "application/json",
      "application/xml",
      "application/ld+json",
      "application/vnd.api+json",
      "image/svg+xml",
    ]
  ) {
    assert.equal(isTextual(type, "x"), true, type);
  }
  assert.equal(isTextual("video/mp2t", "main.ts"), true);
  assert.equal(isTextual("application/octet-stream", "script.py"), true);
  assert.equal(isTextual("application/octet-stream", "blob.bin"), false);
  assert.equal(isTextual("image/png", "a.png"), false);
  assert.equal(isTextual("application/pdf", "a.pdf"), false);
});
