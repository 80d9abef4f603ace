/**
 * Attack: one slow attachment server holds every download slot. A user sends several files
 * from a server that never finishes answering; another user's file from another server must
 * still be downloaded and answered at once, and the first user's downloads end at their
 * deadline with a note, losing nothing else.
 */
import { assertEquals, assertIncludes, assertTrue } from "../support/assert.ts";
import { startAgent } from "../support/agent_process.ts";
import { startFakeLlm } from "../support/fake_llm.ts";
import { connectHuman } from "../support/human.ts";
import { startProsody } from "../support/prosody.ts";

const BOT = "bot@localhost";

/** A server that starts answering each request and then stalls until released. */
function slowServer() {
  const started: string[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => release = resolve);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    started.push(new URL(request.url).pathname);
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(new TextEncoder().encode("partial "));
        await released;
        controller.close();
      },
    });
    return new Response(body, { headers: { "content-type": "text/plain" } });
  });
  return {
    port: server.addr.port,
    started,
    async close() {
      release();
      await server.shutdown();
    },
  };
}

Deno.test("a slow attachment server does not hold up another user's file from another server", async () => {
  await using prosody = await startProsody();
  for (const user of ["bot", "alice", "bob"]) await prosody.register(user, `${user}pass`);
  await using llm = await startFakeLlm();
  const slow = slowServer();
  const fast = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () =>
      new Response("Bob's recipe: two eggs, one cup of flour.\n", {
        headers: { "content-type": "text/plain" },
      }),
  );
  try {
    await using _agent = await startAgent({
      prosody,
      llmUrl: llm.url,
      allowedJids: ["alice@localhost", "bob@localhost"],
      extraToml: `
[attachments]
hosts = ["127.0.0.1:${slow.port}", "localhost:${fast.addr.port}"]
allow_private_hosts = true
timeout_secs = 12
`,
    });
    await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });
    await using bob = await connectHuman(prosody, { user: "bob", password: "bobpass" });

    const links = [1, 2, 3, 4].map((n) => `http://127.0.0.1:${slow.port}/big${n}.txt`);
    await alice.sendRaw(
      `<message to="${BOT}" type="chat"><body>four files</body>` +
        links.map((url) => `<x xmlns="jabber:x:oob"><url>${url}</url></x>`).join("") +
        `</message>`,
    );
    while (slow.started.length < 2) await new Promise((resolve) => setTimeout(resolve, 20));

    await bob.sendRaw(
      `<message to="${BOT}" type="chat"><body>my recipe</body>` +
        `<x xmlns="jabber:x:oob"><url>http://localhost:${fast.addr.port}/recipe.txt</url></x>` +
        `</message>`,
    );
    // Well within Alice's 12 s deadline: had her downloads held every slot, Bob would wait it out.
    const reply = await bob.nextMessage({ from: BOT, withBody: true, timeoutMs: 10_000 });
    assertIncludes(reply.body ?? "", "my recipe");
    assertIncludes(JSON.stringify(llm.requests.at(-1)?.body), "two eggs, one cup of flour");
    assertEquals(slow.started.length, 2, "the slow server got two downloads, no more");

    // Alice's downloads end at their deadline: she is told, and her message still reaches
    // the LLM.
    const note = await alice.nextMessage({ from: BOT, withBody: true, timeoutMs: 40_000 });
    assertIncludes(note.body ?? "", "Could not fetch");
    const answer = await alice.nextMessage({ from: BOT, withBody: true, timeoutMs: 15_000 });
    assertIncludes(answer.body ?? "", "four files");
    assertTrue(
      /took longer than 12 s|no download slot was free within 12 s/.test(note.body ?? ""),
      note.body ?? "",
    );
  } finally {
    await slow.close();
    await fast.shutdown();
  }
});
