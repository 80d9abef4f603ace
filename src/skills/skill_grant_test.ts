import assert from "node:assert/strict";
import { testSkill } from "./_testing.ts";
import { processPermissionFlags, skillGrant, workerPermissions } from "./skill_grant.ts";

Deno.test("skillGrant() puts relative paths in the state folder and refuses absolute ones not allowed", () => {
  const { manifest } = testSkill("notes", {
    capabilities: 'read = ["notes", "/srv/shared"]\nwrite = ["notes"]\nnetwork = ["a.example:443"]',
  });
  assert.throws(
    () => skillGrant(manifest, { stateDir: "/data/skills/notes" }),
    /read path "\/srv\/shared" is absolute and not inside a folder the config allows/,
  );
  const grant = skillGrant(manifest, {
    stateDir: "/data/skills/notes",
    allowedAbsolutePaths: ["/srv"],
  });
  assert.deepEqual(grant.read, ["/data/skills/notes/notes", "/srv/shared"]);
  assert.deepEqual(workerPermissions(grant), {
    net: ["a.example:443"],
    read: ["/data/skills/notes/notes", "/srv/shared"],
    write: ["/data/skills/notes/notes"],
    env: false,
    run: false,
    ffi: false,
    sys: false,
    import: false,
  });
  assert.deepEqual(processPermissionFlags(grant), [
    "--allow-net=a.example:443",
    "--allow-read=/data/skills/notes/notes,/srv/shared",
    "--allow-write=/data/skills/notes/notes",
  ]);
});

Deno.test("processPermissionFlags() gives any host with every non-public range denied", () => {
  const { manifest } = testSkill("crawler", {
    isolation: "process",
    capabilities: 'network = ["*"]',
  });
  const flags = processPermissionFlags(skillGrant(manifest, { stateDir: "/data/skills/crawler" }));
  assert.equal(flags[0], "--allow-net");
  const denied = flags[1]?.replace(/^--deny-net=/, "").split(",") ?? [];
  for (const range of ["127.0.0.0/8", "10.0.0.0/8", "169.254.0.0/16", "100.64.0.0/10"]) {
    assert.ok(denied.includes(range), `${range} is denied`);
  }
  for (const address of ["[::1]", "[::]"]) assert.ok(denied.includes(address));
  assert.equal(flags.length, 2);
  const open = skillGrant(manifest, {
    stateDir: "/data/skills/crawler",
    allowPrivateNetwork: true,
  });
  assert.deepEqual(processPermissionFlags(open), ["--allow-net"]);
});
