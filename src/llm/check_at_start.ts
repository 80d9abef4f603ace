/**
 * The LLM check the agent makes before it goes online, so that a wrong key or an unknown model
 * is found by the operator at start, not by the first user who writes.
 *
 * @module
 */
import { LlmError } from "./llm_error.ts";
import type { ModelRouter } from "./model_router.ts";
import type { LlmClient } from "./types.ts";

/** Where {@linkcode checkAtStart} reports. */
export interface CheckLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/**
 * Checks the credentials and the model with one small request (see `LlmClient.check`), and
 * decides whether the agent may start:
 * - accepted: one `info` line;
 * - the provider refused the credentials or does not know the model: an `error` line, and the
 *   reason is returned: the agent must not start (every answer would fail);
 * - the process may not reach the provider (its `--allow-net`): an `error` line, and the agent
 *   starts (users are told, as with any failed call);
 * - anything else (unreachable, slow, overloaded, rate limited): a `warn` line, and the agent
 *   starts: the provider may well answer by the time someone writes.
 *
 * A model router has every configured model checked, at once, one line each in the config's
 * order. A refused model that a tier uses (the default included) stops the start: every call
 * of that kind would fail. One that only stands in as a fallback gets its `error` line and the
 * agent starts: it answers nothing until the others fail, and the line says how to fix it.
 *
 * @param llm The client the agent will use.
 * @param log Where the outcome goes.
 * @returns The reason the agent must not start, or `undefined` when it may.
 */
export async function checkAtStart(
  llm: LlmClient | ModelRouter,
  log: CheckLog,
): Promise<string | undefined> {
  if (!isRouter(llm) || llm.models().length === 1) return await checkOne(llm, "", log);
  const models = llm.models();
  // Checked together (a slow provider holds the start once), logged in order.
  const outcomes = await Promise.all(models.map(async (entry) => {
    const lines: [keyof CheckLog, string][] = [];
    const buffer: CheckLog = {
      info: (line) => lines.push(["info", line]),
      warn: (line) => lines.push(["warn", line]),
      error: (line) => lines.push(["error", line]),
    };
    const refused = await checkOne(entry.client, ` (${entry.roles.join(", ")})`, buffer);
    return { entry, refused, lines };
  }));
  let fatal: string | undefined;
  for (const { entry, refused, lines } of outcomes) {
    for (const [level, line] of lines) log[level](line);
    if (refused === undefined) continue;
    if (entry.roles.some((role) => role !== "fallback")) fatal ??= refused;
    else log.error(`LLM ${entry.id} stays in the fallback chain but will fail until this is fixed`);
  }
  return fatal;
}

async function checkOne(
  llm: LlmClient,
  roles: string,
  log: CheckLog,
): Promise<string | undefined> {
  const which = `${llm.provider}/${llm.model}${roles}`;
  try {
    await llm.check();
  } catch (error) {
    if (!(error instanceof LlmError)) throw error;
    if (error.kind === "auth" || error.kind === "not_found") {
      log.error(`LLM ${which} cannot be used: ${error.message}`);
      return error.message;
    }
    if (error.kind === "permission") {
      log.error(`LLM ${which} cannot be checked: ${error.message}`);
      return undefined;
    }
    log.warn(
      `LLM ${which} could not be checked (${error.kind}: ${error.message}); starting anyway`,
    );
    return undefined;
  }
  log.info(`LLM ${which} checked: credentials accepted, model available`);
  return undefined;
}

function isRouter(llm: LlmClient | ModelRouter): llm is ModelRouter {
  return typeof (llm as Partial<ModelRouter>).models === "function";
}
