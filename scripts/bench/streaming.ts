/**
 * `deno task bench --stream`: how soon a person sees a long answer, per `stream_replies` mode.
 * The fake LLM streams a 2,000-token answer (20 paragraphs) at 50 tokens a second, the speed
 * of a real model; three agents, one per mode, answer in the same run (started 2.5 s apart),
 * each to its own user, and the figures are the time from sending the question to the first visible text and to
 * the whole answer. The first text is also given from the moment the LLM finished writing the
 * first paragraph (its last token, as the fake scheduled it): the goal is at most 1.5 s.
 * Before that, one-line answers from an instant LLM, interleaved across the three agents, show
 * what streaming costs an answer too short to gain from it.
 *
 * @module
 */
import { connectBenchUser } from "./bench_user.ts";
import { processCpuMs } from "./cpu_usage.ts";
import { runBenchMode } from "./print_figures.ts";
import { startFakeLlm } from "../../tests/support/fake_llm.ts";
import { tokensOf } from "../../tests/support/_fake_stream.ts";
import { startProsody } from "../../tests/support/prosody.ts";
import { startBenchAgent, waitAnswering } from "./bench_agent.ts";
import { onCleanUp } from "./cleanup.ts";
import { Driver } from "./driver.ts";
import { interleavedRoundTrips } from "./round_trips.ts";
import { summarize } from "./stats.ts";

const MODES = ["off", "paragraphs", "corrections"] as const;
type Mode = (typeof MODES)[number];

/** The providers an agent of this bench can use, each with its SDK and streamed wire format. */
export const STREAM_PROVIDERS = ["anthropic", "ollama", "openai"] as const;
/** One of {@linkcode STREAM_PROVIDERS}. */
export type StreamProvider = (typeof STREAM_PROVIDERS)[number];

/** The rate of the fake LLM, in tokens per second. */
const RATE = 50;
const PARAGRAPHS = 20;
/** Between the start of one mode's answer and the next one's. */
const STAGGER_MS = 2500;
/** Tokens per paragraph (its words), the paragraph break being one more. */
const WORDS = 99;

/** The figures of one mode (times in milliseconds, medians over the runs). */
export interface StreamFigures {
  mode: Mode;
  /** The agent's provider (SDK and wire format). */
  provider: StreamProvider;
  /** From the question sent to the first message with text. */
  first_text_ms: number;
  /** From the LLM's first paragraph written (its last token) to the first message with text. */
  first_after_paragraph_ms: number;
  /** From the question sent to the whole answer visible. */
  full_ms: number;
  /** Messages with a body per answer (corrections included). */
  messages: number;
  /** The round trip of a one-line answer from an instant LLM: what streaming costs short answers. */
  short_p50_ms: number;
  /** The agent process's CPU per long answer (user and system, from `/proc`), in ms. */
  cpu_ms_per_answer: number;
}

/** Options of {@linkcode streamBench}. */
export interface StreamBenchOptions {
  /** Answers per mode. @default {3} */
  runs?: number;
  /** One-line answers per mode from an instant LLM, interleaved. @default {300} */
  shortAnswers?: number;
  /** The agents' provider: its SDK and the fake's stream in its format. @default {"anthropic"} */
  provider?: StreamProvider;
  progress?: (text: string) => void;
}

const VOCABULARY = ["the", "agent", "runs", "on", "xmpp", "and", "answers", "each", "person"];

/**
 * A 2,000-token answer for the fake's tokenizer (a word and its space is a token): paragraphs
 * of short words, each ended by a period, about four characters a token as in English text.
 */
export function benchAnswer(): string {
  const paragraph = (p: number) =>
    Array.from({ length: WORDS }, (_, w) => VOCABULARY[(p + w) % VOCABULARY.length]).join(" ") +
    ".";
  return Array.from({ length: PARAGRAPHS }, (_, p) => paragraph(p)).join("\n\n");
}

/**
 * Runs the three agents against one Prosody and one fake LLM and measures each mode.
 *
 * @throws {Error} When an agent does not start or an answer does not come whole
 */
export async function streamBench(options: StreamBenchOptions = {}): Promise<StreamFigures[]> {
  const runs = options.runs ?? 3;
  const progress = options.progress ?? (() => {});
  const answer = benchAnswer();
  const tokens = tokensOf(answer, true);
  const firstParagraphTokens = tokensOf(answer.split("\n\n")[0]!, true).length;
  Deno.env.set("NODE_TLS_REJECT_UNAUTHORIZED", "0");
  const provider = options.provider ?? "anthropic";
  progress(
    `streaming: a ${tokens.length}-token answer at ${RATE} tokens/s from ${provider}, ` +
      `${runs} run(s)`,
  );
  const prosody = await startProsody({ disabledModules: ["limits"] });
  onCleanUp(() => prosody.stop());
  const llm = await startFakeLlm({ tokens_per_second: RATE });
  onCleanUp(() => llm.close());
  llm.script(() => ({ text: answer }));
  const dataDir = await Deno.makeTempDir({ prefix: "fluux-bench-stream-" });
  onCleanUp(() => Deno.remove(dataDir, { recursive: true }));
  for (const mode of MODES) {
    await prosody.register(`bot-${mode}`, "botpass");
    await prosody.register(`user-${mode}`, `user-${mode}`);
  }
  const setups = await Promise.all(MODES.map(async (mode) => {
    const agent = await startBenchAgent(prosody, {
      llmUrl: llm.url,
      dataDir: `${dataDir}/${mode}`,
      user: `bot-${mode}`,
      streamReplies: mode,
      provider,
      // Not streamed, the whole 40 s answer is one wait: the default limit (120 s), not 30 s.
      timeoutSecs: 120,
    });
    const driver = await connectBenchUser(prosody, `user-${mode}`);
    const bot = `bot-${mode}@${prosody.domain}`;
    await waitAnswering(agent, driver, { jid: bot });
    return { mode, driver, bot, pid: agent.pid };
  }));
  const shortAnswers = options.shortAnswers ?? 300;
  progress(`streaming: ${shortAnswers} one-line answers per mode from an instant LLM`);
  llm.setTokenRate(undefined);
  llm.script(undefined);
  const short = await interleavedRoundTrips(
    setups.map(({ driver, bot }) => ({ driver, to: bot })),
    { count: shortAnswers, warmUp: 20, label: "short" },
  );
  llm.setTokenRate(RATE);
  llm.script(() => ({ text: answer }));
  const samples = new Map<Mode, { first: number[]; after: number[]; full: number[]; n: number[] }>(
    MODES.map((mode) => [mode, { first: [], after: [], full: [], n: [] }]),
  );
  const cpuMs = () => setups.map(({ pid }) => processCpuMs(pid));
  const cpuBefore = cpuMs();
  for (let run = 0; run < runs; run++) {
    progress(`streaming: run ${run + 1} of ${runs}, the three modes at once`);
    const before = llm.requests.length;
    const question = (mode: Mode) => `question ${run} for ${mode}`;
    // Started a few seconds apart, so that no two answers end at the same moment: the ends
    // would contend for the same two cores and blur the comparison.
    const results = await Promise.all(setups.map(async ({ mode, driver, bot }, i) => {
      await new Promise((resolve) => setTimeout(resolve, i * STAGGER_MS));
      return await answerOf(driver, bot, mode, answer, question(mode));
    }));
    const asked = llm.requests.slice(before);
    for (const [i, { mode }] of setups.entries()) {
      const result = results[i]!;
      // When the agent's request reached the fake: its first paragraph is written from there.
      const request = asked.find((r) => JSON.stringify(r.body).includes(question(mode)));
      const requestAt = (request?.time ?? Date.now()) - performance.timeOrigin;
      const paragraphAt = requestAt + ((firstParagraphTokens - 1) * 1000) / RATE;
      const figures = samples.get(mode)!;
      figures.first.push(result.first - result.sent);
      figures.after.push(result.first - paragraphAt);
      figures.full.push(result.full - result.sent);
      figures.n.push(result.messages);
    }
  }
  const cpuAfter = cpuMs();
  return MODES.map((mode, i) => {
    const figures = samples.get(mode)!;
    return {
      mode,
      provider,
      first_text_ms: summarize(figures.first).p50,
      first_after_paragraph_ms: summarize(figures.after).p50,
      full_ms: summarize(figures.full).p50,
      messages: summarize(figures.n).p50,
      short_p50_ms: summarize(short[MODES.indexOf(mode)]!).p50,
      cpu_ms_per_answer: (cpuAfter[i]! - cpuBefore[i]!) / runs,
    };
  });
}

/** Asks, and waits until the whole answer is visible; when the first and last text came. */
async function answerOf(driver: Driver, bot: string, mode: Mode, answer: string, text: string) {
  const sent = performance.now();
  await driver.chat(bot, text);
  let first: number | undefined;
  const bodies: string[] = [];
  for (;;) {
    const reply = await driver.nextReply(bot, 120_000);
    first ??= reply.at;
    bodies.push(reply.body);
    // Paragraphs add up, and so do the parts of an answer "off" splits under max_answer_chars
    // (between paragraphs); a correction is the whole text so far.
    const visible = mode === "corrections" ? reply.body : bodies.join("\n\n");
    if (visible === answer) return { sent, first, full: reply.at, messages: bodies.length };
    if (visible.length > answer.length || !answer.startsWith(visible)) {
      throw new Error(`The ${mode} answer is not the one the LLM wrote`);
    }
  }
}

/** Formats the figures as a table, with the goals. */
export function formatStreamFigures(figures: StreamFigures[]): string {
  const off = figures.find((f) => f.mode === "off");
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const lines = [
    `Streamed answers: ${PARAGRAPHS * (WORDS + 1) - 1} tokens at ${RATE} tokens/s` +
    (figures[0] === undefined ? "" : `, from ${figures[0].provider}`),
    "mode         first text   after 1st paragraph   full answer   messages   one-line p50   CPU/answer",
  ];
  for (const f of figures) {
    lines.push(
      `${f.mode.padEnd(12)} ${seconds(f.first_text_ms).padStart(10)}   ` +
        `${seconds(f.first_after_paragraph_ms).padStart(19)}   ${
          seconds(f.full_ms).padStart(11)
        }   ${String(f.messages).padStart(8)}   ${
          `${f.short_p50_ms.toFixed(2)} ms`.padStart(12)
        }   ${`${f.cpu_ms_per_answer.toFixed(0)} ms`.padStart(10)}`,
    );
  }
  lines.push(
    "Goals: first text at most 1.5 s after the LLM's first paragraph (paragraphs, corrections);",
    `full answer no later than with "off"${off === undefined ? "" : ` (${seconds(off.full_ms)})`}.`,
  );
  return lines.join("\n");
}

/**
 * `--stream`: runs the streaming bench, prints its table, writes the figures as JSON when
 * asked; every process it started is stopped.
 *
 * @returns The exit code: 0 when the run completed, 1 when it failed
 */
export async function runStreamBench(
  options: { quick: boolean; json: string | undefined; provider: StreamProvider },
) {
  return await runBenchMode(
    () =>
      streamBench({
        runs: options.quick ? 1 : 3,
        shortAnswers: options.quick ? 50 : 300,
        provider: options.provider,
        progress: (text) => console.error(`[bench] ${text}`),
      }),
    formatStreamFigures,
    { json: options.json },
  );
}
