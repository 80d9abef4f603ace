/**
 * Receipts and markers on the hot path: two users ask the same agent in turn, one with plain
 * messages, one whose messages carry `<request xmlns='urn:xmpp:receipts'/>` and
 * `<markable xmlns='urn:xmpp:chat-markers:0'/>` as Conversations and Gajim send them. Each
 * counts what the agent writes to it: in all per round trip, and before the answer (the hot
 * path, where a second write would wait for the first).
 *
 * @module
 */
import { connectBenchUser } from "./bench_user.ts";
import type { ProsodyHandle } from "../../tests/support/prosody.ts";
import { Driver } from "./driver.ts";
import { roundOrder } from "./round_trips.ts";
import { summarize } from "./stats.ts";
import { xml } from "./xmpp_peer.ts";

/** The figures of {@linkcode receiptsPhase}. */
export interface ReceiptFigures {
  /** The agent's median round trip with plain messages, in this run. */
  receipts_off_p50_ms: number;
  /** The agent's median round trip with receipt requests and markable messages. */
  receipts_on_p50_ms: number;
  /** `receipts_on_p50_ms / receipts_off_p50_ms`. */
  receipts_ratio: number;
  /** Message stanzas the agent writes per round trip, plain. */
  receipts_off_stanzas: number;
  /** The same with receipts and markers. */
  receipts_on_stanzas: number;
  /** Of those, the ones before the answer (the answer excluded), plain. */
  receipts_off_before_answer: number;
  /** The same with receipts and markers. */
  receipts_on_before_answer: number;
  /** What the stanzas carried, per round trip, e.g. `{ "composing+marker-displayed": 1 }`. */
  receipts_off_kinds: Record<string, number>;
  receipts_on_kinds: Record<string, number>;
}

/** Options of {@linkcode receiptsPhase}. */
export interface ReceiptsPhaseOptions {
  /** Bare JID of the agent. */
  to: string;
  /** Measured round trips per user. */
  count: number;
  /** Round trips per user before the measured ones (counted in the stanza figures too). */
  warmUp: number;
}

const SETTLE_MS = 300;

/**
 * Registers and logs in two users, then asks the agent `count + warmUp` times each,
 * interleaved (the order reversing every round), one at a time.
 *
 * @throws {Error} When an answer is wrong or late.
 */
export async function receiptsPhase(
  prosody: ProsodyHandle,
  options: ReceiptsPhaseOptions,
): Promise<ReceiptFigures> {
  const [plain, marked] = await Promise.all(["plain-sender", "marking-sender"].map(async (user) => {
    await prosody.register(user, user);
    const driver = await connectBenchUser(prosody, user);
    return driver;
  })) as [Driver, Driver];
  const { to } = options;
  const sides = [
    { driver: plain, children: () => [], times: [] as number[], before: 0 },
    {
      driver: marked,
      children: () => [
        xml("request", { xmlns: "urn:xmpp:receipts" }),
        xml("markable", { xmlns: "urn:xmpp:chat-markers:0" }),
      ],
      times: [] as number[],
      before: 0,
    },
  ];
  for (let i = -options.warmUp; i < options.count; i++) {
    for (const index of roundOrder(sides.length, i)) {
      const side = sides[index]!;
      const text = `receipts ${i}`;
      const asked = await side.driver.askWith(to, text, {
        expected: `echo: ${text}`,
        children: side.children(),
        id: `r${i + options.warmUp}`,
      });
      side.before += asked.before;
      if (i >= 0) side.times.push(asked.ms);
    }
  }
  // What follows the last answer (a marker, a chat state) belongs to its round trip.
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const rounds = options.count + options.warmUp;
  const perRound = (driver: Driver) =>
    Object.fromEntries(
      Object.entries(driver.messageKinds(to)).map(([kind, n]) => [kind, n / rounds]),
    );
  const [off, on] = sides.map((side) => summarize(side.times).p50) as [number, number];
  return {
    receipts_off_p50_ms: off,
    receipts_on_p50_ms: on,
    receipts_ratio: on / off,
    receipts_off_stanzas: plain.messagesFrom(to) / rounds,
    receipts_on_stanzas: marked.messagesFrom(to) / rounds,
    receipts_off_before_answer: sides[0]!.before / rounds,
    receipts_on_before_answer: sides[1]!.before / rounds,
    receipts_off_kinds: perRound(plain),
    receipts_on_kinds: perRound(marked),
  };
}

/** The report's rows for these figures: `[measure, value]`. */
export function receiptRows(figures: ReceiptFigures, count: number): [string, string][] {
  const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 0)} ms`;
  const n = (value: number) => value.toFixed(2);
  const kinds = (record: Record<string, number>) =>
    Object.entries(record).map(([kind, value]) => `${n(value)} ${kind}`).join(", ");
  return [
    [
      `Receipts + markers, ${count} msgs each: agent p50 with / without`,
      `${ms(figures.receipts_on_p50_ms)} / ${ms(figures.receipts_off_p50_ms)} = ` +
      `${figures.receipts_ratio.toFixed(2)}×`,
    ],
    [
      "  stanzas from the agent per round trip, with / without (before the answer)",
      `${n(figures.receipts_on_stanzas)} (${n(figures.receipts_on_before_answer)}) / ` +
      `${n(figures.receipts_off_stanzas)} (${n(figures.receipts_off_before_answer)})`,
    ],
    ["  with: what they carried", kinds(figures.receipts_on_kinds)],
    ["  without: what they carried", kinds(figures.receipts_off_kinds)],
  ];
}
