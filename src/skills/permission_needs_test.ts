import assert from "node:assert/strict";
import { builtinSkillSources } from "./builtin/mod.ts";
import { testSkill } from "./_testing.ts";
import { permissionNeeds } from "./permission_needs.ts";

Deno.test("permissionNeeds() adds worker skills' hosts but never url_fetch's any-host", () => {
  const needs = permissionNeeds([
    ...builtinSkillSources({
      web_search: { provider: "tavily" },
      url_fetch: { enabled: true },
    }),
    testSkill("notes", { capabilities: 'env = ["NOTES_DIR"]\nnetwork = ["notes.example:443"]' }),
  ], { denoPath: "/usr/bin/deno", home: "/home/u" });
  assert.deepEqual(needs.net, ["api.tavily.com:443"], "an untrusted skill's child has its own");
  assert.deepEqual(needs.run, ["/usr/bin/deno"]);
  assert.deepEqual(needs.unstable, ["worker-options"]);
  assert(needs.env.includes("TAVILY_API_KEY"));
  assert(needs.env.includes("NOTES_DIR"));
  assert(needs.read.includes("/home/u/.fluux-agent/credentials"));
});

Deno.test("permissionNeeds() follows the web_search host override", () => {
  const needs = permissionNeeds(
    builtinSkillSources({ web_search: { provider: "perplexity", host: "http://proxy.lan:8080" } }),
    { denoPath: "deno" },
  );
  assert.deepEqual(needs.net, ["proxy.lan:8080"]);
  assert.deepEqual(needs.env, ["PERPLEXITY_API_KEY"]);
  assert.deepEqual(needs.run, []);
});

Deno.test("permissionNeeds() adds what a trusted user skill's worker needs, nothing for a refused one", () => {
  const trusted = testSkill("notes", {
    capabilities: 'network = ["notes.example:443"]',
    module: new URL("file:///srv/skills/notes/mod.ts"),
    trusted: true,
  });
  const refused = {
    ...testSkill("evil", { capabilities: 'network = ["evil.example:443"]', trusted: true }),
    refused: 'mod.ts line 1: imports "/etc/passwd", which is outside the skill\'s folder',
  };
  const needs = permissionNeeds([trusted, refused], { denoPath: "/usr/bin/deno" });
  assert.deepEqual(needs.net, ["notes.example:443"]);
  assert(needs.read.includes("/srv/skills/notes"), "the worker loads its code");
  assert.deepEqual(needs.run, []);
});

Deno.test("permissionNeeds() grants a skill's absolute paths only inside skills.allowed_paths", () => {
  const skill = testSkill("files", {
    capabilities: 'read = ["/srv/shared/notes.txt", "/etc/hostname"]\nwrite = ["/etc", "logs"]',
    trusted: true,
  });
  const closed = permissionNeeds([skill], { denoPath: "deno" });
  assert.deepEqual([
    closed.read.filter((p) => p.startsWith("/etc") || p.startsWith("/srv")),
    closed.write,
  ], [[], []]);
  const open = permissionNeeds([skill], {
    denoPath: "deno",
    allowedAbsolutePaths: ["/srv/shared/"],
  });
  assert(open.read.includes("/srv/shared/notes.txt"));
  assert(!open.read.includes("/etc/hostname"));
  assert.deepEqual(open.write, []);
});
