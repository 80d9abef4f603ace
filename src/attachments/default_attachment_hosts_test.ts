import assert from "node:assert/strict";
import { defaultAttachmentHosts } from "./default_attachment_hosts.ts";

Deno.test("defaultAttachmentHosts() lists the domain and its usual upload hosts", () => {
  assert.deepEqual(defaultAttachmentHosts("Example.ORG."), [
    "example.org",
    "upload.example.org",
    "share.example.org",
    "xmpp.example.org",
    "files.example.org",
  ]);
});
