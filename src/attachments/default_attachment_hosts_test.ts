import assert from "node:assert/strict";
import { defaultAttachmentHosts } from "./default_attachment_hosts.ts";

Deno.test("defaultAttachmentHosts() lists the domain and its usual upload hosts on https ports", () => {
  const hosts = defaultAttachmentHosts("Example.ORG.");
  assert.deepEqual(hosts.slice(0, 4), [
    "example.org:443",
    "example.org:5281",
    "example.org:5443",
    "example.org:7443",
  ]);
  const names = new Set(hosts.map((host) => host.replace(/:\d+$/, "")));
  assert.deepEqual([...names], [
    "example.org",
    "upload.example.org",
    "share.example.org",
    "xmpp.example.org",
    "files.example.org",
  ]);
  assert.ok(hosts.every((host) => /:\d+$/.test(host)), "no entry grants every port");
});
