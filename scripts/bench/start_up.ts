/**
 * Start-up: from spawning the agent to a contact seeing its available presence, and the
 * agent's memory once it idles.
 *
 * @module
 */
import type { ProsodyHandle } from "../../tests/support/prosody.ts";
import { startBenchAgent } from "./bench_agent.ts";
import type { Driver } from "./driver.ts";
import { type ProcMemory, procMemory } from "./proc_memory.ts";

/** What {@linkcode measureStartUp} measured. */
export interface StartUpResult {
  /** One per run, in milliseconds. */
  times: number[];
  /** The agent's memory after idling `idleMs` following its first timed start. */
  idle: ProcMemory;
}

/** Options of {@linkcode measureStartUp}. */
export interface StartUpOptions {
  llmUrl: string;
  /** The contact, already logged in; it becomes mutually subscribed with the agent. */
  contact: Driver;
  /** Account of the agent (registered, password `botpass`). */
  agentUser: string;
  /** Memory directory of the agent. */
  dataDir: string;
  /** Timed starts. */
  runs: number;
  /** How long to let the agent idle before reading its memory. @default {2000} */
  idleMs?: number;
}

/**
 * Makes the contact and the agent mutually subscribed (once, untimed), then times fresh
 * starts until the contact receives the agent's available presence.
 *
 * @throws {Error} When the presence does not come within 10 s.
 */
export async function measureStartUp(
  prosody: ProsodyHandle,
  options: StartUpOptions,
): Promise<StartUpResult> {
  const { contact } = options;
  const agentJid = `${options.agentUser}@${prosody.domain}`;
  const fromAgent = (type: string) => (p: { from: string; type: string }) =>
    p.from.split("/")[0] === agentJid && p.type === type;
  const contactBare = contact.jid.split("/")[0]!;
  const start = () =>
    startBenchAgent(prosody, {
      llmUrl: options.llmUrl,
      user: options.agentUser,
      allowedJids: [contactBare],
      dataDir: options.dataDir,
    });

  // Untimed: the agent asks the contact to share presence; the contact approves and asks
  // back, which the agent approves because the contact is allowed. The roster persists.
  const first = await start();
  await contact.waitForPresence(fromAgent("subscribe"));
  await contact.presence(agentJid, "subscribed");
  await contact.presence(agentJid, "subscribe");
  await contact.waitForPresence(fromAgent("subscribed"));
  await contact.waitForPresence(fromAgent("available"));
  await first.stop();
  await contact.waitForPresence(fromAgent("unavailable"));

  const times: number[] = [];
  let idle: ProcMemory | undefined;
  for (let run = 0; run < options.runs; run++) {
    contact.clearPresences();
    const begin = performance.now();
    const agent = await start();
    const seen = await contact.waitForPresence(fromAgent("available"));
    times.push(seen.at - begin);
    if (idle === undefined) {
      await new Promise((resolve) => setTimeout(resolve, options.idleMs ?? 2000));
      idle = procMemory(agent.pid);
    }
    await agent.stop();
    await contact.waitForPresence(fromAgent("unavailable"));
  }
  return { times, idle: idle ?? { rss_mb: 0, peak_mb: 0 } };
}
