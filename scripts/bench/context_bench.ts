/**
 * `deno task bench --context`: what the context costs and saves, in this process (no XMPP: the
 * figures are about the LLM requests). Real turns (`runTurn`) over a real memory store on disk,
 * through the Anthropic SDK, against the fake LLM applying Anthropic's documented prompt-caching
 * rules (prefix order tools → system → messages, at most 4 breakpoints, 1024-token minimum for
 * the model used, 5-minute lifetime):
 *   - the share of input tokens read from cache over a 20-turn conversation (default budget),
 *     and over 100 turns with a budget small enough to compact several times (the summary and
 *     flush calls, never cached, counted in);
 *   - input tokens sent at turns 10, 50 and 100, with compaction and without it (no budget cut);
 *   - the time a compaction takes against an instant LLM (flush, summary, summary entry).
 *
 * @module
 */
import { runTurn, type TurnContext } from "../../src/agent/mod.ts";
import { ContextManager, type ContextSettings, rememberTool } from "../../src/context/mod.ts";
import { type ChatResponse, createLlmClient, promptTokens } from "../../src/llm/mod.ts";
import { createLogger } from "../../src/log/mod.ts";
import { MemoryStore } from "../../src/memory/mod.ts";
import { type FakeCall, startFakeLlm } from "../../tests/support/fake_llm.ts";
import { summarize } from "./stats.ts";

/** The figures of the context bench. */
export interface ContextFigures {
  /** Share of input tokens read from cache, in %. */
  cache_share_20_turns: number;
  cache_share_100_turns_compacting: number;
  compactions_in_100_turns: number;
  /** Input tokens of the turn's first call at turn 10, 50, 100. */
  tokens_per_turn: { turn: number; with_compaction: number; without: number }[];
  /** Milliseconds per compaction: median and max. */
  compaction_ms: { median: number; max: number; count: number };
}

const MODEL = "claude-sonnet-4-6";
const JID = "alice@example.org";

/** A person's message of about 100 tokens, different every turn. */
function message(n: number): string {
  return `Turn ${n}: ` +
    "we talked about the harbour schedule, the boats and the tides again, ".repeat(6);
}

function answerFor(call: FakeCall) {
  const system = JSON.stringify((call.request.body as { system?: unknown }).system ?? "");
  if (system.includes("running summary")) {
    return { text: "Alice and the assistant discussed the harbour schedule at length. ".repeat(4) };
  }
  if (system.includes("durable facts")) return { text: "- Alice follows the harbour schedule" };
  return undefined;
}

interface Run {
  /** Per call: prompt tokens and cache reads, with whether it was a turn's own call. */
  calls: { total: number; read: number; turn: boolean }[];
  /** Input tokens of each turn's call, by turn (1-based). */
  perTurn: number[];
  compactionsMs: number[];
}

async function conversation(
  llmUrl: string,
  turns: number,
  settings: Partial<ContextSettings>,
): Promise<Run> {
  const dir = await Deno.makeTempDir({ prefix: "fluux-context-bench-" });
  const run: Run = { calls: [], perTurn: [], compactionsMs: [] };
  try {
    const memory = new MemoryStore(dir, { durability: "none" });
    const llm = createLlmClient({
      provider: "anthropic",
      model: MODEL,
      api_key: "bench",
      host: llmUrl,
      max_tokens_per_request: 1024,
      timeout_secs: 30,
      max_retries: 0,
    });
    const counted = {
      provider: llm.provider,
      model: llm.model,
      check: () => llm.check(),
      async chat(...args: Parameters<typeof llm.chat>): Promise<ChatResponse> {
        const response = await llm.chat(...args);
        const usage = response.usage;
        run.calls.push({
          total: promptTokens(usage),
          read: usage.cache_read_tokens ?? 0,
          turn: args[0].cache !== undefined,
        });
        if (args[0].cache !== undefined) run.perTurn.push(promptTokens(usage));
        return response;
      },
    };
    const log = createLogger("bench", {
      level: "info",
      write: (line) => {
        const ms = / in (\d+) ms$/.exec(line);
        if (line.includes("Compacted ") && ms) run.compactionsMs.push(Number(ms[1]));
      },
    });
    const context = new ContextManager({
      memory,
      llm: counted,
      log,
      now: () => new Date(),
      settings: {
        dmBudget: 50_000,
        mucBudget: 80_000,
        contextWindow: 200_000,
        modelId: `anthropic:${MODEL}`,
        maxTokens: 1024,
        ...settings,
      },
    });
    const turnContext: TurnContext = {
      name: "Fluux Agent",
      memory,
      llm: counted,
      send: () => {},
      log,
      now: () => new Date(),
      maxHistoryMessages: 20,
      maxTokens: 1024,
      idleTimeoutMs: 0,
      tools: rememberTool(context),
      contextWindow: context,
    };
    for (let n = 1; n <= turns; n++) {
      await runTurn({
        conversation: JID,
        promptJid: JID,
        reply: { to: `${JID}/phone`, messageType: "chat" },
        entry: { type: "message", role: "user", content: message(n) },
      }, turnContext);
    }
    await memory.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  return run;
}

function share(run: Run): number {
  const total = run.calls.reduce((sum, call) => sum + call.total, 0);
  const read = run.calls.reduce((sum, call) => sum + call.read, 0);
  return total === 0 ? 0 : Math.round((read / total) * 1000) / 10;
}

/**
 * Runs the context bench.
 *
 * @param options `quick`: 50 turns instead of 100 for the long conversations.
 */
export async function contextBench(options: { quick?: boolean } = {}): Promise<ContextFigures> {
  const long = options.quick ? 50 : 100;
  await using llm = await startFakeLlm({ record: false, prompt_cache: true, handler: answerFor });
  const short = await conversation(llm.url, 20, {});
  const compacting = await conversation(llm.url, long, { dmBudget: 4000 });
  const growing = await conversation(llm.url, long, {
    compaction: false,
    dmBudget: 200_000,
    maxMessages: 1000,
  });
  const stats = summarize(compacting.compactionsMs);
  return {
    cache_share_20_turns: share(short),
    cache_share_100_turns_compacting: share(compacting),
    compactions_in_100_turns: compacting.compactionsMs.length,
    tokens_per_turn: [10, 50, 100].filter((turn) => turn <= long).map((turn) => ({
      turn,
      with_compaction: compacting.perTurn[turn - 1] ?? 0,
      without: growing.perTurn[turn - 1] ?? 0,
    })),
    compaction_ms: {
      median: stats.p50,
      max: Math.max(0, ...compacting.compactionsMs),
      count: compacting.compactionsMs.length,
    },
  };
}

/** The figures as a table, with the targets. */
export function formatContextFigures(figures: ContextFigures, turns = 100): string {
  const mark = (ok: boolean) => (ok ? "ok" : "MISSED");
  const lines = [
    "Context (Anthropic prompt caching as documented, fake LLM, real turns)",
    `  cache share, 20 turns, 50k budget:        ${figures.cache_share_20_turns}%  ` +
    `(target >= 70%: ${mark(figures.cache_share_20_turns >= 70)})`,
    `  cache share, ${turns} turns, 4k budget:        ${figures.cache_share_100_turns_compacting}%  ` +
    `(target >= 50%: ${mark(figures.cache_share_100_turns_compacting >= 50)}; ` +
    `${figures.compactions_in_100_turns} compactions, their calls counted in)`,
    "  input tokens of a turn:    with compaction (4k)   without (no cut)",
    ...figures.tokens_per_turn.map((row) =>
      `    turn ${String(row.turn).padStart(3)}:              ${
        String(row.with_compaction).padStart(8)
      }` +
      `   ${String(row.without).padStart(16)}`
    ),
    `  compaction (flush + summary + entry, instant LLM): median ${figures.compaction_ms.median} ms, ` +
    `max ${figures.compaction_ms.max} ms over ${figures.compaction_ms.count}`,
  ];
  return lines.join("\n");
}

if (import.meta.main) {
  const quick = Deno.args.includes("--quick");
  console.log(formatContextFigures(await contextBench({ quick }), quick ? 50 : 100));
}
