import assert from "node:assert/strict";
import { bodyStream, ByteReader, parseResponseHead } from "./_http1.ts";

function reader(text: string): ByteReader {
  return new ByteReader(new Blob([text]).stream());
}

async function body(response: string): Promise<string> {
  const input = reader(response);
  const head = parseResponseHead(await input.readHead(1024));
  const stream = bodyStream(head, input, () => {});
  return stream === null ? "" : await new Response(stream).text();
}

Deno.test("bodyStream() frames a body by chunks, by length or by the end of the connection", async () => {
  assert.equal(
    await body(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX: y\r\n\r\n",
    ),
    "hello",
  );
  assert.equal(await body("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcdef"), "abc");
  assert.equal(await body("HTTP/1.0 200 OK\r\n\r\nuntil close"), "until close");
  assert.equal(await body("HTTP/1.1 204 No Content\r\nContent-Length: 3\r\n\r\n"), "");
});

Deno.test("parseResponseHead() and bodyStream() refuse responses a lenient parser would guess at", async () => {
  assert.throws(() => parseResponseHead("ICY 200 OK"), /Not an HTTP\/1\.1 response/);
  assert.throws(() => parseResponseHead("HTTP/1.1 200 OK\r\n folded: x"), /Malformed header/);
  const conflicting = reader("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n");
  const head = parseResponseHead(await conflicting.readHead(1024));
  assert.throws(() => bodyStream(head, conflicting, () => {}), /Conflicting Content-Length/);
  await assert.rejects(body("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort"), /before the end/);
  await assert.rejects(
    reader("HTTP/1.1 200 OK\r\nX: " + "a".repeat(2000)).readHead(1024),
    /larger/,
  );
});
