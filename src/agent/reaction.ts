/**
 * A reaction (XEP-0444) to one of the conversation's messages: always stored, so the next
 * turn shows it; answered through the LLM only where `agent.respond_to_reactions` says so.
 *
 * @module
 */
import type { ReactionEvent } from "../xmpp/mod.ts";
import type { Rights } from "./decide.ts";
import { roomSituation } from "./room_transcript.ts";
import { runTurn, storeIncoming } from "./turn.ts";
import { type HandlerContext, turnContext } from "./_handler_context.ts";

/**
 * Handles one reaction in its conversation's queue.
 *
 * @param event The reaction.
 * @param key Its conversation: the sender's bare JID, or the room.
 * @param rights What the sender may do.
 * @param context The handlers' collaborators.
 */
export async function handleReaction(
  event: ReactionEvent,
  key: string,
  rights: Rights,
  context: HandlerContext,
): Promise<void> {
  const { options, membership } = context;
  const entry = {
    type: "message" as const,
    role: "user" as const,
    content: event.emojis.join(" "),
    reaction: { message_id: event.messageId, emojis: event.emojis },
    ...(event.nick === undefined ? {} : { sender: `${event.nick}@muc` }),
  };
  if (!options.respondToReactions) {
    await storeIncoming(key, entry, options);
    return;
  }
  await runTurn({
    conversation: key,
    promptJid: key,
    kind: "reaction",
    entry,
    reply: event.room === undefined
      ? { to: event.from, messageType: "chat", ...membership.from(event.to) }
      : { to: event.room, messageType: "groupchat" },
    tools: rights.tools,
    ...(event.room === undefined ? {} : {
      ownNick: membership.nick(event.room),
      situation: roomSituation(event.room, membership.nick(event.room)),
    }),
  }, turnContext(context));
}
