/**
 * What the XMPP side of an answer costs, each beside the floor in an interleaved run of its
 * own:
 * - the second write: a bare bot that sends `<composing/>` in a write of its own before it
 *   asks (as the agent does: the LLM's call comes between the two) against the same bot
 *   sending it in the answer's write, the same stanzas through one write;
 * - the connection: the agent logged in as a client (stream management and its
 *   acknowledgements, the account's own archive) against the same agent as an XEP-0114
 *   component, which is how the Rust Fluux Agent connects.
 *
 * @module
 */
import type { ProsodyHandle } from "../../tests/support/prosody.ts";
import { startBenchAgent, waitAnswering } from "./bench_agent.ts";
import type { Driver } from "./driver.ts";
import { startFloorBot } from "./floor_bot_process.ts";
import { interleavedRoundTrips } from "./round_trips.ts";
import { summarize } from "./stats.ts";

/** The component domain the bench's Prosody holds for {@linkcode componentPhase}. */
export const BENCH_COMPONENT_DOMAIN = "bench.localhost";

/** The figures of {@linkcode writesPhase}. */
export interface WriteFigures {
  /** The floor's median in that run. */
  writes_floor_p50_ms: number;
  /** A bare bot writing `<composing/>` on its own before asking, then the answer. */
  writes_two_p50_ms: number;
  /** The same bot writing `<composing/>` and the answer together, after asking. */
  writes_one_p50_ms: number;
  /** `writes_two_p50_ms / writes_one_p50_ms`: what the second write costs a round trip. */
  writes_ratio: number;
}

/** The figures of {@linkcode componentPhase}. */
export interface ComponentFigures {
  /** The floor's median in that run. */
  component_floor_p50_ms: number;
  /** The agent logged in as a client. */
  component_client_p50_ms: number;
  /** The same agent (its own data directory) as an XEP-0114 component. */
  component_p50_ms: number;
  /** `component_p50_ms / component_floor_p50_ms`. */
  component_ratio: number;
  /** `component_p50_ms / component_client_p50_ms`: what the kind of connection changes. */
  component_to_client_ratio: number;
}

/** What both phases need. */
export interface WirePhaseOptions {
  /** The user who asks. */
  driver: Driver;
  /** Bare JID of the floor bot. */
  floor: string;
  /** Base URL of the fake LLM. */
  llmUrl: string;
  /** Measured round trips per target. */
  count: number;
  /** Round trips per target before the measured ones. */
  warmUp: number;
}

/**
 * Starts the two bots with `<composing/>` (accounts `typing-apart` and `typing-together`),
 * times them beside the floor, and stops them.
 *
 * @throws {Error} When a bot does not come online or an answer is wrong or late.
 */
export async function writesPhase(
  prosody: ProsodyHandle,
  options: WirePhaseOptions,
): Promise<WriteFigures> {
  const { llmUrl } = options;
  const stops: (() => Promise<void>)[] = [];
  try {
    for (const [user, oneWrite] of [["typing-apart", false], ["typing-together", true]] as const) {
      await prosody.register(user, user);
      stops.push(await startFloorBot(prosody, { user, llmUrl, composing: true, oneWrite }));
    }
    const [floor, two, one] = await medians(options, "writes", [
      options.floor,
      `typing-apart@${prosody.domain}`,
      `typing-together@${prosody.domain}`,
    ]);
    return {
      writes_floor_p50_ms: floor,
      writes_two_p50_ms: two,
      writes_one_p50_ms: one,
      writes_ratio: two / one,
    };
  } finally {
    for (const stop of stops) await stop();
  }
}

/**
 * Starts the agent as a component of {@linkcode BENCH_COMPONENT_DOMAIN} (which the Prosody
 * must hold among its `extraComponents`), times it beside the floor and the agent `bot`
 * logged in as a client, and stops it.
 *
 * @throws {Error} When it does not answer or an answer is wrong or late.
 */
export async function componentPhase(
  prosody: ProsodyHandle,
  options: WirePhaseOptions & { bot: string; dataDir: string },
): Promise<ComponentFigures> {
  const { driver } = options;
  const component = `bench@${BENCH_COMPONENT_DOMAIN}`;
  const agent = await startBenchAgent(prosody, {
    llmUrl: options.llmUrl,
    dataDir: options.dataDir,
    component: BENCH_COMPONENT_DOMAIN,
  });
  try {
    await waitAnswering(agent, driver, { jid: component });
    const [floor, client, asComponent] = await medians(options, "component", [
      options.floor,
      options.bot,
      component,
    ]);
    return {
      component_floor_p50_ms: floor,
      component_client_p50_ms: client,
      component_p50_ms: asComponent,
      component_ratio: asComponent / floor,
      component_to_client_ratio: asComponent / client,
    };
  } finally {
    await agent.stop();
  }
}

/** The median round trip of each of three targets, asked in turn by the options' driver. */
async function medians(
  options: WirePhaseOptions,
  label: string,
  targets: [string, string, string],
): Promise<[number, number, number]> {
  const { driver, count, warmUp } = options;
  const times = await interleavedRoundTrips(targets.map((to) => ({ driver, to })), {
    count,
    warmUp,
    label,
  });
  return times.map((each) => summarize(each).p50) as [number, number, number];
}

/** The report's rows for these figures: `[measure, value]`. */
export function wireRows(figures: WriteFigures & ComponentFigures): [string, string][] {
  const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 0)} ms`;
  const x = (value: number) => `${value.toFixed(2)}×`;
  return [
    [
      "  <composing/> then the answer, two writes / one",
      `${ms(figures.writes_two_p50_ms)} / ${ms(figures.writes_one_p50_ms)} = ` +
      `${x(figures.writes_ratio)} (floor ${ms(figures.writes_floor_p50_ms)})`,
    ],
    [
      "  the agent as a component / as a client",
      `${ms(figures.component_p50_ms)} / ${ms(figures.component_client_p50_ms)} = ` +
      `${x(figures.component_to_client_ratio)}; ${x(figures.component_ratio)} the floor ` +
      `(${ms(figures.component_floor_p50_ms)})`,
    ],
  ];
}
