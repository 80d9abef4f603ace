/**
 * The floor of the reply-overhead benchmark: the least a bot can do on the same XMPP library
 * and the same LLM endpoint. On each chat message: one plain HTTP request, one reply with the
 * text. No memory, no chat states, no SDK.
 *
 * Run as a child of the bench: `deno run --allow-net --allow-env --cert CERT floor_bot.ts`,
 * with `FLOOR_BOT` = JSON `{host, port, domain, user, password, llmUrl}`. Prints "ready" once
 * online; stops on SIGTERM.
 *
 * @module
 */
import { connectPeer, xml } from "./xmpp_peer.ts";

const config = JSON.parse(Deno.env.get("FLOOR_BOT") ?? "{}");
const peer = await connectPeer({ ...config, resource: "floor" });
peer.onStanza(async (stanza) => {
  const body = stanza.getChildText("body");
  const from = stanza.attrs.from;
  if (!stanza.is("message") || stanza.attrs.type !== "chat" || body === null || !from) return;
  const response = await fetch(`${config.llmUrl}/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": "bench" },
    body: JSON.stringify({
      model: "bench",
      max_tokens: 1024,
      messages: [{ role: "user", content: body }],
    }),
  });
  const answer = (await response.json()).content?.[0]?.text ?? "";
  await peer.send(xml("message", { to: from, type: "chat" }, xml("body", {}, answer)));
});
Deno.addSignalListener("SIGTERM", async () => {
  await peer.close();
  Deno.exit(0);
});
console.log("ready");
