import assert from "node:assert/strict";
import { classifyAddress, isPrivateAddress } from "./address_policy.ts";

const NOT_PUBLIC: [string, string][] = [
  ["0.0.0.0", "unspecified"],
  ["0.1.2.3", "unspecified"],
  ["10.0.0.1", "private"],
  ["10.255.255.255", "private"],
  ["100.64.0.1", "shared (carrier-grade NAT)"],
  ["100.127.255.254", "shared (carrier-grade NAT)"],
  ["127.0.0.1", "loopback"],
  ["127.255.0.9", "loopback"],
  ["169.254.169.254", "link-local"],
  ["172.16.0.1", "private"],
  ["172.31.255.255", "private"],
  ["192.0.0.8", "IETF protocol"],
  ["192.0.2.10", "documentation"],
  ["192.168.1.1", "private"],
  ["198.18.0.1", "benchmarking"],
  ["198.19.255.255", "benchmarking"],
  ["198.51.100.7", "documentation"],
  ["203.0.113.7", "documentation"],
  ["224.0.0.251", "multicast"],
  ["239.255.255.250", "multicast"],
  ["240.0.0.1", "reserved"],
  ["255.255.255.254", "reserved"],
  ["255.255.255.255", "broadcast"],
  ["::", "unspecified"],
  ["::1", "loopback"],
  ["0:0:0:0:0:0:0:1", "loopback"],
  ["fc00::1", "unique local"],
  ["fd12:3456:789a::1", "unique local"],
  ["fe80::1", "link-local"],
  ["febf:ffff::1", "link-local"],
  ["fec0::1", "reserved"],
  ["ff02::1", "multicast"],
  ["ff05::1:3", "multicast"],
  ["::ffff:127.0.0.1", "loopback"],
  ["::ffff:7f00:1", "loopback"],
  ["::FFFF:10.1.2.3", "private"],
  ["::ffff:169.254.169.254", "link-local"],
  ["64:ff9b::127.0.0.1", "loopback"],
  ["64:ff9b::a00:1", "private"],
  ["64:ff9b:1::1", "private"],
  ["2002:7f00:1::1", "loopback"],
  ["2002:c0a8:101::", "private"],
  ["::127.0.0.1", "reserved"],
  ["::8.8.8.8", "reserved"],
  ["100::1", "discard-only"],
  ["2001:db8::1", "documentation"],
  ["2001:0db8:85a3::8a2e:370:7334", "documentation"],
  ["2001::1", "IETF protocol"],
  ["4000::1", "reserved"],
];

const PUBLIC = [
  "1.1.1.1",
  "8.8.8.8",
  "9.255.255.255",
  "11.0.0.0",
  "100.63.255.255",
  "100.128.0.0",
  "126.255.255.255",
  "128.0.0.1",
  "169.253.255.255",
  "172.15.255.255",
  "172.32.0.0",
  "192.0.1.1",
  "192.167.255.255",
  "192.169.0.0",
  "198.17.255.255",
  "198.20.0.0",
  "223.255.255.255",
  "93.184.215.14",
  "2606:4700:4700::1111",
  "2001:4860:4860::8888",
  "2a00:1450:4007:80b::200e",
  "::ffff:8.8.8.8",
  "64:ff9b::808:808",
  "2002:808:808::1",
];

Deno.test("classifyAddress() names the range of every non-public address", () => {
  for (const [ip, kind] of NOT_PUBLIC) {
    assert.equal(classifyAddress(ip), kind, ip);
    assert.equal(isPrivateAddress(ip), true, ip);
  }
});

Deno.test("isPrivateAddress() accepts public unicast addresses of both families", () => {
  for (const ip of PUBLIC) {
    assert.equal(classifyAddress(ip), undefined, ip);
    assert.equal(isPrivateAddress(ip), false, ip);
  }
});

Deno.test("isPrivateAddress() throws a TypeError for text that is not an IP address", () => {
  for (
    const text of ["", "localhost", "127.1", "0x7f.0.0.1", "1.2.3.4.5", "256.0.0.1", "01.2.3.4"]
  ) {
    assert.throws(() => isPrivateAddress(text), TypeError, text);
  }
  for (const text of ["1::2::3", ":::", "12345::1", "1:2:3:4:5:6:7:8:9", "::ffff:1.2.3", "[::1]"]) {
    assert.throws(() => isPrivateAddress(text), /Not an IP address/, text);
  }
});
