import assert from "node:assert/strict";
import { join } from "node:path";
import {
  type AuditEntry,
  type BuiltinSkillsConfig,
  builtinSkillSources,
  memorySkillState,
  SkillRegistry,
  SkillRunner,
} from "../src/skills/mod.ts";
import { fetchReadable } from "../src/skills/builtin/url_fetch/mod.ts";
import type { Connector } from "../src/net/mod.ts";
import { testCertificate } from "./support/test_certificate.ts";

/** A registry and runner over the built-ins a config enables, with a throwaway data dir. */
async function agentSkills(config: BuiltinSkillsConfig, env: Record<string, string> = {}) {
  const root = await Deno.makeTempDir({ prefix: "skills_builtin_" });
  const registry = await SkillRegistry.create(builtinSkillSources(config), {
    state: memorySkillState(),
    credentials: { env: (name) => env[name], home: join(root, "home") },
  });
  const audit: AuditEntry[] = [];
  const runner = new SkillRunner(registry, {
    dataDir: join(root, "data"),
    audit: { record: (entry) => Promise.resolve(void audit.push(entry)) },
  });
  return { registry, runner, audit, cleanup: () => Deno.remove(root, { recursive: true }) };
}

function serve(handler: (request: Request) => Response | Promise<Response>) {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
  return { url: `http://127.0.0.1:${server.addr.port}`, close: () => server.shutdown() };
}

Deno.test("web_search asks a Tavily server with the key and formats title, URL and snippet", async () => {
  const seen: { auth: string | null; body: unknown; path: string }[] = [];
  const tavily = serve(async (request) => {
    seen.push({
      auth: request.headers.get("authorization"),
      body: await request.json(),
      path: new URL(request.url).pathname,
    });
    return Response.json({
      query: "kelp",
      results: [
        {
          title: "Kelp recovery",
          url: "https://a.example/kelp",
          content: "Forests return.",
          score: 0.9,
        },
        { title: "Sea otters", url: "https://b.example/otters", content: "Otters eat urchins." },
      ],
    });
  });
  const { registry, runner, audit, cleanup } = await agentSkills(
    { web_search: { provider: "tavily", host: tavily.url, max_results: 3 } },
    { TAVILY_API_KEY: "tvly-test-secret" },
  );
  try {
    assert.deepEqual(registry.get("web_search")?.manifest.capabilities.network, [
      tavily.url.replace("http://", ""),
    ]);
    const result = await runner.call(
      { id: "s1", name: "web_search", input: { query: "kelp" } },
      { conversation: "alice@example.org" },
    );
    assert.equal(result.is_error, false, result.content);
    assert.deepEqual(seen, [{
      auth: "Bearer tvly-test-secret",
      body: { query: "kelp", max_results: 3 },
      path: "/search",
    }]);
    assert.match(result.content, /^<untrusted_data source="web_search \(tavily\)">/);
    assert.match(
      result.content,
      /1\. Kelp recovery\n {3}https:\/\/a\.example\/kelp\n {3}Forests return\.\n2\. Sea otters/,
    );
    assert.equal(audit[0]?.outcome, "ok");
    assert.doesNotMatch(JSON.stringify(audit), /tvly-test-secret/);
  } finally {
    await tavily.close();
    await cleanup();
  }
});

Deno.test("web_search reports a provider error as a tool error", async () => {
  const tavily = serve(() => Response.json({ detail: "Invalid API key" }, { status: 401 }));
  const { runner, cleanup } = await agentSkills(
    { web_search: { provider: "tavily", host: tavily.url, api_key: "tvly-wrong-key" } },
  );
  try {
    const result = await runner.call(
      { id: "s2", name: "web_search", input: { query: "x" } },
      { conversation: "c" },
    );
    assert.equal(result.is_error, true);
    assert.match(result.content, /Tavily answered HTTP 401: .*Invalid API key/);
  } finally {
    await tavily.close();
    await cleanup();
  }
});

Deno.test("web_search reads Perplexity's answer and its search results", async () => {
  const perplexity = serve(async (request) => {
    assert.equal(new URL(request.url).pathname, "/chat/completions");
    const body = await request.json();
    assert.equal(body.messages[0].content, "deno workers");
    return Response.json({
      choices: [{ message: { role: "assistant", content: "Workers run in isolates [1]." } }],
      search_results: [{
        title: "Workers",
        url: "https://docs.example/workers",
        snippet: "Web Workers",
      }],
    });
  });
  const { runner, cleanup } = await agentSkills(
    { web_search: { provider: "perplexity", host: perplexity.url } },
    { PERPLEXITY_API_KEY: "pplx-key" },
  );
  try {
    const result = await runner.call(
      { id: "p1", name: "web_search", input: { query: "deno workers" } },
      { conversation: "c" },
    );
    assert.equal(result.is_error, false, result.content);
    assert.match(result.content, /Answer: Workers run in isolates \[1\]\./);
    assert.match(
      result.content,
      /1\. Workers\n {3}https:\/\/docs\.example\/workers\n {3}Web Workers/,
    );
  } finally {
    await perplexity.close();
    await cleanup();
  }
});

Deno.test("web_search without a key is unavailable and tells what to set", async () => {
  const { registry, runner, cleanup } = await agentSkills({ web_search: { provider: "tavily" } });
  try {
    assert.equal(registry.get("web_search")?.status, "unavailable");
    assert.match(registry.get("web_search")?.reason ?? "", /TAVILY_API_KEY/);
    assert.deepEqual(registry.toolDefinitions(), []);
    const result = await runner.call({ id: "x", name: "web_search", input: { query: "q" } }, {
      conversation: "c",
    });
    assert.equal(result.is_error, true);
  } finally {
    await cleanup();
  }
});

const ARTICLE = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>How to brew green tea — Tea Guide</title><script>analytics()</script></head><body>
<div class="topbar"><nav><ul><li><a href="/">Home</a></li><li><a href="/shop">Shop</a></li>
<li><a href="/account">My account</a></li></ul></nav></div>
<div id="content"><article><h1>How to brew green tea</h1>
<p>Green tea tastes best when the water is well below boiling. Heat it to about 75 to 80 degrees
Celsius, or let boiled water rest for two minutes before pouring it over the leaves.</p>
<p>Use roughly two grams of leaves for every 150 millilitres of water and steep for no more than
two minutes; longer steeping draws out bitter catechins and hides the sweetness of the leaf.</p>
<h2>Second infusions</h2><p>Good leaves give two or three infusions. Add thirty seconds each time
and raise the temperature slightly for the later cups to coax out the remaining flavour.</p>
</article><aside><h3>Related</h3><a href="/coffee">Ten coffee gadgets you need</a></aside></div>
<footer>Subscribe to our newsletter · Terms · Privacy</footer></body></html>`;

Deno.test("url_fetch returns the readable text of a page, in its own process", async () => {
  const site = serve((request) =>
    new URL(request.url).pathname === "/old"
      ? Response.redirect(new URL("/tea", request.url), 302)
      : new Response(ARTICLE, { headers: { "content-type": "text/html; charset=utf-8" } })
  );
  const { runner, cleanup } = await agentSkills({
    url_fetch: { enabled: true, allow_private_hosts: true },
  });
  try {
    const result = await runner.call(
      { id: "f1", name: "url_fetch", input: { url: `${site.url}/old` } },
      { conversation: "c" },
    );
    assert.equal(result.is_error, false, result.content);
    assert.match(result.content, new RegExp(`^<untrusted_data source="${site.url}/tea">`));
    assert.match(result.content, /Title: How to brew green tea/);
    assert.match(result.content, /well below boiling/);
    assert.match(result.content, /## Second infusions/);
    for (const chrome of ["My account", "coffee gadgets", "newsletter", "analytics"]) {
      assert.doesNotMatch(result.content, new RegExp(chrome), `leaked ${chrome}`);
    }
  } finally {
    await site.close();
    await cleanup();
  }
});

Deno.test("url_fetch refuses a loopback address under the default policy", async () => {
  let hits = 0;
  const site = serve(() => new Response(String(++hits)));
  const { runner, cleanup } = await agentSkills({ url_fetch: { enabled: true } });
  try {
    const result = await runner.call(
      { id: "f2", name: "url_fetch", input: { url: `${site.url}/` } },
      { conversation: "c" },
    );
    assert.equal(result.is_error, true);
    assert.match(result.content, /Refused/);
    assert.match(result.content, /allow_private_hosts/);
    assert.equal(hits, 0);
  } finally {
    await site.close();
    await cleanup();
  }
});

Deno.test("url_fetch refuses a redirect from a public host to a loopback address", async () => {
  let secretHits = 0;
  const internal = serve((request) => {
    if (new URL(request.url).pathname === "/secret") secretHits++;
    return new Response("internal admin page");
  });
  // "public.example" resolves to a public address; its answer redirects to loopback.
  const certificate = await testCertificate("public.example");
  const publicSite = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {}, ...certificate },
    () => new Response(null, { status: 302, headers: { location: `${internal.url}/secret` } }),
  );
  const connect: Connector = async (host, _port, signal) => {
    assert.equal(host, "public.example");
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: publicSite.addr.port, signal });
    return { conn, address: "93.184.216.34" };
  };
  try {
    await assert.rejects(
      fetchReadable("https://public.example/start", {
        resolve: (host) => Promise.resolve(host === "public.example" ? ["93.184.216.34"] : []),
        connect,
        caCerts: [certificate.cert],
      }),
      /Refused "http:\/\/127\.0\.0\.1:\d+\/secret"/,
    );
    assert.equal(secretHits, 0);
  } finally {
    await publicSite.shutdown();
    await internal.close();
  }
});
