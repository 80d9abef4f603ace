import assert from "node:assert/strict";
import { join } from "node:path";
import {
  type AuditEntry,
  loadUserSkills,
  memorySkillState,
  SkillRegistry,
  SkillRunner,
} from "../src/skills/mod.ts";

/** A throwaway skills folder, data directory and home, with the given user skills. */
async function sandbox(
  skills: Record<string, { toml: string; code: string }>,
  prepare: (home: string) => Promise<void> = () => Promise.resolve(),
  trusted: string[] = [],
) {
  const root = await Deno.makeTempDir({ prefix: "skills_sandbox_" });
  const dir = join(root, "skills");
  for (const [name, skill] of Object.entries(skills)) {
    await Deno.mkdir(join(dir, name), { recursive: true });
    await Deno.writeTextFile(join(dir, name, "skill.toml"), skill.toml);
    await Deno.writeTextFile(join(dir, name, "mod.ts"), skill.code);
  }
  const home = join(root, "home");
  await prepare(home);
  const { sources, problems } = await loadUserSkills(dir, { trusted });
  assert.deepEqual(problems, []);
  const env: Record<string, string> = { OTHER_SECRET: "other-skill-secret-value" };
  const registry = await SkillRegistry.create(sources, {
    state: memorySkillState(),
    credentials: { env: (name) => env[name], home },
  });
  const audit: AuditEntry[] = [];
  const runner = new SkillRunner(registry, {
    dataDir: join(root, "data"),
    audit: { record: (entry) => Promise.resolve(void audit.push(entry)) },
  });
  return {
    root,
    home,
    registry,
    runner,
    audit,
    cleanup: () => Deno.remove(root, { recursive: true }),
  };
}

function manifest(name: string, extra = "", capabilities = "") {
  return `name = "${name}"\ndescription = "Test skill ${name}"\n${extra}\n` +
    `[parameters]\ntype = "object"\n[parameters.properties.target]\ntype = "string"\n` +
    `[capabilities]\n${capabilities}\n`;
}

const PROBE = `
export async function run(
  input: { target: string },
  context: { credentials: Record<string, string> },
): Promise<string> {
  const target = input.target;
  if (target.startsWith("http")) { await fetch(target); return "fetched"; }
  if (target.startsWith("env:")) return "value: " + Deno.env.get(target.slice(4));
  if (target === "credentials") return JSON.stringify(context.credentials);
  if (target === "reversed") {
    return Object.entries(context.credentials).map(([k, v]) => k + "=" + [...v].reverse().join(""))
      .join(",");
  }
  return await Deno.readTextFile(target);
}`;

Deno.test("SkillRunner denies a skill what its manifest does not declare, as a tool error", async () => {
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    () => new Response("hi"),
  );
  const { home, runner, audit, cleanup } = await sandbox({
    probe: {
      toml: manifest("probe", "", 'network = ["127.0.0.1:1"]\ncredentials = ["probe-key"]'),
      code: PROBE,
    },
    other: { toml: manifest("other", "", 'credentials = ["other-secret"]'), code: PROBE },
  }, async (home) => {
    await Deno.mkdir(join(home, ".fluux-agent", "credentials", "probe"), { recursive: true });
    await Deno.writeTextFile(
      join(home, ".fluux-agent", "credentials", "probe", "probe-key"),
      "mine-secret",
    );
  });
  try {
    const call = (target: string) =>
      runner.call({ id: `t-${target}`, name: "probe", input: { target } }, { conversation: "a@b" });

    const net = await call(`http://127.0.0.1:${server.addr.port}/`);
    assert.equal(net.is_error, true);
    assert.match(net.content, /Permission denied.*net access to "127\.0\.0\.1:\d+".*"network"/);

    const file = await call(join(home, ".fluux-agent", "credentials", "probe", "probe-key"));
    assert.equal(file.is_error, true);
    assert.match(file.content, /Permission denied.*read access.*capability "read"/);

    const otherFile = await call(join(home, ".fluux-agent", "credentials", "other"));
    assert.equal(otherFile.is_error, true);
    assert.match(otherFile.content, /read access/);

    const env = await call("env:OTHER_SECRET");
    assert.equal(env.is_error, true);
    assert.match(env.content, /env access to "OTHER_SECRET".*capability "env"/);
    assert.doesNotMatch(env.content, /other-skill-secret-value/);

    const own = await call("reversed");
    assert.equal(own.content, "probe-key=terces-enim");
    const echoed = await call("credentials");
    assert.deepEqual(
      JSON.parse(echoed.content),
      { "probe-key": "********" },
      "hidden from the LLM",
    );

    assert.deepEqual(audit.map((entry) => entry.outcome), [
      "denied",
      "denied",
      "denied",
      "denied",
      "ok",
      "ok",
    ]);
    assert.equal(audit[0]?.conversation, "a@b");
    assert.match(audit[0]?.detail ?? "", /net access/);
  } finally {
    await server.shutdown();
    await cleanup();
  }
});

Deno.test("SkillRunner stops a skill at its time limit while other calls keep working", async () => {
  const { runner, cleanup } = await sandbox({
    stuck: {
      toml: manifest("stuck", "", "timeout_secs = 1"),
      code: "export function run() { for (;;) {} }",
    },
    echo: {
      toml: manifest("echo"),
      code: "export const run = (input: { target: string }) => `echo ${input.target}`;",
    },
  });
  try {
    const stuck = runner.call({ id: "1", name: "stuck", input: {} }, { conversation: "c" });
    const echo = await runner.call({ id: "2", name: "echo", input: { target: "x" } }, {
      conversation: "c",
    });
    assert.deepEqual(echo, {
      type: "tool_result",
      tool_use_id: "2",
      content: "echo x",
      is_error: false,
    });
    const result = await stuck;
    assert.equal(result.is_error, true);
    assert.match(result.content, /timed out after 1 s/);
  } finally {
    await cleanup();
  }
});

Deno.test("SkillRunner stops a skill whose result is no longer wanted, in a worker and a process", async () => {
  // Counts in its state folder until stopped.
  const code = `export async function run(_: unknown, context: { stateDir: string }) {
    for (let n = 1; ; n++) {
      await Deno.writeTextFile(context.stateDir + "/count", String(n));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }`;
  const CAPABILITIES = 'timeout_secs = 60\nwrite = ["."]';
  const { root, runner, audit, registry, cleanup } = await sandbox(
    {
      counter: { toml: manifest("counter", 'isolation = "worker"', CAPABILITIES), code },
      counting_process: {
        toml: manifest("counting_process", 'isolation = "process"', CAPABILITIES),
        code,
      },
    },
    undefined,
    ["counter"],
  );
  try {
    assert.equal(registry.get("counter")?.isolation, "worker");
    for (const name of ["counter", "counting_process"]) {
      const file = join(root, "data", "skills", name, "count");
      const read = () => Deno.readTextFile(file).catch(() => "");
      const wanted = new AbortController();
      const call = runner.call({ id: name, name, input: {} }, {
        conversation: "c",
        signal: wanted.signal,
      });
      let settled = false;
      call.finally(() => settled = true);
      while (!settled && Number(await read()) < 2) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      if (settled) assert.fail(`${name} ended by itself: ${JSON.stringify(await call)}`);
      wanted.abort(new Error("The sub-agent timed out"));
      const result = await call;
      assert.equal(result.is_error, true);
      assert.match(result.content, /was stopped: its result was no longer wanted/);
      assert.equal(audit.at(-1)?.outcome, "cancelled");
      // Stopped, not left running: the count no longer moves.
      const count = await read();
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(await read(), count, `${name} still counting after it was stopped`);
    }
  } finally {
    await cleanup();
  }
});

Deno.test("SkillRunner stops a process-isolated skill that allocates without bound", async () => {
  const { runner, audit, cleanup } = await sandbox({
    hog: {
      toml: manifest("hog", 'isolation = "process"', "memory_mb = 64\ntimeout_secs = 60"),
      code: "export function run() {\n" +
        "  const keep: number[][] = [];\n" +
        "  for (;;) keep.push(new Array(1e5).fill(Math.random()));\n" +
        "}",
    },
  });
  try {
    const result = await runner.call({ id: "1", name: "hog", input: {} }, { conversation: "c" });
    assert.equal(result.is_error, true);
    assert.match(result.content, /failed: out of memory \(its limit is 64 MB\)/);
    assert.equal(audit[0]?.outcome, "memory");
  } finally {
    await cleanup();
  }
});

Deno.test("SkillRunner turns a skill's Deno.exit() into a failed call, in a worker and a process", async () => {
  const code = "export function run() { Deno.exit(3); }";
  const { runner, registry, cleanup } = await sandbox(
    {
      quitter: { toml: manifest("quitter", 'isolation = "worker"'), code },
      trusted_quitter: { toml: manifest("trusted_quitter", 'isolation = "worker"'), code },
    },
    undefined,
    ["trusted_quitter"],
  );
  try {
    assert.equal(registry.get("quitter")?.isolation, "process", "not trusted: its own process");
    assert.equal(registry.get("trusted_quitter")?.isolation, "worker");
    for (const name of ["quitter", "trusted_quitter"]) {
      const result = await runner.call({ id: name, name, input: {} }, { conversation: "c" });
      assert.equal(result.is_error, true);
      assert.match(
        result.content,
        /failed.*\n<untrusted_data[^\n]*\nThe skill called Deno\.exit\(3\)/,
      );
    }
  } finally {
    await cleanup();
  }
});
