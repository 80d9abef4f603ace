import assert from "node:assert/strict";
import { parseListenAddress } from "./listen_address.ts";

Deno.test("parseListenAddress() splits a name, an IPv4 and a bracketed IPv6 address", () => {
  assert.deepEqual(parseListenAddress("127.0.0.1:8787"), { hostname: "127.0.0.1", port: 8787 });
  assert.deepEqual(parseListenAddress("[::1]:8787"), { hostname: "::1", port: 8787 });
  assert.deepEqual(parseListenAddress("LocalHost:80"), { hostname: "localhost", port: 80 });
  assert.deepEqual(parseListenAddress("0.0.0.0:65535"), { hostname: "0.0.0.0", port: 65535 });
});

Deno.test("parseListenAddress() refuses what is not host:port", () => {
  for (
    const text of [
      "8787",
      "127.0.0.1",
      ":8787",
      "::1:8787",
      "[::1]",
      "[127.0.0.1]:80",
      "http://127.0.0.1:8787",
      "127.0.0.1:0",
      "127.0.0.1:65536",
      "127.0.0.1:87a",
      "host name:80",
    ]
  ) {
    assert.equal(parseListenAddress(text), undefined, text);
  }
});

Deno.test("parseListenAddress() takes port 0 only when asked to", () => {
  assert.equal(parseListenAddress("127.0.0.1:0"), undefined);
  assert.deepEqual(parseListenAddress("127.0.0.1:0", { allowPortZero: true }), {
    hostname: "127.0.0.1",
    port: 0,
  });
});
