/**
 * Accident (or attack): the agent's process is killed — SIGKILL, the OOM killer — while a
 * few hundred signed webhook deliveries arrive at once (most for a `notify` route, every fifth
 * for an LLM turn), and killed again while the restarted process sends what was left. The
 * promise to the sender: a delivery answered 202 reaches the person, after the restarts too,
 * and once; only the message in flight at each kill (sent, not yet acknowledged by the server)
 * may come twice. A delivery that got no answer (the connection was refused or cut by the
 * kill) is the sender's to send again, as senders do: sent again, it is delivered too, and
 * once — also when the killed process had recorded it without answering (the retry then gets
 * 200, a duplicate); and a delivery answered 202 and sent again is a duplicate.
 *
 * A kill in the middle of writing a long line leaves the start of that line at the end of the
 * inbox or the ledger. The next run's first line there used to be glued to it and skipped with
 * it at the start after: a delivery accepted by that run and still in the inbox was lost at the
 * next kill, a done mark lost sent an answer again at every start, an id lost from the ledger
 * let a retry be delivered twice. The next line now starts a line of its own.
 */
import { assertEquals, assertTrue, eventually } from "../support/assert.ts";
import { startAgent } from "../support/agent_process.ts";
import { startFakeLlm } from "../support/fake_llm.ts";
import { connectHuman, type HumanMessage } from "../support/human.ts";
import { freePort } from "../support/loopback.ts";
import { startProsody } from "../support/prosody.ts";
import { TEST_SERVERS } from "../support/test_servers.ts";
import { registerFresh } from "../support/xmpp_server.ts";
import { signWebhook } from "../../src/webhooks/mod.ts";

const SECRET = "killed-hook-secret-0123456789abcdef";
/**
 * Deliveries sent. On ejabberd fewer: Debian's c2s shaper reads the agent at 3000 B/s after
 * a 20 kB burst, and the point is the kill, not the shaper.
 */
const COUNT = { prosody: 300, ejabberd: 150 } as const;
/** Requests under way at once. */
const SENDERS = 24;

/** What a sender saw for one delivery: its HTTP status, or 0 for no answer. */
type Outcome = number;

for (const server of TEST_SERVERS) {
  const count = COUNT[server.name];
  Deno.test(`[${server.name}] webhook deliveries survive SIGKILL: every 202 reaches the person once, at most the one in flight repeated`, async () => {
    await using xmpp = await server.start({ prosody: { disabledModules: ["limits"] } });
    const bot = await registerFresh(xmpp, "bot");
    const person = await registerFresh(xmpp, "alice");
    await using llm = await startFakeLlm();
    const port = freePort();
    const dataDir = await Deno.makeTempDir({ prefix: "fluux-killed-hooks-" });
    const agentOptions = {
      prosody: xmpp,
      user: bot.user,
      password: bot.password,
      allowedJids: [person.jid],
      llmUrl: llm.url,
      dataDir,
      env: { HOOK_SECRET: SECRET },
      extraToml: `
[webhooks]
listen = "127.0.0.1:${port}"

[[webhooks.routes]]
path = "/hooks/deploy"
secret = "\${HOOK_SECRET}"
signature = "github"
to = "${person.jid}"
mode = "notify"
template = "Delivery {{n}}"
rate_per_minute = 60000

[[webhooks.routes]]
path = "/hooks/ci"
secret = "\${HOOK_SECRET}"
signature = "github"
to = "${person.jid}"
mode = "agent"
rate_per_minute = 60000
`,
    };
    try {
      await using alice = await connectHuman(xmpp, { ...person, autoAccept: true });
      const first = await startAgent(agentOptions);
      await first.waitForLog(/Listening for webhooks/);
      // The person and the agent see each other's presence, as a contact in the roster does
      // (what is sent to a contact known to be offline waits in the inbox).
      await alice.subscribe(bot.jid);
      await alice.waitFor((e) => e.kind === "presence" && e.from.startsWith(`${bot.jid}/`));
      // Every fifth delivery is for an LLM turn, the others are sent as their template.
      const deliveries = await Promise.all(
        Array.from({ length: count }, (_, i) => {
          const path = i % 5 === 4 ? "/hooks/ci" : "/hooks/deploy";
          return signed(`http://127.0.0.1:${port}${path}`, `delivery-${i + 1}`, i + 1);
        }),
      );

      // Half are sent and accepted, and some of them have reached the person; then the
      // other half, and the process is killed while they are under way: some accepted,
      // some in the middle of their request, the rest refused.
      const outcomes: Outcome[] = new Array(count).fill(-1);
      const half = count / 2;
      await send(deliveries, outcomes, 0, half);
      assertEquals(outcomes.slice(0, half).filter((o) => o !== 202), [], "the first half accepted");
      await eventually(
        "some delivered",
        () => new Set(bodies(alice.events, bot.jid)).size >= count / 10,
        20_000,
      );
      let killed: Promise<number> | undefined;
      let arrivedAtKill = 0;
      await send(deliveries, outcomes, half, count, () => {
        if (killed !== undefined) return;
        if (indexes(outcomes, (o) => o === 202).length < half + count / 8) return;
        arrivedAtKill = new Set(bodies(alice.events, bot.jid)).size;
        killed = first.kill();
      });
      assertTrue(killed !== undefined, "killed midway");
      await killed;
      const accepted = indexes(outcomes, (o) => o === 202);
      const unanswered = indexes(outcomes, (o) => o === 0);
      assertEquals(
        indexes(outcomes, (o) => o !== 202 && o !== 0),
        [],
        `only 202 or no answer: ${JSON.stringify(outcomes)}`,
      );
      assertTrue(arrivedAtKill < accepted.length, "killed with accepted deliveries not yet sent");

      // Killed again as soon as it sends what was left (a crash loop: the OOM killer strikes
      // again), then started for good.
      const arrivedAtRestart = new Set(bodies(alice.events, bot.jid)).size;
      const second = await startAgent(agentOptions);
      await eventually(
        "sending what was left",
        () => new Set(bodies(alice.events, bot.jid)).size > arrivedAtRestart,
        15_000,
      );
      await second.kill();
      const arrivedAtSecondKill = new Set(bodies(alice.events, bot.jid)).size;
      await using third = await startAgent(agentOptions);
      await third.waitForLog(/Listening for webhooks/);
      // The sender tries again what got no answer: each is delivered now, or was recorded by
      // the killed process and is recognised. A delivery answered 202 and sent again (its
      // sender timed out) is recognised across both kills.
      const retried = await Promise.all(unanswered.map((i) => post(deliveries[i]!)));
      assertEquals(
        retried.filter((status) => status !== 202 && status !== 200),
        [],
        "every retry accepted, or a duplicate",
      );
      const again = await Promise.all(accepted.map((i) => post(deliveries[i]!)));
      assertEquals(again.filter((status) => status !== 200), [], "each a duplicate");
      const expected = Array.from({ length: count }, (_, i) => `Delivery ${i + 1}`);
      // Waited for, then compared below: a failure shows which deliveries are missing.
      await eventually(
        "every delivery arrived",
        () => {
          const got = new Set(bodies(alice.events, bot.jid));
          return expected.every((body) => got.has(body));
        },
        30_000,
      ).catch(() => {});
      // Nothing is left to send once the inbox holds nothing pending.
      await eventually("the inbox emptied", async () => await pending(dataDir) === 0, 15_000);
      await alice.expectSilence(bot.jid, 300, { withBody: true });

      const got = bodies(alice.events, bot.jid);
      const times = new Map<string, number>();
      for (const body of got) times.set(body, (times.get(body) ?? 0) + 1);
      const lost = expected.filter((body, i) => accepted.includes(i) && !times.has(body));
      const lostRetried = expected.filter((body, i) => unanswered.includes(i) && !times.has(body));
      const repeated = [...times].filter(([, n]) => n > 1).map(([body, n]) => `${body} ×${n}`);
      console.log(
        `[${server.name}] ${count} deliveries: ${accepted.length} answered 202 before the ` +
          `kill (${arrivedAtKill} of them at the person by then), ${unanswered.length} ` +
          `unanswered and sent again (${retried.filter((s) => s === 200).length} recognised ` +
          `as duplicates), ${arrivedAtSecondKill} at the person when killed again; repeated at ` +
          `the person: ${repeated.length ? repeated : "none"}`,
      );
      assertEquals(lost, [], "every delivery answered 202 reached the person");
      assertEquals(lostRetried, [], "every delivery sent again reached the person");
      assertEquals(got.filter((body) => !expected.includes(body)), [], "nothing else arrived");
      assertTrue(
        repeated.length <= 2 && [...times.values()].every((n) => n <= 2),
        `at most the one in flight at each kill repeated, once: ${repeated}`,
      );
    } finally {
      await Deno.remove(dataDir, { recursive: true });
    }
  });
}

/** A delivery as GitHub signs it, and where it goes. */
interface Delivery {
  url: string;
  body: string;
  headers: Record<string, string>;
}

async function signed(url: string, deliveryId: string, n: number): Promise<Delivery> {
  const body = JSON.stringify({ n });
  const headers = await signWebhook("github", SECRET, body, { deliveryId });
  return { url, body, headers: { ...headers, "Content-Type": "application/json" } };
}

/**
 * Sends deliveries `from` to `to` (excluded) from {@linkcode SENDERS} concurrent senders,
 * writing each one's outcome, and calls `answered` after each.
 */
async function send(
  deliveries: readonly Delivery[],
  outcomes: Outcome[],
  from: number,
  to: number,
  answered: () => void = () => {},
): Promise<void> {
  let next = from;
  const sender = async () => {
    while (next < to) {
      const i = next++;
      outcomes[i] = await post(deliveries[i]!);
      answered();
    }
  };
  await Promise.all(Array.from({ length: SENDERS }, sender));
}

/** POSTs one delivery: its status, 0 when the connection was refused or cut. */
async function post({ url, body, headers }: Delivery): Promise<Outcome> {
  try {
    const response = await fetch(url, { method: "POST", body, headers });
    await response.body?.cancel();
    return response.status;
  } catch {
    return 0;
  }
}

function indexes(outcomes: readonly Outcome[], keep: (outcome: Outcome) => boolean): number[] {
  return outcomes.flatMap((outcome, i) => keep(outcome) ? [i] : []);
}

/**
 * What the person read, one line a delivery: a template's text as is, the fake LLM's echo of
 * a delivery's payload as the template would have said it.
 */
function bodies(events: readonly { kind: string }[], bot: string): string[] {
  return events
    .filter((e): e is HumanMessage => e.kind === "message")
    .filter((m) => m.from.startsWith(bot) && m.body !== undefined)
    .map((m) => {
      const echoed = m.body!.startsWith("echo: ") ? /"n":\s*(\d+)/.exec(m.body!) : null;
      return echoed === null ? m.body! : `Delivery ${echoed[1]}`;
    });
}

/** Records of the inbox not marked done. */
async function pending(dataDir: string): Promise<number> {
  const text = await Deno.readTextFile(`${dataDir}/inbox.jsonl`).catch(() => "");
  const open = new Set<number>();
  for (const line of text.split("\n")) {
    try {
      const entry = JSON.parse(line);
      if (typeof entry.n === "number") open.add(entry.n);
      if (typeof entry.done === "number") open.delete(entry.done);
    } catch { /* a line being written: the next look sees it whole */ }
  }
  return open.size;
}

Deno.test("a line torn by a kill takes nothing after it with it: no delivery lost from the inbox, none accepted twice", async () => {
  await using xmpp = await startProsody();
  const bot = await registerFresh(xmpp, "bot");
  const person = await registerFresh(xmpp, "alice");
  await using llm = await startFakeLlm();
  const port = freePort();
  const dataDir = await Deno.makeTempDir({ prefix: "fluux-torn-hooks-" });
  const route = (path: string, mode: string) => `
[[webhooks.routes]]
path = "${path}"
secret = "\${HOOK_SECRET}"
signature = "github"
to = "${person.jid}"
mode = "${mode}"
`;
  const agentOptions = {
    prosody: xmpp,
    user: bot.user,
    password: bot.password,
    allowedJids: [person.jid],
    llmUrl: llm.url,
    dataDir,
    env: { HOOK_SECRET: SECRET },
    extraToml: `
[webhooks]
listen = "127.0.0.1:${port}"
${route("/hooks/deploy", "notify")}template = "Delivery {{n}}"
${route("/hooks/ci", "agent")}`,
  };
  const hooks = `http://127.0.0.1:${port}/hooks`;
  const first = await signed(`${hooks}/deploy`, "torn-1", 1);
  const second = await signed(`${hooks}/deploy`, "torn-2", 2);
  const third = await signed(`${hooks}/ci`, "torn-3", 3);
  // What a kill in the middle of writing a long line leaves (Linux cuts a write of several
  // pages short at a page when the process is killed; a full disk does too): the start of a
  // line, without its end. The next line written used to be glued to it, and skipped with it
  // at the next start.
  const tear = (file: string) =>
    Deno.writeTextFile(`${dataDir}/${file}`, '{"n":7,"at":"2026-12-01T', { append: true });
  const done = (what: string) =>
    eventually(`${what} marked done`, async () => await pending(dataDir) === 0);
  try {
    await using alice = await connectHuman(xmpp, person);
    await using a = await startAgent(agentOptions);
    await a.waitForLog(/Listening for webhooks/);
    assertEquals(await post(first), 202);
    await alice.nextMessage({ from: bot.jid, withBody: true });
    await done("the first delivery");
    await a.kill();
    await tear("webhooks/deliveries.jsonl");

    // The next run delivers the second delivery: its id was lost from the ledger, and its
    // retry delivered again. Then it is killed while the LLM answers the third.
    llm.setDelay(60_000);
    await using b = await startAgent(agentOptions);
    await b.waitForLog(/Listening for webhooks/);
    assertEquals(await post(second), 202);
    await alice.nextMessage({ from: bot.jid, withBody: true });
    await done("the second delivery");
    const asked = llm.chat_count;
    assertEquals(await post(third), 202);
    await eventually("the LLM asked", () => llm.chat_count > asked);
    await b.kill();
    await tear("inbox.jsonl");

    // The third run answers the third delivery, and marks it done: that mark was lost, and
    // the answer sent again at every start.
    llm.setDelay(0);
    await using c = await startAgent(agentOptions);
    await c.waitForLog(/Listening for webhooks/);
    await alice.nextMessage({ from: bot.jid, withBody: true });
    await done("the third delivery (else it is sent again at each start)");
    await c.kill();

    await using d = await startAgent(agentOptions);
    await d.waitForLog(/Listening for webhooks/);
    for (const delivery of [first, second, third]) {
      assertEquals(await post(delivery), 200, `a retry of ${delivery.body} is a duplicate`);
    }
    await alice.expectSilence(bot.jid, 500, { withBody: true });
    assertEquals(bodies(alice.events, bot.jid), ["Delivery 1", "Delivery 2", "Delivery 3"]);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("a delivery refused on a full disk leaves a torn line that takes nothing with it: the next one accepted survives a kill", async () => {
  await using xmpp = await startProsody();
  const bot = await registerFresh(xmpp, "bot");
  const person = await registerFresh(xmpp, "alice");
  await using llm = await startFakeLlm();
  const port = freePort();
  // A small file system of its own, as a full disk (mounting needs root, as on CI).
  const dataDir = await Deno.makeTempDir({ prefix: "fluux-full-hooks-" });
  await run("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", dataDir]);
  const agentOptions = {
    prosody: xmpp,
    user: bot.user,
    password: bot.password,
    allowedJids: [person.jid],
    llmUrl: llm.url,
    dataDir,
    env: { HOOK_SECRET: SECRET },
    extraToml: `
[webhooks]
listen = "127.0.0.1:${port}"

[[webhooks.routes]]
path = "/hooks/ci"
secret = "\${HOOK_SECRET}"
signature = "github"
to = "${person.jid}"
mode = "agent"
`,
  };
  const url = `http://127.0.0.1:${port}/hooks/ci`;
  try {
    await using alice = await connectHuman(xmpp, person);
    await using a = await startAgent(agentOptions);
    await a.waitForLog(/Listening for webhooks/);
    assertEquals(await post(await signed(url, "full-1", 1)), 202);
    await alice.nextMessage({ from: bot.jid, withBody: true });
    await eventually("the first delivery done", async () => await pending(dataDir) === 0);

    // On a full disk, a delivery whose record is longer than what is left of the inbox's
    // last page is written in part, and refused.
    await fill(`${dataDir}/filler`);
    const big = JSON.stringify({ n: 0, log: "x".repeat(20_000) });
    const refused = await post({
      url,
      body: big,
      headers: {
        ...await signWebhook("github", SECRET, big, { deliveryId: "full-0" }),
        "Content-Type": "application/json",
      },
    });
    assertEquals(refused, 503, "the sender is told to retry");
    const inbox = await Deno.readTextFile(`${dataDir}/inbox.jsonl`);
    assertTrue(!inbox.endsWith("\n"), "the record was written in part");

    // Space back: the next delivery is accepted, and the process killed while the LLM
    // answers it. Its record used to be glued to the torn one, and lost with it.
    await Deno.remove(`${dataDir}/filler`);
    llm.setDelay(60_000);
    const asked = llm.chat_count;
    assertEquals(await post(await signed(url, "full-2", 2)), 202);
    await eventually("the LLM asked", () => llm.chat_count > asked);
    await a.kill();

    llm.setDelay(0);
    await using _b = await startAgent(agentOptions);
    const answer = await alice.nextMessage({ from: bot.jid, withBody: true, timeoutMs: 15_000 });
    assertEquals(bodies([answer], bot.jid), ["Delivery 2"]);
  } finally {
    await run("umount", ["-l", dataDir]).catch(() => {});
    await Deno.remove(dataDir, { recursive: true });
  }
});

async function run(command: string, args: string[]): Promise<void> {
  const output = await new Deno.Command(command, { args, stdout: "null", stderr: "piped" })
    .output();
  if (!output.success) {
    throw new Error(`${command} ${args.join(" ")}: ${new TextDecoder().decode(output.stderr)}`);
  }
}

/** Writes until the file system is full. */
async function fill(path: string): Promise<void> {
  const file = await Deno.open(path, { write: true, create: true });
  const chunk = new Uint8Array(64 * 1024);
  try {
    for (;;) await file.write(chunk);
  } catch (error) {
    if (!/No space left|os error 28/.test(String(error))) throw error;
  } finally {
    file.close();
  }
}
