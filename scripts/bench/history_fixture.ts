/**
 * Writes a conversation history in the agent's on-disk format before it starts, so that the
 * long-history benchmark has a session of any length to read from.
 *
 * @module
 */

/**
 * Writes `{dataDir}/{jid}/history.jsonl` with a session header and `entries` messages,
 * alternating user and assistant, about 100 bytes each.
 *
 * @param dataDir The agent's `[memory] path`.
 * @param jid The bare JID of the conversation.
 * @param entries How many message entries.
 */
export async function writeHistory(dataDir: string, jid: string, entries: number): Promise<void> {
  const dir = `${dataDir}/${jid}`;
  await Deno.mkdir(dir, { recursive: true });
  const start = Date.now() - entries * 1000;
  const lines = [JSON.stringify({
    type: "session",
    version: 1,
    created: new Date(start).toISOString(),
    jid,
  })];
  for (let i = 0; i < entries; i++) {
    const role = i % 2 === 0 ? "user" : "assistant";
    const content = role === "user"
      ? `Question ${i}: what happened in the meeting about the roadmap?`
      : `echo: Question ${i - 1}: what happened in the meeting about the roadmap?`;
    lines.push(JSON.stringify({
      type: "message",
      role,
      content,
      ts: new Date(start + i * 1000).toISOString(),
    }));
  }
  await Deno.writeTextFile(`${dir}/history.jsonl`, lines.join("\n") + "\n");
}
