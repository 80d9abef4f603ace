import assert from "node:assert/strict";
import { nameServerPermissions, parseNameServer } from "./name_servers.ts";

Deno.test("parseNameServer() reads an address with or without a port", () => {
  assert.deepEqual(parseNameServer("192.0.2.53"), { ipAddr: "192.0.2.53", port: 53 });
  assert.deepEqual(parseNameServer("127.0.0.1:5353"), { ipAddr: "127.0.0.1", port: 5353 });
  assert.deepEqual(parseNameServer("2001:db8::53"), { ipAddr: "2001:db8::53", port: 53 });
  assert.deepEqual(parseNameServer("[::1]:5353"), { ipAddr: "::1", port: 5353 });
  for (const bad of ["dns.example", "127.0.0.1:0", "127.0.0.1:70000", "[127.0.0.1]:53", ""]) {
    assert.equal(parseNameServer(bad), undefined, bad);
  }
});

Deno.test("nameServerPermissions() grants the configured servers only", () => {
  assert.deepEqual(nameServerPermissions(["127.0.0.1:5353", "2001:db8::53"]), [
    "127.0.0.1:5353",
    "[2001:db8::53]:53",
  ]);
  // The system resolver (getaddrinfo) needs no grant for a name server.
  assert.deepEqual(nameServerPermissions([]), []);
});
