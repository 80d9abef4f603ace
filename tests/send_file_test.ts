/**
 * Files out (XEP-0363): the LLM's `send_file` uploads through Prosody's `http_file_share`
 * (found through disco items) and the person gets a link with an out-of-band attachment they
 * can download; a file over the service's limit, or a server without upload, is an error the
 * model reads, and nothing is sent.
 */
import { assertEquals, assertIncludes, assertTrue } from "./support/assert.ts";
import { startAgent } from "./support/agent_process.ts";
import { type FakeLlm, startFakeLlm } from "./support/fake_llm.ts";
import { connectHuman } from "./support/human.ts";
import { startProsody } from "./support/prosody.ts";

const BOT = "bot@localhost";
const REPORT = "# Report\n\nAll systems nominal.\n";

/** The model sends the file asked for, then says what the tool answered. */
function scriptFiles(llm: FakeLlm): void {
  llm.script(({ last_user_text, last_is_tool_result, tool_results, tool_names }) => {
    if (last_is_tool_result) return { text: `tool said: ${tool_results.join(" | ")}` };
    assertTrue(tool_names.includes("send_file"), tool_names.join());
    const content = last_user_text === "send the big one" ? "x".repeat(5_000) : REPORT;
    return { tool_calls: [{ name: "send_file", input: { name: "report.md", content } }] };
  });
}

Deno.test("send_file: uploaded through the server, received as a link and an attachment", async () => {
  await using prosody = await startProsody({ httpUpload: { sizeLimit: 4_096 } });
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm();
  scriptFiles(llm);
  await using agent = await startAgent({
    prosody,
    llmUrl: llm.url,
    extraToml: `[upload]\nhost = "localhost:${prosody.httpPort}"\n`,
  });
  assertTrue(
    agent.flags.some((flag) =>
      flag.startsWith("--allow-net=") && flag.includes(`localhost:${prosody.httpPort}`)
    ),
    "the upload host is granted",
  );
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });

  await alice.send(BOT, "send me the report");
  const file = await alice.nextMessage({ from: BOT, withBody: true, timeoutMs: 20_000 });
  const url = file.body ?? "";
  assertTrue(url.startsWith(`http://localhost:${prosody.httpPort}/`), url);
  assertTrue(url.endsWith("/report.md"), url);
  assertIncludes(file.xml, "jabber:x:oob");
  assertIncludes(file.xml, `<url>${url}</url>`);
  const download = await fetch(url);
  assertEquals(download.status, 200);
  assertEquals(await download.text(), REPORT);
  const said = await alice.nextMessage({ from: BOT, withBody: true });
  assertIncludes(said.body ?? "", 'tool said: Sent "report.md"');

  await alice.send(BOT, "send the big one");
  const refused = await alice.nextMessage({ from: BOT, withBody: true, timeoutMs: 20_000 });
  assertIncludes(refused.body ?? "", "tool said: The file was not sent");
  assertIncludes(refused.body ?? "", "at most 4096");
});

Deno.test("send_file: a server without an upload service is a clear error to the model", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm();
  scriptFiles(llm);
  await using _agent = await startAgent({ prosody, llmUrl: llm.url });
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  await alice.send(BOT, "send me the report");
  const answer = await alice.nextMessage({ from: BOT, withBody: true, timeoutMs: 20_000 });
  assertIncludes(answer.body ?? "", "offers no file upload service (XEP-0363)");
});

Deno.test("send_file: an upload host outside the permission set is refused before any PUT", async () => {
  await using prosody = await startProsody({ httpUpload: {} });
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm();
  scriptFiles(llm);
  // No [upload] host: the default names are granted on https ports only, not this one.
  await using _agent = await startAgent({ prosody, llmUrl: llm.url });
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  await alice.send(BOT, "send me the report");
  const answer = await alice.nextMessage({ from: BOT, withBody: true, timeoutMs: 20_000 });
  assertIncludes(answer.body ?? "", `localhost:${prosody.httpPort}, which the agent may not reach`);
  assertIncludes(answer.body ?? "", "set [upload] host");
});
