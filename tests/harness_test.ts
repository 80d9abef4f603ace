/**
 * Proves the integration-test harness itself: a throwaway Prosody and slixmpp "humans".
 */

import assert from "node:assert/strict";
import { connectHuman, type HumanSubscription } from "./support/human.ts";
import { type ProsodyHandle, startProsody } from "./support/prosody.ts";

async function processesUsing(path: string): Promise<string> {
  const output = await new Deno.Command("pgrep", { args: ["-af", path], stdout: "piped" })
    .output();
  return new TextDecoder().decode(output.stdout).trim();
}

async function assertCleanedUp(prosody: ProsodyHandle): Promise<void> {
  assert.equal(await processesUsing(prosody.dir), "", "No process may outlive the test");
  await assert.rejects(Deno.stat(prosody.dir), Deno.errors.NotFound);
}

Deno.test("connectHuman() delivers a message from alice to bob and answers a server ping", async () => {
  const prosody = await startProsody();
  try {
    await prosody.register("alice", "alice-pw");
    await prosody.register("bob", "bob-pw");
    await using alice = await connectHuman(prosody, { user: "alice", password: "alice-pw" });
    await using bob = await connectHuman(prosody, {
      user: "bob",
      password: "bob-pw",
      resource: "phone",
    });
    assert.equal(bob.jid, "bob@localhost/phone");

    const id = await alice.send("bob@localhost", "Hello <Bob> & co", { chatState: "active" });
    const received = await bob.nextMessage({ from: "alice@localhost", withBody: true });
    assert.equal(received.body, "Hello <Bob> & co");
    assert.equal(received.id, id);
    assert.equal(received.chatState, "active");
    assert.equal(received.from, alice.jid);

    const pong = await alice.iq(prosody.domain, "ping");
    assert.equal(pong.type, "result");
    const info = await alice.iq(prosody.domain, "disco_info");
    assert.ok(info.features?.includes("urn:xmpp:ping"), info.xml);
    const version = await alice.iq(prosody.domain, "version");
    assert.equal(version.name, "Prosody");
  } finally {
    await prosody.stop();
  }
  await assertCleanedUp(prosody);
});

Deno.test("Human.expectSilence() fails when the sender does write", async () => {
  const prosody = await startProsody();
  try {
    await prosody.register("alice", "pw");
    await prosody.register("bob", "pw");
    await using alice = await connectHuman(prosody, { user: "alice", password: "pw" });
    await using bob = await connectHuman(prosody, { user: "bob", password: "pw" });
    await bob.expectSilence("alice@localhost", 200);
    const silence = bob.expectSilence("alice@localhost", 2_000);
    await alice.send("bob@localhost", "", { chatState: "composing", noBody: true });
    await assert.rejects(silence, /Expected no message from alice@localhost/);
    await bob.expectSilence("alice@localhost", 200, { withBody: true });
  } finally {
    await prosody.stop();
  }
  await assertCleanedUp(prosody);
});

Deno.test("subscribe() and approve() build a roster the server remembers", async () => {
  const prosody = await startProsody();
  try {
    await prosody.register("alice", "pw");
    await prosody.register("bob", "pw");
    await using alice = await connectHuman(prosody, { user: "alice", password: "pw" });
    await using bob = await connectHuman(prosody, { user: "bob", password: "pw" });
    await alice.subscribe("bob@localhost");
    await bob.waitFor((e): e is HumanSubscription => e.kind === "subscribe");
    await bob.approve("alice@localhost");
    await alice.waitFor((e) => e.kind === "subscribed" && e.from === "bob@localhost");
    assert.deepEqual(await alice.roster(), [{ jid: "bob@localhost", subscription: "to" }]);
  } finally {
    await prosody.stop();
  }
  await assertCleanedUp(prosody);
});

Deno.test("ProsodyHandle.restart() keeps the ports and the accounts", async () => {
  const prosody = await startProsody();
  try {
    await prosody.register("alice", "pw");
    const before = await connectHuman(prosody, { user: "alice", password: "pw" });
    try {
      const ports = [prosody.c2sPort, prosody.componentPort];
      await prosody.restart();
      assert.deepEqual([prosody.c2sPort, prosody.componentPort], ports);
      await before.waitFor((event) => event.kind === "disconnected");
    } finally {
      await before.close();
    }
    await using after = await connectHuman(prosody, { user: "alice", password: "pw" });
    assert.equal((await after.iq(prosody.domain, "ping")).type, "result");
    assert.match(await prosody.logs(), /Activated service 'c2s'/);
  } finally {
    await prosody.stop();
  }
  await assertCleanedUp(prosody);
});

Deno.test("startProsody({ tls: false }) serves plaintext clients only", async () => {
  await using prosody = await startProsody({ tls: false });
  await prosody.register("alice", "pw");
  await using plain = await connectHuman(prosody, { user: "alice", password: "pw" });
  assert.equal((await plain.iq(prosody.domain, "ping")).type, "result");
  await assert.rejects(
    connectHuman(prosody, { user: "alice", password: "pw", tls: true, timeoutMs: 5_000 }),
    /could not log in/,
  );
});

Deno.test("connectHuman() rejects a wrong password and leaves no client running", async () => {
  await using prosody = await startProsody();
  await prosody.register("alice", "pw");
  await assert.rejects(
    connectHuman(prosody, { user: "alice", password: "wrong" }),
    /Human "alice@localhost" could not log in/,
  );
  assert.equal(await processesUsing(`human.py .* ${prosody.dir}`), "");
});

Deno.test("Human.close() makes the client log out and exit on its own", async () => {
  await using prosody = await startProsody();
  await prosody.register("alice", "pw");
  await prosody.register("bob", "pw");
  await using bob = await connectHuman(prosody, { user: "bob", password: "pw", autoAccept: true });
  const alice = await connectHuman(prosody, { user: "alice", password: "pw" });
  await alice.subscribe("bob@localhost");
  // bob accepts on his own and asks back; alice answers by hand.
  await alice.waitFor((e) => e.kind === "subscribed" && e.from === "bob@localhost");
  await alice.waitFor((e) => e.kind === "subscribe" && e.from === "bob@localhost");
  await alice.approve("bob@localhost");
  await bob.waitFor((e) => e.kind === "presence" && e.from === alice.jid);
  const status = await alice.close();
  assert.deepEqual([status.code, status.signal], [0, null]);
  await bob.waitFor((e) =>
    e.kind === "presence" && e.type === "unavailable" && e.from === alice.jid
  );
});
