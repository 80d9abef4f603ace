/**
 * Times the memory store's calls on a turn's path (append, recent, promptParts and the
 * whole turn) with its caches off, as before they existed, and on, as shipped:
 * `deno run -A scripts/bench/memory_bench.ts [rounds]`. Prints medians and p99 in ms.
 *
 * @module
 */

import { MemoryStore, type MemoryStoreOptions } from "../../src/memory/mod.ts";
import { summarize } from "./stats.ts";

const ROUNDS = Number(Deno.args[0] ?? 400);
const CONVERSATIONS = 20;
const HISTORY = 200;

const NO_CACHES: MemoryStoreOptions = { cacheEntries: 0, promptTtlMs: 0, openFiles: 0 };
const CONFIGS: [string, MemoryStoreOptions][] = [
  ["caches off, datasync", { ...NO_CACHES }],
  ["caches on,  datasync", {}],
  ["caches off, no sync", { ...NO_CACHES, durability: "none" }],
  ["caches on,  no sync", { durability: "none" }],
];

const jidOf = (i: number) => `user${i}@example.org`;
const question = (i: number) => `Question ${i}: what happened in the meeting about the roadmap?`;

async function setUp(root: string): Promise<void> {
  const store = new MemoryStore(root, { durability: "none" });
  await Deno.writeTextFile(`${root}/identity.md`, "You are Fluux, a helpful agent.");
  await Deno.writeTextFile(`${root}/instructions.md`, "Answer briefly.");
  for (let c = 0; c < CONVERSATIONS; c++) {
    for (let i = 0; i < HISTORY; i++) {
      const role = i % 2 === 0 ? "user" : "assistant";
      await store.append(jidOf(c), { type: "message", role, content: question(i) });
    }
    if (c % 2 === 0) await Deno.writeTextFile(`${root}/${jidOf(c)}/user.md`, "Likes tea.");
  }
  await store.close();
}

async function time(samples: number[], call: () => Promise<unknown>): Promise<void> {
  const start = performance.now();
  await call();
  samples.push(performance.now() - start);
}

type Figures = Record<string, number[]>;

async function measure(options: MemoryStoreOptions): Promise<Figures> {
  const root = await Deno.makeTempDir({ prefix: "memory_bench_" });
  const figures: Figures = { append: [], "recent(20)": [], promptParts: [], turn: [] };
  const [append, recent, parts, turn] = Object.values(figures) as number[][];
  try {
    await setUp(root);
    const store = new MemoryStore(root, options);
    for (let c = 0; c < CONVERSATIONS; c++) await store.recent(jidOf(c), 20); // first access
    for (let i = 0; i < ROUNDS; i++) {
      const jid = jidOf(i % CONVERSATIONS);
      const content = question(i);
      await time(append!, () => store.append(jid, { type: "message", role: "user", content }));
      await time(recent!, () => store.recent(jid, 20));
      await time(parts!, () => store.promptParts(jid));
      // The agent's turn: store the question, read history and prompt together, store the answer.
      await time(turn!, async () => {
        await store.append(jid, { type: "message", role: "user", content });
        await Promise.all([store.recent(jid, 20), store.promptParts(jid)]);
        await store.append(jid, { type: "message", role: "assistant", content: "echo" });
      });
    }
    await store.close();
  } finally {
    await Deno.remove(root, { recursive: true });
  }
  return figures;
}

const ms = (value: number) => value.toFixed(3).padStart(7);
console.log(
  `${ROUNDS} rounds over ${CONVERSATIONS} conversations of ${HISTORY} entries; ms per call`,
);
console.log(`${"configuration".padEnd(22)}${"call".padEnd(13)}    p50     p99`);
for (const [name, options] of CONFIGS) {
  const figures = await measure(options);
  for (const [call, samples] of Object.entries(figures)) {
    const { p50, p99 } = summarize(samples);
    console.log(`${name.padEnd(22)}${call.padEnd(13)}${ms(p50)} ${ms(p99)}`);
  }
}
