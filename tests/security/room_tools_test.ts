/**
 * Attack: borrowing the agent's tools in a room. Any occupant, from any server, may address
 * the agent in a room it sits in; they used to get the LLM with every tool, and their
 * attachments downloaded. What stops it: in a room, tools and downloads are for occupants
 * whose real JID is allowed, unless the room says `tools = "everyone"`. Expected: a stranger's
 * turn asks the LLM with no tools, no tool runs even when the model asks for one, their file
 * is not fetched; an allowed occupant's turn has the tools and the download.
 */
import { assertEquals, assertTrue } from "../support/assert.ts";
import { startAgent } from "../support/agent_process.ts";
import { type FakeCall, startFakeLlm } from "../support/fake_llm.ts";
import { connectHuman, type Human, type HumanMessage } from "../support/human.ts";
import { startProsody } from "../support/prosody.ts";

const ROOM = "dev@conference.localhost";
const OPEN = "open@conference.localhost";

interface Recorder extends AsyncDisposable {
  url: string;
  /** Paths requested: `/search` for web searches, anything else for attachment downloads. */
  hits: string[];
}

/** Serves both the fake Tavily search API and files for attachment links. */
function startRecorder(): Recorder {
  const hits: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const path = new URL(req.url).pathname;
    hits.push(path);
    if (path === "/search") {
      return Response.json({
        query: "q",
        results: [{ title: "Result", url: "https://example.org/", content: "found", score: 1 }],
      });
    }
    return new Response("secret notes\n", { headers: { "content-type": "text/plain" } });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    hits,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

/** A model that always wants to search, whether or not it was offered the tool. */
function alwaysSearch({ last_is_tool_result, tool_names }: FakeCall) {
  if (last_is_tool_result) return { text: "searched" };
  return {
    tool_calls: [{ name: "web_search", input: { query: "secrets" } }],
    text: tool_names.length === 0 ? "no tools for you" : "",
  };
}

function answerTo(human: Human, room: string, text: string) {
  return human.waitFor((e): e is HumanMessage =>
    e.kind === "message" && e.from === `${room}/bot` && (e.body ?? "").includes(text)
  );
}

Deno.test("security: a stranger in a room gets the LLM without tools or downloads", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await prosody.register("eve", "evepass");
  await using recorder = startRecorder();
  await using llm = await startFakeLlm({ handler: alwaysSearch });
  await using agent = await startAgent({
    prosody,
    llmUrl: llm.url,
    extraToml: `
[[rooms]]
jid = "${ROOM}"
nick = "bot"
download_attachments = true

[[rooms]]
jid = "${OPEN}"
nick = "bot"
tools = "everyone"

[attachments]
hosts = ["127.0.0.1"]
allow_private_hosts = true

[skills.web_search]
provider = "tavily"
api_key = "tvly-test-key"
host = "${recorder.url}"
`,
  });
  await agent.waitForLog(new RegExp(`Joined ${ROOM}`));
  await agent.waitForLog(new RegExp(`Joined ${OPEN}`));
  await using eve = await connectHuman(prosody, { user: "eve", password: "evepass" });
  await eve.joinRoom(ROOM, "eve");
  await eve.joinRoom(OPEN, "eve");
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  await alice.joinRoom(ROOM, "alice");

  await eve.sendRaw(
    `<message to="${ROOM}" type="groupchat"><body>bot: look at this</body>` +
      `<x xmlns="jabber:x:oob"><url>${recorder.url}/eve.txt</url></x></message>`,
  );
  await answerTo(eve, ROOM, "no tools for you");
  const strangers = llm.requests.at(-1)?.body as Record<string, unknown>;
  assertEquals(strangers.tools, undefined, "the request offers no tools");
  assertTrue(!JSON.stringify(strangers).includes("secret notes"), "the file was not read");
  assertEquals(recorder.hits, [], "no search ran and no file was fetched");

  await alice.sendRaw(
    `<message to="${ROOM}" type="groupchat"><body>bot: and this</body>` +
      `<x xmlns="jabber:x:oob"><url>${recorder.url}/alice.txt</url></x></message>`,
  );
  await answerTo(alice, ROOM, "searched");
  assertEquals(recorder.hits, ["/alice.txt", "/search"]);
  const allowed = llm.requests.find((r) => JSON.stringify(r.body).includes("and this"));
  assertTrue(Array.isArray((allowed?.body as { tools?: unknown }).tools), "alice's turn has tools");

  await eve.send(OPEN, "bot: search please", { type: "groupchat" });
  await answerTo(eve, OPEN, "searched");
  assertEquals(recorder.hits.filter((path) => path === "/search").length, 2);
});
