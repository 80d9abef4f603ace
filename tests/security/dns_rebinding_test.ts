/**
 * Attack: DNS rebinding. A local name server answers the first question about a name with a
 * public address and every later one with loopback (127.0.0.1, ::1), with a TTL of 0. The
 * agent asks it for its DNS check (`network.nameservers`) and, through its own
 * /etc/resolv.conf (the agent runs in a mount namespace of its own), for the connection. An
 * attachment download must refuse the connection that lands on loopback, `url_fetch` must
 * refuse names that resolve there, and the loopback listeners must not receive a single byte.
 */
import { assertEquals, assertIncludes, assertTrue } from "../support/assert.ts";
import { startAgent } from "../support/agent_process.ts";
import { startDnsServer } from "../support/dns_server.ts";
import { startFakeLlm } from "../support/fake_llm.ts";
import { connectHuman } from "../support/human.ts";
import { startProsody } from "../support/prosody.ts";

/** The "public" answers: accepted by the check, never connected to (denied to the agent). */
const PUBLIC = "93.184.215.14";
const PUBLIC6 = "2606:2800:220:1:248:1893:25c8:1946";

/** What the hostile name server answers, by name: the first answer, then every later one. */
const ANSWERS: Record<string, { first: string[]; then: string[] }> = {
  "upload.rebind.test": { first: [PUBLIC, PUBLIC6], then: ["127.0.0.1"] },
  "upload6.rebind.test": { first: [PUBLIC, PUBLIC6], then: ["::1"] },
  // url_fetch's names answer loopback from the start: its check is refused the name server
  // (the child may not reach loopback at all), so the connection asks first.
  "page.rebind.test": { first: ["127.0.0.1"], then: ["127.0.0.1"] },
  "page6.rebind.test": { first: ["::1"], then: ["::1"] },
};

/** The name server on port 53 (resolv.conf names no port) of a random loopback address. */
async function hostileNameServer() {
  for (let attempt = 0;; attempt++) {
    const hostname = `127.53.${1 + Math.floor(Math.random() * 250)}.${
      1 + Math.floor(Math.random() * 250)
    }`;
    try {
      return await startDnsServer((query, index) => {
        const answers = ANSWERS[query.name];
        return answers === undefined ? [] : index === 0 ? answers.first : answers.then;
      }, { hostname, port: 53 });
    } catch (error) {
      if (attempt >= 5) throw error;
    }
  }
}

/** A TCP listener that records how many connections and bytes reach it. */
function recorder(hostname: string) {
  const listener = Deno.listen({ hostname, port: 0 });
  const seen = { connections: 0, bytes: 0 };
  (async () => {
    for await (const conn of listener) {
      seen.connections++;
      (async () => {
        for await (const chunk of conn.readable) seen.bytes += chunk.length;
      })().catch(() => {});
    }
  })().catch(() => {});
  return { port: listener.addr.port, seen, close: () => listener.close() };
}

function oob(url: string, body = url): string {
  return `<message to="bot@localhost" type="chat"><body>${body}</body>` +
    `<x xmlns="jabber:x:oob"><url>${url}</url></x></message>`;
}

Deno.test("DNS rebinding takes neither an attachment download nor url_fetch to loopback", async () => {
  await using prosody = await startProsody();
  await prosody.register("bot", "botpass");
  await prosody.register("alice", "alicepass");
  await using dns = await hostileNameServer();
  const v4 = recorder("127.0.0.1");
  const v6 = recorder("::1");
  try {
    await using llm = await startFakeLlm();
    llm.script((call) => {
      if (call.last_is_tool_result) return { text: `Tool said: ${call.tool_results.join(" | ")}` };
      const url = /read (\S+)/.exec(call.last_user_text)?.[1];
      return url === undefined
        ? undefined
        : { tool_calls: [{ name: "url_fetch", input: { url } }] };
    });
    await using agent = await startAgent({
      prosody,
      llmUrl: llm.url,
      resolvConf: `nameserver ${dns.hostname}\n`,
      // Were the agent ever to connect to a checked "public" address, Deno stops it here.
      extraFlags: [`--deny-net=${PUBLIC},[${PUBLIC6}]`],
      extraToml: `
[attachments]
hosts = ["upload.rebind.test:${v4.port}", "upload6.rebind.test:${v6.port}"]

[network]
nameservers = ["${dns.address}"]

[skills.url_fetch]
enabled = true
`,
    });
    await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });

    for (
      const [name, port, loopback] of [
        ["upload.rebind.test", v4.port, "127.0.0.1"],
        ["upload6.rebind.test", v6.port, "::1"],
      ] as const
    ) {
      await alice.sendRaw(oob(`https://${name}:${port}/secret.png`, "look at this"));
      const note = await alice.nextMessage({ from: "bot@localhost", withBody: true });
      assertIncludes(note.body ?? "", "Could not fetch");
      assertIncludes(note.body ?? "", `loopback address ${loopback}`);
      const answer = await alice.nextMessage({ from: "bot@localhost", withBody: true });
      assertIncludes(answer.body ?? "", "look at this");
      assertIncludes(JSON.stringify(llm.requests.at(-1)?.body), "refused");
    }
    const asked = (name: string, type: string) =>
      dns.queries.filter((query) => query.name === name && query.type === type).length;
    // The check got the public answer; the connection asked again and got loopback.
    assertTrue(asked("upload.rebind.test", "A") >= 2, JSON.stringify(dns.queries));
    assertTrue(asked("upload6.rebind.test", "AAAA") >= 2, JSON.stringify(dns.queries));

    for (
      const [name, port, loopback] of [
        ["page.rebind.test", v4.port, "127.0.0.1"],
        ["page6.rebind.test", v6.port, "::1"],
      ] as const
    ) {
      await alice.send("bot@localhost", `read https://${name}:${port}/admin`);
      const told = await alice.nextMessage({ from: "bot@localhost", withBody: true });
      assertIncludes(told.body ?? "", "Tool said:");
      assertIncludes(told.body ?? "", `loopback address ${loopback}`);
    }

    assertEquals(v4.seen.bytes, 0, "nothing was sent to 127.0.0.1");
    assertEquals(v6.seen.bytes, 0, "nothing was sent to ::1");
    const saved = await Array.fromAsync(Deno.readDir(`${agent.dataDir}/alice@localhost/files`))
      .catch(() => []);
    assertEquals(saved.length, 0, "no file was saved");
    await alice.send("bot@localhost", "still there?");
    const alive = await alice.nextMessage({ from: "bot@localhost", withBody: true });
    assertIncludes(alive.body ?? "", "still there?");
  } finally {
    v4.close();
    v6.close();
  }
});
