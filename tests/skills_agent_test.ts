/**
 * Skills through the whole agent: a question makes the (fake) LLM call `web_search`, served
 * by a local fake Tavily, and the answer uses the result — with Anthropic's and Ollama's
 * tool formats; and a model that keeps calling tools gets ten rounds, then must answer.
 */
import { assertEquals, assertIncludes, assertTrue } from "./support/assert.ts";
import { startAgent } from "./support/agent_process.ts";
import { type FakeCall, startFakeLlm } from "./support/fake_llm.ts";
import { connectHuman } from "./support/human.ts";
import { startProsody } from "./support/prosody.ts";

interface FakeTavily extends AsyncDisposable {
  url: string;
  queries: string[];
  keys: string[];
}

function startFakeTavily(): FakeTavily {
  const queries: string[] = [];
  const keys: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const body = await req.json();
    queries.push(body.query);
    keys.push(req.headers.get("authorization") ?? body.api_key ?? "");
    return Response.json({
      query: body.query,
      results: [{
        title: "XMPP turns 27",
        url: "https://example.org/xmpp-news",
        content: "The XMPP Standards Foundation published XEP-0500 today.",
        score: 0.9,
      }],
    });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    queries,
    keys,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

function searchOnce({ tool_names, last_is_tool_result, tool_results }: FakeCall) {
  if (!tool_names.includes("web_search")) return { text: "no tools offered" };
  if (!last_is_tool_result) {
    return { tool_calls: [{ name: "web_search", input: { query: "xmpp news" } }] };
  }
  return { text: `From the web: ${tool_results.join(" ").slice(0, 400)}` };
}

for (const provider of ["anthropic", "ollama"] as const) {
  Deno.test(`skills: the LLM calls web_search and the answer uses its result (${provider})`, async () => {
    await using prosody = await startProsody();
    await prosody.register("bot", "botpass");
    await prosody.register("alice", "alicepass");
    await using llm = await startFakeLlm({ handler: searchOnce });
    await using tavily = startFakeTavily();
    await using agent = await startAgent({
      prosody,
      llmUrl: llm.url,
      provider,
      extraToml: `
[skills.web_search]
provider = "tavily"
api_key = "tvly-test-secret-key"
host = "${tavily.url}"
`,
    });
    assertTrue(
      agent.flags.some((flag) =>
        flag.startsWith("--allow-net=") && flag.includes(tavily.url.slice(7))
      ),
      "the agent holds the search host for its worker",
    );
    await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
    await alice.send("bot@localhost", "What is new with XMPP?");
    const reply = await alice.nextMessage({
      from: "bot@localhost",
      withBody: true,
      timeoutMs: 20_000,
    });
    assertIncludes(reply.body ?? "", "XEP-0500");
    assertEquals(tavily.queries, ["xmpp news"]);
    assertIncludes(tavily.keys[0] ?? "", "tvly-test-secret-key");
    // The result reached the LLM labelled as untrusted data.
    const last = JSON.stringify(llm.requests.at(-1)?.body);
    assertIncludes(last, "untrusted");
    const audit = await Deno.readTextFile(`${agent.dataDir}/audit/tools.jsonl`);
    assertIncludes(audit, "web_search");
    assertTrue(!audit.includes("tvly-test-secret-key"), "no secret in the audit");
    const logs = agent.lines.events.join("\n");
    assertTrue(!logs.includes("tvly-test-secret-key"), "no secret in the logs");
  });
}

Deno.test("skills: ten tool rounds, then a final answer without tools", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm({
    handler: ({ request, tool_names }) => {
      const body = request.body as { tool_choice?: { type: string } };
      if (tool_names.length > 0 && body.tool_choice?.type !== "none") {
        return { tool_calls: [{ name: "web_search", input: { query: "again" } }] };
      }
      return { text: "final answer after all that searching" };
    },
  });
  await using tavily = startFakeTavily();
  await using _agent = await startAgent({
    prosody,
    llmUrl: llm.url,
    extraToml: `
[skills.web_search]
provider = "tavily"
api_key = "tvly-test-secret-key"
host = "${tavily.url}"
`,
  });
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  await alice.send("bot@localhost", "search forever");
  const reply = await alice.nextMessage({
    from: "bot@localhost",
    withBody: true,
    timeoutMs: 30_000,
  });
  assertEquals(reply.body, "final answer after all that searching");
  assertEquals(tavily.queries.length, 10);
  assertEquals(llm.chat_count, 11);
  const last = llm.requests.at(-1)?.body as { tool_choice?: { type: string }; tools?: unknown[] };
  assertEquals(last.tool_choice?.type, "none");
  assertTrue((last.tools?.length ?? 0) > 0, "tool definitions kept on the final call");
});
