import assert from "node:assert/strict";
import { missingPermissions } from "./missing_permissions.ts";
import type { PermissionSet } from "./permission_flags.ts";

const SET: PermissionSet = {
  net: ["api.anthropic.com:443", "xmpp.example.org:5222"],
  read: ["config/agent.toml", "data/memory"],
  write: ["data/memory"],
  env: ["BOT_PASSWORD", "HOME"],
  run: ["fluux-agent"],
  unstable: ["worker-options"],
};

Deno.test("missingPermissions() lists each item the process does not hold, as a flag", () => {
  const held = new Set(["net:api.anthropic.com:443", "read:data/memory", "env:HOME"]);
  const missing = missingPermissions(SET, {
    holds: (descriptor) => {
      const value = "host" in descriptor
        ? descriptor.host
        : "path" in descriptor
        ? descriptor.path
        : "variable" in descriptor
        ? descriptor.variable
        : "command" in descriptor
        ? descriptor.command
        : undefined;
      return held.has(`${descriptor.name}:${String(value)}`);
    },
  });
  assert.deepEqual(missing, [
    "--allow-net=xmpp.example.org:5222",
    "--allow-read=config/agent.toml",
    "--allow-write=data/memory",
    "--allow-env=BOT_PASSWORD",
    "--allow-run=fluux-agent",
  ]);
});

Deno.test("missingPermissions() asks Deno by default: a test process holds everything", () => {
  assert.deepEqual(missingPermissions(SET), []);
});
