/**
 * What the scheduler hands on when a schedule is due.
 *
 * @module
 */
import type { Entry } from "./_entry.ts";
import { isRecurring } from "./recurrence.ts";

/** A schedule that is due, handed to the agent: plain data (JSON as is). */
export interface ScheduleFiring {
  type: "schedule";
  /** The task's id (a config schedule's is `config:{name}`). */
  id: string;
  /** The config schedule's name. */
  name?: string;
  /** Who made it: the operator's config, or a user through a tool or command. */
  origin: "config" | "user";
  /** The conversation it runs in: a bare JID or a room's JID. */
  conversation: string;
  /** The XEP-0201 thread it was made in, if any. */
  thread?: string;
  /** Who asked for it (a user's bare JID), when known. */
  createdBy?: string;
  /** `prompt`: an LLM turn with `text` as the instruction; `text`: `text` sent as is. */
  kind: "prompt" | "text";
  text: string;
  recurring: boolean;
  /** The instant it was due (ISO). */
  scheduledAt: string;
  /** The instant it was handed over (ISO). */
  firedAt: string;
  /** `firedAt − scheduledAt`, in milliseconds. */
  latenessMs: number;
  /** A run missed while the agent was down, run once at start. */
  catchUp: boolean;
}

/**
 * The firing of `entry`'s run due at `run`, handed on at `firedAt`.
 *
 * @param catchUp Whether it is a run missed while the agent was down.
 */
export function scheduleFiring(
  entry: Entry,
  run: Date,
  firedAt: Date,
  catchUp: boolean,
): ScheduleFiring {
  const firing: ScheduleFiring = {
    type: "schedule",
    id: entry.id,
    origin: entry.origin,
    conversation: entry.conversation,
    kind: entry.kind,
    text: entry.text,
    recurring: isRecurring(entry.recurrence),
    scheduledAt: run.toISOString(),
    firedAt: firedAt.toISOString(),
    latenessMs: firedAt.getTime() - run.getTime(),
    catchUp,
  };
  if (entry.name !== undefined) firing.name = entry.name;
  if (entry.thread !== undefined) firing.thread = entry.thread;
  if (entry.createdBy !== undefined) firing.createdBy = entry.createdBy;
  return firing;
}
