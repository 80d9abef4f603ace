/**
 * Attachments (XEP-0066) end to end: files sent as out-of-band links are downloaded by the
 * agent from a local HTTP(S) server and reach the LLM in the provider's format; a link to a
 * loopback address is refused under the default policy.
 */
import { assertEquals, assertIncludes, assertTrue } from "./support/assert.ts";
import { startAgent } from "./support/agent_process.ts";
import { startFakeLlm } from "./support/fake_llm.ts";
import { connectHuman } from "./support/human.ts";
import { startProsody } from "./support/prosody.ts";

// A 1×1 transparent PNG.
const PNG = Uint8Array.from(
  atob(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  ),
  (c) => c.charCodeAt(0),
);
const NOTES = "Shopping list: oat milk, basil, 2 lemons.\n";

interface FileServer extends AsyncDisposable {
  port: number;
  hits: string[];
}

function serveFiles(options: { cert?: string; key?: string } = {}): FileServer {
  const hits: string[] = [];
  const handler = (req: Request) => {
    const path = new URL(req.url).pathname;
    hits.push(path);
    if (path === "/photo.png") {
      return new Response(PNG, { headers: { "content-type": "image/png" } });
    }
    if (path === "/notes.txt") {
      return new Response(NOTES, { headers: { "content-type": "text/plain; charset=utf-8" } });
    }
    return new Response("not found", { status: 404 });
  };
  const server = options.cert === undefined
    ? Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, handler)
    : Deno.serve({
      hostname: "127.0.0.1",
      port: 0,
      cert: options.cert,
      key: options.key ?? "",
      onListen: () => {},
    }, handler);
  return { port: server.addr.port, hits, [Symbol.asyncDispose]: () => server.shutdown() };
}

function oob(url: string, body = url): string {
  return `<message to="bot@localhost" type="chat"><body>${body}</body>` +
    `<x xmlns="jabber:x:oob"><url>${url}</url></x></message>`;
}

Deno.test("attachments: an image over HTTPS and a text file over HTTP reach the LLM", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm();
  await using plain = serveFiles();
  await using secure = serveFiles({
    cert: await Deno.readTextFile(prosody.certFile),
    key: await Deno.readTextFile(prosody.keyFile),
  });
  await using agent = await startAgent({
    prosody,
    llmUrl: llm.url,
    extraToml: `
[attachments]
hosts = ["127.0.0.1", "localhost"]
allow_private_hosts = true
`,
  });
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });

  // The agent trusts the test certificate (it runs with --cert), whose name is localhost.
  await alice.sendRaw(oob(`https://localhost:${secure.port}/photo.png`));
  await alice.nextMessage({ from: "bot@localhost", withBody: true });
  const image = JSON.stringify(llm.requests.at(-1)?.body);
  assertIncludes(image, '"type":"image"');
  assertIncludes(image, '"media_type":"image/png"');
  assertIncludes(image, btoa(String.fromCharCode(...PNG)).slice(0, 40));
  assertTrue(
    !image.includes(`https://localhost:${secure.port}/photo.png\\n`),
    "URL-only body dropped",
  );

  await alice.sendRaw(oob(`http://127.0.0.1:${plain.port}/notes.txt`, "what should I buy?"));
  await alice.nextMessage({ from: "bot@localhost", withBody: true });
  const text = JSON.stringify(llm.requests.at(-1)?.body);
  assertIncludes(text, "what should I buy?");
  assertIncludes(text, "oat milk, basil, 2 lemons");

  const files = [...Deno.readDirSync(`${agent.dataDir}/alice@localhost/files`)].map((e) => e.name);
  assertEquals(files.length, 2);
  assertTrue(files.some((name) => name.endsWith("_photo.png")), files.join(", "));
  const history = await Deno.readTextFile(`${agent.dataDir}/alice@localhost/history.jsonl`);
  assertIncludes(history, '"filename":"photo.png"');
  assertIncludes(history, '"mime_type":"image/png"');
});

Deno.test("attachments: a link to a loopback address is refused under the default policy", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using llm = await startFakeLlm();
  await using plain = serveFiles();
  await using agent = await startAgent({
    prosody,
    llmUrl: llm.url,
    extraToml: `
[attachments]
hosts = ["127.0.0.1"]
`,
  });
  await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
  await alice.sendRaw(oob(`http://127.0.0.1:${plain.port}/notes.txt`, "read this"));
  const note = await alice.nextMessage({ from: "bot@localhost", withBody: true });
  assertIncludes(note.body ?? "", "Could not fetch");
  await alice.nextMessage({ from: "bot@localhost", withBody: true });
  assertEquals(plain.hits, [], "the server was never contacted");
  const request = JSON.stringify(llm.requests.at(-1)?.body);
  assertIncludes(request, "read this");
  assertIncludes(request, "refused");

  // A message that is only the link (as clients send a shared file) keeps the link, and the
  // LLM still hears about the refusal.
  const link = `http://127.0.0.1:${plain.port}/photo.png`;
  await alice.sendRaw(oob(link, link));
  assertIncludes(
    (await alice.nextMessage({ from: "bot@localhost", withBody: true })).body ?? "",
    "Could not fetch",
  );
  await alice.nextMessage({ from: "bot@localhost", withBody: true });
  const second = JSON.stringify(llm.requests.at(-1)?.body);
  assertIncludes(second, link);
  assertIncludes(second, "refused");
  assertIncludes(
    await Deno.readTextFile(`${agent.dataDir}/alice@localhost/history.jsonl`),
    `[attachment: ${link}]`,
  );
});
