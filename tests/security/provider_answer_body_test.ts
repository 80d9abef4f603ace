/**
 * Attack (or a misconfigured network): something between the agent and its LLM — a proxy, a
 * load balancer, a captive portal — answers with an HTML page instead of the API's JSON. The
 * SDKs' errors quote the start of such a body (`Unexpected token '<', "<p>T0K3N-…"... is not
 * valid JSON`, `502 <html>…`), and the agent logged them: a page can hold anything, a token a
 * proxy echoes included. What stops it: the providers read such an answer themselves and
 * report its status, content type and length, never its text. Expected, for both providers,
 * for 200 (as text/html, and as application/json that is not JSON) and 502: the markers in the
 * page are nowhere in the agent's log or in what the user is told, the log says what came,
 * and the user gets the usual short explanation.
 */
import { assertEquals, assertIncludes, assertTrue } from "../support/assert.ts";
import { startAgent } from "../support/agent_process.ts";
import { startFakeLlm } from "../support/fake_llm.ts";
import { connectHuman, type HumanMessage } from "../support/human.ts";
import { startProsody } from "../support/prosody.ts";

const BOT = "bot@localhost";
/** Right at the start of the page, where a JSON parse error quotes it. */
const EARLY = "T0K3N-";
const LATE = "proxy-session-6d2e81";
const PAGE = `<p>${EARLY}</p><html><head><title>Gateway</title></head>` +
  `<body>Session ${LATE} expired. <a href="/login?token=${LATE}">Log in</a></body></html>`;
const USUAL = "Sorry, I could not get an answer from the language model. Your message is saved; " +
  "please try again in a moment.";
const CASES = [
  { status: 200, type: "text/html; charset=utf-8", shown: "answered HTTP 200" },
  { status: 200, type: "application/json", shown: "answered HTTP 200" },
  { status: 502, type: "text/html", shown: "(HTTP 502, not the API's JSON: text/html" },
];

for (const provider of ["anthropic", "ollama"] as const) {
  Deno.test(`security: a non-JSON answer to the ${provider} provider is described, never quoted`, async () => {
    await using prosody = await startProsody();
    await prosody.register("bot", "botpass");
    await prosody.register("alice", "alicepass");
    await using llm = await startFakeLlm();
    await using agent = await startAgent({ prosody, llmUrl: llm.url, provider });
    await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
    for (const [index, { status, type, shown }] of CASES.entries()) {
      llm.script(() => ({ status, body: PAGE, headers: { "content-type": type } }));
      await alice.send(BOT, `question ${index}`);
      const answer = await alice.waitFor((e): e is HumanMessage =>
        e.kind === "message" && e.from.startsWith(BOT) && e.body !== undefined
      );
      assertEquals(answer.body, USUAL, `the usual explanation for HTTP ${status} ${type}`);
      const line = await agent.waitForLog(/the LLM failed/);
      assertIncludes(line, shown);
      assertIncludes(line, `${type.split(";")[0]}, ${PAGE.length} bytes`);
    }
    const log = agent.lines.events.join("\n");
    const told = alice.events.map((e) => e.kind === "message" ? e.body ?? "" : "").join("\n");
    for (const marker of [EARLY, LATE]) {
      assertTrue(!log.includes(marker), `"${marker}" is not in the log:\n${log}`);
      assertTrue(!told.includes(marker), `"${marker}" is not in what the user is told`);
    }
  });
}
