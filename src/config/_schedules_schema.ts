// `[[schedules]]`: the operator's scheduled tasks. The rules (five-field cron, intervals,
// time zones) are the scheduler's own parsers, so the config accepts exactly what runs.
import { z } from "zod";
import { isBareJid, normaliseBareJid } from "../jid/mod.ts";
import { canonicalTimeZone, CronRule, EVERY_EXPECTED, parseEvery } from "../scheduler/mod.ts";

const NAME = 'expected a name of letters, digits, "-", "_" or "." (at most 64), like "standup"';
const TO = 'expected an allowed bare JID or a configured room, like "alice@example.com"';
const TZ = 'expected an IANA time zone like "Europe/Paris"';

function text(error = "expected a non-empty string") {
  return z.string({ error }).min(1, { error });
}

const cron = z.string({ error: 'expected a five-field cron expression like "0 9 * * 1-5"' })
  .check((context) => {
    try {
      // The zone is checked on its own key; here only the fields matter.
      CronRule.parse(context.value, "UTC");
    } catch (error) {
      context.issues.push({
        code: "custom",
        input: context.value,
        // Not "expected …": the scheduler's sentence already quotes the value.
        message: (error as Error).message.replace(/^Invalid/, "invalid"),
      });
    }
  });

const every = z.string({ error: EVERY_EXPECTED }).check((context) => {
  try {
    parseEvery(context.value);
  } catch (error) {
    const message = (error as Error).message;
    context.issues.push({
      code: "custom",
      input: context.value,
      message: message.endsWith(EVERY_EXPECTED) ? EVERY_EXPECTED : message,
    });
  }
});

const scheduleTable = z.strictObject({
  name: text(NAME).regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: NAME }),
  cron: cron.optional(),
  every: every.optional(),
  tz: text(TZ).refine((zone) => canonicalTimeZone(zone) !== undefined, { error: TZ })
    .transform((zone) => canonicalTimeZone(zone)!).optional(),
  to: text(TO).refine(isBareJid, { error: TO }).transform((jid: string) => normaliseBareJid(jid)),
  prompt: text().optional(),
  text: text().optional(),
}, { error: "expected a table" });

type Schedule = z.output<typeof scheduleTable>;

/** Checked even when other keys of the table are wrong, so every problem shows at once. */
const always = {
  when: (payload: { value: unknown }) =>
    typeof payload.value === "object" && payload.value !== null,
};

const given = (schedule: Schedule, key: keyof Schedule) => schedule[key] !== undefined;

/** One `[[schedules]]` table: exactly one of `cron`/`every` and one of `prompt`/`text`. */
export const scheduleSchema = scheduleTable
  .refine((s) => given(s, "cron") || given(s, "every"), {
    ...always,
    path: ["cron"],
    error: 'missing: give cron (like "0 9 * * 1-5") or every (like "30m")',
  })
  .refine((s) => !(given(s, "cron") && given(s, "every")), {
    ...always,
    path: ["every"],
    error: "give cron or every, not both",
  })
  .refine((s) => !given(s, "tz") || given(s, "cron"), {
    ...always,
    path: ["tz"],
    error: "only used with cron (an every interval runs the same in every zone)",
  })
  .refine((s) => given(s, "prompt") || given(s, "text"), {
    ...always,
    path: ["prompt"],
    error: "missing: give prompt (an instruction for the LLM) or text (sent as is)",
  })
  .refine((s) => !(given(s, "prompt") && given(s, "text")), {
    ...always,
    path: ["text"],
    error: "give prompt or text, not both",
  });

/** Every `[[schedules]]` table, names unique. */
export const schedulesSchema = z.array(scheduleSchema, { error: "expected [[schedules]] tables" })
  .check((context) => {
    const seen = new Set<unknown>();
    context.value.forEach((schedule, index) => {
      const name = (schedule as { name?: unknown } | null)?.name;
      if (typeof name === "string" && seen.has(name)) {
        context.issues.push({
          code: "custom",
          path: [index, "name"],
          message: `duplicate name ${JSON.stringify(name)}: each schedule needs its own`,
          input: name,
          continue: true,
        });
      }
      seen.add(name);
    });
  });

/** The keys a `[[schedules]]` table accepts. */
export const SCHEDULE_KEYS: readonly string[] = Object.keys(scheduleTable.shape);

/**
 * Why a schedule's `to` is refused, or `undefined` when it names an allowed JID (under the
 * same rules as senders: the domain, then the JID) or a configured room.
 */
export function scheduleTargetProblem(
  to: string,
  allowed: { jids: readonly string[]; domains: readonly string[]; rooms: readonly string[] },
): string | undefined {
  if (allowed.rooms.includes(to)) return undefined;
  const domain = to.slice(to.lastIndexOf("@") + 1);
  const domainAllowed = allowed.domains.includes("*") || allowed.domains.includes(domain);
  const jidAllowed = allowed.jids.includes("*") || allowed.jids.includes(to);
  if (domainAllowed && jidAllowed) return undefined;
  return `${JSON.stringify(to)} is neither an allowed JID (agent.allowed_jids, ` +
    "agent.allowed_domains) nor a configured room ([[rooms]])";
}
