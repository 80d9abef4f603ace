/**
 * The life of a test ejabberd: restart with data kept, plaintext mode, a shared server seen by
 * every test file of a run, and nothing left behind however the test process ends.
 */

import assert from "node:assert/strict";
import { eventually } from "./support/assert.ts";
import { startEjabberd } from "./support/ejabberd.ts";
import { connectHuman } from "./support/human.ts";
import { processAlive } from "./support/loopback.ts";

const SUPPORT = new URL("./support/", import.meta.url).href;

async function processesUsing(path: string): Promise<string> {
  const output = await new Deno.Command("pgrep", { args: ["-af", path], stdout: "piped" })
    .output();
  return new TextDecoder().decode(output.stdout).trim();
}

async function gone(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => false, () => true);
}

async function serverPid(dir: string): Promise<number> {
  return (JSON.parse(await Deno.readTextFile(`${dir}/state.json`)) as { pid: number }).pid;
}

Deno.test("startEjabberd(): restart() keeps ports and accounts, stop() leaves nothing behind", async () => {
  const ejabberd = await startEjabberd();
  try {
    await ejabberd.register("alice", "pw");
    const before = await connectHuman(ejabberd, { user: "alice", password: "pw" });
    try {
      const ports = [ejabberd.c2sPort, ejabberd.componentPort];
      const pid = await serverPid(ejabberd.dir);
      await ejabberd.restart();
      assert.deepEqual([ejabberd.c2sPort, ejabberd.componentPort], ports);
      assert.notEqual(await serverPid(ejabberd.dir), pid);
      await before.waitFor((event) => event.kind === "disconnected");
    } finally {
      await before.close();
    }
    await using after = await connectHuman(ejabberd, { user: "alice", password: "pw" });
    assert.equal((await after.iq(ejabberd.domain, "ping")).type, "result");
    assert.deepEqual(await ejabberd.api("registered_users", { host: "localhost" }), ["alice"]);
    assert.equal((await ejabberd.logs()).match(/ is started in the node /g)?.length, 2);
  } finally {
    await ejabberd.stop();
  }
  assert.equal(await processesUsing(ejabberd.dir), "", "No process may outlive the test");
  assert.ok(await gone(ejabberd.dir));
});

Deno.test("startEjabberd({ tls: false }) serves plaintext clients only", async () => {
  await using ejabberd = await startEjabberd({ tls: false });
  await ejabberd.register("alice", "pw");
  await using plain = await connectHuman(ejabberd, { user: "alice", password: "pw" });
  assert.equal((await plain.iq(ejabberd.domain, "ping")).type, "result");
  await assert.rejects(
    connectHuman(ejabberd, { user: "alice", password: "pw", tls: true, timeoutMs: 5_000 }),
    /could not log in/,
  );
});

Deno.test("the shared ejabberd serves every test file of a run and ends with the run", async () => {
  const work = await Deno.makeTempDir({ prefix: "fluux-test-shared-run-" });
  try {
    // Each test file runs in its own worker: the second must find the first one's server.
    const report = (name: string) =>
      `import { sharedEjabberd } from "${SUPPORT}shared_ejabberd.ts";
Deno.test("${name}", async () => {
  const ejabberd = await sharedEjabberd();
  if ("${name}" === "first") await ejabberd.register("carol", "pw");
  const users = await ejabberd.api("registered_users", { host: "localhost" });
  const { pid } = JSON.parse(await Deno.readTextFile(ejabberd.dir + "/state.json"));
  console.log("REPORT " + JSON.stringify({ dir: ejabberd.dir, port: ejabberd.c2sPort, pid, users }));
});
`;
    await Deno.writeTextFile(`${work}/first_test.ts`, report("first"));
    await Deno.writeTextFile(`${work}/second_test.ts`, report("second"));
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["test", "-A", "--no-check", "first_test.ts", "second_test.ts"],
      cwd: work,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(output.stdout);
    assert.ok(output.success, text + new TextDecoder().decode(output.stderr));
    const reports = [...text.matchAll(/REPORT (.*)/g)].map((m) => JSON.parse(m[1] ?? ""));
    assert.equal(reports.length, 2, text);
    const [first, second] = reports;
    assert.deepEqual(first.users, ["carol"]);
    assert.deepEqual(second, first);
    await eventually("the shared server has stopped", async () => !(await processAlive(first.pid)));
    await eventually("its directory is removed", () => gone(first.dir));
  } finally {
    await Deno.remove(work, { recursive: true });
  }
});

Deno.test("a test process killed with SIGKILL leaves no ejabberd behind", async () => {
  const script = `import { startEjabberd } from "${SUPPORT}ejabberd.ts";
const ejabberd = await startEjabberd();
console.log(ejabberd.dir);
await new Promise(() => setInterval(() => {}, 1_000));
`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-check", script],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const { value } = await lines.read();
  const dir = (value ?? "").trim();
  const pid = await serverPid(dir);
  assert.ok(await processAlive(pid));
  child.kill("SIGKILL");
  await child.status;
  await lines.cancel();
  await eventually("the orphaned server has stopped", async () => !(await processAlive(pid)));
  await eventually("its directory is removed", () => gone(dir));
});
