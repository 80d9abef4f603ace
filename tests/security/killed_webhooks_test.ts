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
 */
import { assertEquals, assertTrue, eventually } from "../support/assert.ts";
import { startAgent } from "../support/agent_process.ts";
import { startFakeLlm } from "../support/fake_llm.ts";
import { connectHuman } from "../support/human.ts";
import { freePort } from "../support/loopback.ts";
import { TEST_SERVERS } from "../support/test_servers.ts";
import { registerFresh } from "../support/xmpp_server.ts";
import { bodies, type Delivery, pending, post, signed, webhookAgent } from "./_killed_webhooks.ts";

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
    const agentOptions = webhookAgent({
      xmpp,
      bot,
      person,
      llmUrl: llm.url,
      dataDir,
      port,
      routes: [
        {
          path: "/hooks/deploy",
          mode: "notify",
          extra: 'template = "Delivery {{n}}"\nrate_per_minute = 60000\n',
        },
        { path: "/hooks/ci", mode: "agent", extra: "rate_per_minute = 60000\n" },
      ],
    });
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
      // Waited for (ejabberd's shaper lets about ten through a second), then compared below:
      // a failure shows which deliveries are missing.
      await eventually(
        "every delivery arrived",
        () => {
          const got = new Set(bodies(alice.events, bot.jid));
          return expected.every((body) => got.has(body));
        },
        60_000,
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

function indexes(outcomes: readonly Outcome[], keep: (outcome: Outcome) => boolean): number[] {
  return outcomes.flatMap((outcome, i) => keep(outcome) ? [i] : []);
}
