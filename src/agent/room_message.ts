/**
 * A message in one of the agent's rooms: stored (every one, addressed or not, with its
 * speaker), and answered when addressed to the agent (a mention, or every message where the
 * room says so) — a slash command, or an LLM turn with the tools and downloads the speaker's
 * rights allow. The agent's own messages, reflected by the room, map the room's stanza-id to
 * the agent's id; history the room replays on join is stored once, and never answered unless
 * the room says so.
 *
 * A message taken up after a restart is answered once: answered if it was not (killed between
 * storing and answering it), and if it was, its stored answer is sent again only when the room
 * had not reflected it back (the room may never have had it).
 *
 * @module
 */
import { parseCommandLine, type SessionRef } from "../commands/mod.ts";
import type { GroupchatEvent } from "../xmpp/mod.ts";
import type { Rights } from "./decide.ts";
import { handledPrefix } from "./handled_line.ts";
import { DEFAULT_MAX_MESSAGE_CHARS, refuseLongRoomMessage } from "./long_message.ts";
import { addressedText } from "./room_activation.ts";
import { sendAgain } from "./replay_progress.ts";
import { type RoomProgress, roomProgress } from "./room_progress.ts";
import { roomSituation } from "./room_transcript.ts";
import { type ReplyTarget, runTurn, storeIncoming, type TurnInput } from "./turn.ts";
import {
  type HandlerContext,
  runCommand,
  sessionOf,
  turnContext,
  withLinks,
} from "./_handler_context.ts";

/**
 * Handles one room message in the room's queue.
 *
 * @param event The room message.
 * @param speaker The speaker's real JID (when known) and rights.
 * @param context The handlers' collaborators.
 * @param receivedAt When the last run received it, for a message taken up after a restart.
 */
export async function handleRoomMessage(
  event: GroupchatEvent,
  speaker: { who: string | undefined; rights: Rights },
  context: HandlerContext,
  receivedAt?: string,
): Promise<void> {
  const { options, membership } = context;
  const session = sessionOf(event.room, event.thread);
  if (event.own) {
    // The room gives the agent's message its own stanza-id: remember the mapping so a
    // reaction to it (which names the stanza-id) finds the message.
    if (event.stanzaId !== undefined && event.originId !== undefined) {
      await storeIncoming(
        session,
        {
          type: "reflection",
          msg_id: event.originId,
          stanza_id: event.stanzaId,
        },
        options,
        { startSession: false },
      );
    }
    return;
  }
  const msgId = event.stanzaId ?? event.id ?? event.originId;
  const room = membership.room(event.room);
  const nick = membership.nick(event.room);
  const reply: ReplyTarget = {
    to: event.room,
    messageType: "groupchat",
    ...(event.thread === undefined ? {} : { thread: event.thread }),
  };
  // The inbox never keeps what the room replays (`delayed`): that is only looked for.
  if (receivedAt !== undefined && !event.delayed) {
    const message = { msgId, body: event.body, sender: `${event.nick}@muc` };
    const progress = await roomProgress(options.memory, session, message, receivedAt);
    if (progress.state !== "new") {
      return await resume(event, progress, { speaker, context, session, msgId, reply, nick });
    }
  } else if (event.delayed && msgId !== undefined && await seen(context, session, msgId)) {
    return;
  }
  const refused = await refuseLongRoomMessage(event, {
    session,
    msgId,
    ownNick: nick,
    activation: room.activation,
    maxChars: options.maxMessageChars ?? DEFAULT_MAX_MESSAGE_CHARS,
    context: options,
    send: (action) => options.xmpp.send(action),
  });
  if (refused) return;
  // A stranger's files are not fetched: noted by link, like in rooms without downloads.
  const download = room.downloadAttachments && speaker.rights.tools;
  const intake = event.attachments?.length && download
    ? await options.attachments?.receive(event.room, event.attachments)
    : undefined;
  const listed = event.attachments?.length && !download
    ? options.attachments?.describe(event.attachments)
    : undefined;
  const stored = intake?.stored.length ? intake.stored : listed;
  const entry = {
    type: "message" as const,
    role: "user" as const,
    content: withLinks(event.body, stored === undefined ? event.attachments : undefined),
    sender: `${event.nick}@muc`,
    ...(msgId === undefined ? {} : { msg_id: msgId }),
    ...(stored?.length ? { attachments: stored } : {}),
  };
  // Missed while away (history, the archive): stored, not answered, unless the room says so.
  if (event.delayed && room.answerMissed !== true) {
    await storeIncoming(session, entry, options, { startSession: false });
    return;
  }
  const { addressed, text } = addressedText(event.body, nick, room.activation);
  if (!addressed) {
    await storeIncoming(session, entry, options);
    return;
  }
  const line = parseCommandLine(text);
  if (line !== undefined) {
    await storeIncoming(session, entry, options);
    const handled = handledPrefix("groupchat", session, true);
    const { who: sender, rights } = speaker;
    await runCommand(context, line, { jid: event.room, sender, session, reply, rights, handled });
    return;
  }
  if (!speaker.rights.tools) {
    options.log.debug(`Answering ${event.from} in ${event.room} without tools`);
  }
  await answer(event, { speaker, context, session, msgId, reply, nick }, {
    entry,
    ...(intake?.blocks.length ? { attachments: intake.blocks } : {}),
  });
}

/** Where a room message is, who is behind it, and the agent's nick there. */
interface RoomMessageAt {
  speaker: { who: string | undefined; rights: Rights };
  context: HandlerContext;
  session: SessionRef;
  msgId: string | undefined;
  reply: ReplyTarget;
  nick: string;
}

/** Answers a room message through the LLM (`entry`: the message, when it is not stored yet). */
async function answer(
  event: GroupchatEvent,
  where: RoomMessageAt,
  extra: Pick<TurnInput, "entry" | "attachments">,
): Promise<void> {
  const { speaker, context, session, msgId, reply, nick } = where;
  await runTurn({
    conversation: session,
    promptJid: event.room,
    reply,
    kind: "groupchat",
    tools: speaker.rights.tools,
    ...(speaker.who === undefined ? {} : { sender: speaker.who }),
    ...extra,
    ...(msgId === undefined ? {} : { answering: msgId }),
    ownNick: nick,
    situation: roomSituation(event.room, nick),
  }, turnContext(context));
}

/** Finishes a room message the last run stored: answers it, or sends its answer again. */
async function resume(event: GroupchatEvent, progress: RoomProgress, at: RoomMessageAt) {
  const { context, session, reply, nick } = at;
  const { options, membership } = context;
  const handled = handledPrefix("groupchat", session, true);
  if (progress.state === "answered") {
    if (progress.unreflected.length === 0) return;
    sendAgain((action) => options.xmpp.send(action), reply, progress.unreflected);
    options.log.info(`${handled}: answered before the restart, the answer sent again`);
    return;
  }
  const { addressed, text } = addressedText(
    event.body,
    nick,
    membership.room(event.room).activation,
  );
  // Only stored, a command (its answer is not stored: whether it ran is not known, and it is
  // not run twice), or refused as too long: nothing left to do.
  const maxChars = options.maxMessageChars ?? DEFAULT_MAX_MESSAGE_CHARS;
  if (!addressed || parseCommandLine(text) !== undefined || event.body.length > maxChars) return;
  options.log.info(`${handled}: received before the restart, answering it now`);
  await answer(event, at, {});
}

/** Whether a message id is already in the session (history the room replays on rejoin). */
async function seen(context: HandlerContext, session: SessionRef, id: string): Promise<boolean> {
  const entries = await context.options.memory.recent(session, 200, { include: "all" });
  return entries.some((entry) => (entry as { msg_id?: unknown }).msg_id === id);
}
