import assert from "node:assert/strict";
import { join } from "node:path";
import { builtinSkillSources, permissionNeeds } from "../src/skills/mod.ts";

// The agent process runs with only its own permissions plus what permissionNeeds() adds:
// this runs both built-ins from such a process and checks that nothing more was needed.
const SCRIPT = (modUrl: string) => `
import { builtinSkillSources, memorySkillState, SkillRegistry, SkillRunner } from ${
  JSON.stringify(modUrl)
};
const [dataDir, searchHost, pageUrl] = Deno.args;
const registry = await SkillRegistry.create(builtinSkillSources({
  web_search: { provider: "tavily", host: searchHost, api_key: "tvly-narrow" },
  url_fetch: { enabled: true, allow_private_hosts: true },
}), { state: memorySkillState(), credentials: { env: (name) => Deno.env.get(name) } });
const runner = new SkillRunner(registry, { dataDir });
const search = await runner.call({ id: "1", name: "web_search", input: { query: "q" } }, {
  conversation: "c",
});
const page = await runner.call({ id: "2", name: "url_fetch", input: { url: pageUrl } }, {
  conversation: "c",
});
let direct = "refused";
try {
  await fetch(pageUrl);
  direct = "reached";
} catch { /* the agent itself may not reach the page's host */ }
console.log(JSON.stringify({ search, page, direct }));
`;

Deno.test("the agent runs its skills with only the permissions permissionNeeds() adds", async () => {
  const root = await Deno.makeTempDir({ prefix: "skills_permissions_" });
  const search = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => Response.json({ results: [{ title: "T", url: "https://t.example/", content: "S" }] }),
  );
  const page = Deno.serve(
    { hostname: "localhost", port: 0, onListen() {} },
    () =>
      new Response("<html><body><p>Plain page.</p></body></html>", {
        headers: { "content-type": "text/html" },
      }),
  );
  try {
    const searchHost = `http://127.0.0.1:${search.addr.port}`;
    const pageUrl = `http://localhost:${page.addr.port}/`;
    const dataDir = join(root, "data");
    const script = join(root, "agent.ts");
    await Deno.writeTextFile(script, SCRIPT(new URL("../src/skills/mod.ts", import.meta.url).href));
    const needs = permissionNeeds(
      builtinSkillSources({
        web_search: { provider: "tavily", host: searchHost },
        url_fetch: { enabled: true },
      }),
      { denoPath: Deno.execPath() },
    );
    assert.deepEqual(needs.net, [`127.0.0.1:${search.addr.port}`], "url_fetch adds no host");
    assert.deepEqual(needs.run, [Deno.execPath()]);
    const flags = [
      `--allow-read=${[dataDir, ...needs.read].join(",")}`,
      `--allow-write=${dataDir}`,
      `--allow-net=${needs.net.join(",")}`,
      `--allow-env=HOME,${needs.env.join(",")}`,
      `--allow-run=${needs.run.join(",")}`,
      ...needs.unstable.map((feature) => `--unstable-${feature}`),
    ];
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--quiet",
        "--no-prompt",
        "--config",
        new URL("../deno.json", import.meta.url).pathname,
        ...flags,
        script,
        dataDir,
        searchHost,
        pageUrl,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(output.stderr);
    assert.equal(output.code, 0, stderr);
    const result = JSON.parse(new TextDecoder().decode(output.stdout).trim().split("\n").at(-1)!);
    assert.equal(result.search.is_error, false, result.search.content);
    assert.match(result.search.content, /1\. T/);
    assert.equal(result.page.is_error, false, result.page.content);
    assert.match(result.page.content, /Plain page\./);
    assert.equal(result.direct, "refused", "the agent itself cannot reach url_fetch's hosts");
  } finally {
    await search.shutdown();
    await page.shutdown();
    await Deno.remove(root, { recursive: true });
  }
});
