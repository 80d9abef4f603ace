import assert from "node:assert/strict";
import { loadToml, MINIMAL_TOML, rejection } from "./_testing.ts";

const BASE = `${MINIMAL_TOML}
[agent]
allowed_jids = ["alice@localhost"]

[[rooms]]
jid = "dev@conference.localhost"
`;

async function problems(toml: string): Promise<string[]> {
  const { message } = await rejection(loadToml(BASE + toml));
  const lines = message.split("\n");
  // One problem stays on the first line, after the file's name; several get a line each.
  if (lines.length === 1) return [message.replace(/^Invalid config "[^"]+": /, "")];
  return lines.slice(1).map((line) => line.trim());
}

Deno.test("loadConfig() reads [[schedules]] with cron or every, prompt or text", async () => {
  const { config } = await loadToml(`${BASE}
[[schedules]]
name = "standup"
cron = "0 9 * * 1-5"
tz = "europe/paris"
to = "Alice@localhost"
prompt = "Remind Alice of her stand-up, with today's date."

[[schedules]]
name = "water"
every = "1h30m"
to = "dev@conference.localhost"
text = "Time to drink some water"
`);
  assert.deepEqual(config.schedules, [
    {
      name: "standup",
      cron: "0 9 * * 1-5",
      tz: "Europe/Paris",
      to: "alice@localhost",
      prompt: "Remind Alice of her stand-up, with today's date.",
    },
    {
      name: "water",
      every: "1h30m",
      to: "dev@conference.localhost",
      text: "Time to drink some water",
    },
  ]);
  assert.equal(config.agent.max_schedules, 20);
  assert.equal(config.agent.missed_run_grace_mins, 60);
});

Deno.test("loadConfig() accepts an operator's every of one second", async () => {
  const { config } = await loadToml(
    `${BASE}\n[[schedules]]\nname = "tick"\nevery = "1s"\nto = "alice@localhost"\ntext = "t"\n`,
  );
  assert.equal(config.schedules[0]?.every, "1s");
});

Deno.test("loadConfig() names the key of each bad schedule value, all at once", async () => {
  assert.deepEqual(
    await problems(`
[[schedules]]
name = "standup"
cron = "0 9 * * * *"
tz = "Mars/Base"
to = "alice@localhost"
prompt = "x"
text = "y"

[[schedules]]
name = "water"
every = "30"
to = "not a jid"
text = "t"

[[schedules]]
name = "nothing"
to = "alice@localhost"
`),
    [
      'schedules[0].cron: invalid cron expression "0 9 * * * *" (6 fields): expected a ' +
      'five-field cron expression "minute hour day-of-month month day-of-week", like "0 9 * * 1-5"',
      'schedules[0].tz: expected an IANA time zone like "Europe/Paris", found "Mars/Base"',
      "schedules[0].text: give prompt or text, not both",
      'schedules[1].every: expected an interval like "90s", "30m", "1h30m" or "1d" (units d, h, m, ' +
      's, largest first), found "30"',
      'schedules[1].to: expected an allowed bare JID or a configured room, like "alice@example.com", ' +
      'found "not a jid"',
      'schedules[2].cron: missing: give cron (like "0 9 * * 1-5") or every (like "30m")',
      "schedules[2].prompt: missing: give prompt (an instruction for the LLM) or text (sent as is)",
    ],
  );
});

Deno.test("loadConfig() refuses a cron that never runs, both cron and every, tz with every", async () => {
  assert.deepEqual(
    await problems(`
[[schedules]]
name = "never"
cron = "0 0 30 2 *"
to = "alice@localhost"
text = "t"

[[schedules]]
name = "both"
cron = "0 9 * * *"
every = "1h"
tz = "UTC"
to = "alice@localhost"
text = "t"

[[schedules]]
name = "zoned"
every = "1h"
tz = "UTC"
to = "alice@localhost"
text = "t"
`),
    [
      'schedules[0].cron: invalid cron expression "0 0 30 2 *": it never runs',
      "schedules[1].every: give cron or every, not both",
      "schedules[2].tz: only used with cron (an every interval runs the same in every zone)",
    ],
  );
});

Deno.test("loadConfig() refuses a schedule to a JID that is neither allowed nor a room", async () => {
  assert.deepEqual(
    await rejection(loadToml(
      `${BASE}\n[[schedules]]\nname = "a"\nevery = "1m"\nto = "bob@localhost"\ntext = "t"\n`,
    )).then((error) => error.message),
    'Invalid config "config/agent.toml": schedules[0].to: "bob@localhost" is neither an allowed ' +
      "JID (agent.allowed_jids, agent.allowed_domains) nor a configured room ([[rooms]])",
  );
  const wildcard = await loadToml(
    `${MINIMAL_TOML}\n[agent]\nallowed_jids = "*"\n\n[[schedules]]\nname = "a"\nevery = "1m"\n` +
      'to = "bob@localhost"\ntext = "t"\n',
  );
  assert.equal(wildcard.config.schedules[0]?.to, "bob@localhost");
  const otherDomain = await problems(
    `\n[[schedules]]\nname = "a"\nevery = "1m"\nto = "alice@elsewhere.org"\ntext = "t"\n`,
  );
  assert.match(otherDomain[0] ?? "", /"alice@elsewhere.org" is neither an allowed JID/);
});

Deno.test("loadConfig() refuses duplicate schedule names, unknown keys and bad limits", async () => {
  const twice = `name = "a"\nevery = "1m"\nto = "alice@localhost"\ntext = "t"\n`;
  assert.deepEqual(await problems(`\n[[schedules]]\n${twice}\n[[schedules]]\n${twice}`), [
    'schedules[1].name: duplicate name "a": each schedule needs its own',
  ]);
  assert.deepEqual(await problems(`\n[[schedules]]\n${twice}colour = "red"\nprompts = "x"\n`), [
    "schedules[0].colour: unknown key; allowed keys: name, cron, every, tz, to, prompt, text",
    'schedules[0].prompts: unknown key; did you mean "prompt"?',
  ]);
  const limits = await rejection(loadToml(
    `${MINIMAL_TOML}\n[agent]\nmax_schedules = -1\nmissed_run_grace_mins = 20000\n`,
  ));
  assert.match(
    limits.message,
    /agent\.max_schedules: expected an integer from 0 to 1000, found -1/,
  );
  assert.match(
    limits.message,
    /agent\.missed_run_grace_mins: expected an integer from 0 to 10080, found 20000/,
  );
});
