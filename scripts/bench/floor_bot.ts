/**
 * The floor of the reply-overhead benchmark: the least a bot can do on the same XMPP library
 * and the same LLM endpoint. On each chat message: one plain HTTP request, one reply with the
 * text. No memory, no chat states, no SDK.
 *
 * Switches add, one at a time, what the agent must do beyond that floor, so that the bench
 * can tell what each costs on this machine:
 * - `composing`: send a `<composing/>` chat state before asking (the agent's typing
 *   notification), in a write of its own;
 * - `oneWrite` (with `composing`): send that chat state with the answer instead, in the
 *   answer's write: no use to a person (it comes when the answer does), but the same stanzas
 *   through one write instead of two, which tells what the second write costs;
 * - `sdk`: ask through `@anthropic-ai/sdk`, set up as the agent sets it up, instead of a plain
 *   fetch.
 *
 * Run as a child of the bench: `deno run --allow-net --allow-env --cert CERT floor_bot.ts`,
 * with `FLOOR_BOT` = JSON `{host, port, domain, user, password, llmUrl, composing?, oneWrite?,
 * sdk?}`.
 * Prints "ready" once online; stops on SIGTERM.
 *
 * @module
 */
import type Anthropic from "@anthropic-ai/sdk";
import { connectPeer, xml } from "./xmpp_peer.ts";

const config = JSON.parse(Deno.env.get("FLOOR_BOT") ?? "{}");
// Loaded only when asked for, so that the plain floor carries none of it.
const sdk = config.sdk
  ? new (await import("@anthropic-ai/sdk")).default({
    apiKey: "bench",
    baseURL: config.llmUrl,
    maxRetries: 0,
    timeout: 24 * 3600 * 1000,
    webhookKey: null,
    logLevel: "off",
    openTelemetry: false,
  })
  : undefined;

async function ask(text: string): Promise<string> {
  const request = { model: "bench", max_tokens: 1024, messages: [{ role: "user", content: text }] };
  if (sdk !== undefined) {
    const message = await sdk.messages.create(request as Anthropic.MessageCreateParamsNonStreaming);
    return message.content[0]?.type === "text" ? message.content[0].text : "";
  }
  const response = await fetch(`${config.llmUrl}/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": "bench" },
    body: JSON.stringify(request),
  });
  return (await response.json()).content?.[0]?.text ?? "";
}

const peer = await connectPeer({ ...config, resource: "floor" });
peer.onStanza(async (stanza) => {
  const body = stanza.getChildText("body");
  const from = stanza.attrs.from;
  if (!stanza.is("message") || stanza.attrs.type !== "chat" || body === null || !from) return;
  const composing = config.composing
    ? xml(
      "message",
      { to: from, type: "chat" },
      xml("composing", { xmlns: "http://jabber.org/protocol/chatstates" }),
    )
    : undefined;
  // Like the agent, a lost chat state is not worth failing the answer for.
  if (composing !== undefined && !config.oneWrite) peer.send(composing).catch(() => {});
  const answer = await ask(body);
  const reply = xml("message", { to: from, type: "chat" }, xml("body", {}, answer));
  if (composing !== undefined && config.oneWrite) await peer.sendMany([composing, reply]);
  else await peer.send(reply);
});
Deno.addSignalListener("SIGTERM", async () => {
  await peer.close();
  Deno.exit(0);
});
console.log("ready");
