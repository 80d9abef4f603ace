/**
 * What reaches the agent: one union, whatever its source. The XMPP layer's events (messages,
 * room messages, reactions, presence, invitations, the session's state) are members as the
 * XMPP layer reports them; webhook deliveries and schedule firings join them here. Every
 * event goes through the one router (router.ts): one policy decision, the conversation's
 * queue, one handler per kind.
 *
 * @module
 */
import type { ScheduleFiring } from "../scheduler/mod.ts";
import type { GroupchatEvent, MessageEvent, XmppEvent } from "../xmpp/mod.ts";

/** A webhook delivery for a conversation (`[[webhooks.routes]]`), already on disk. */
export interface WebhookEvent {
  type: "webhook";
  /** The event's id (the one the listener answered with). */
  id: string;
  /** The sender's own id for the delivery, the same on every retry, when it gave one. */
  deliveryId?: string;
  /** The route's path, e.g. `/hooks/ci`: the label of the untrusted payload. */
  route: string;
  /** The conversation: an allowed bare JID or a configured room. */
  to: string;
  /** `agent`: an LLM turn with `instructions` over `payload`; `notify`: `text` is sent. */
  mode: "agent" | "notify";
  /** Agent mode: the route's instructions (the operator's words). */
  instructions?: string;
  /** Agent mode: the payload as the LLM sees it, already labelled as untrusted content. */
  payload?: string;
  /** Notify mode: the rendered template. */
  text?: string;
  /** When it arrived (ISO 8601). */
  receivedAt: string;
}

/**
 * A scheduled task's turn in its conversation, as the scheduler hands it over (plain data:
 * it goes into the inbox as is).
 */
export type ScheduleEvent = ScheduleFiring;

/** An allowed contact came online (`[proactive] greet_on_login`): the agent may greet them. */
export interface GreetingEvent {
  type: "greeting";
  /** The contact's bare JID: the conversation. */
  to: string;
  /** The resource that came online, where the greeting goes. */
  from: string;
}

/**
 * A command run from a client's command menu (XEP-0050 ad-hoc commands): a slash command
 * whose answer goes back to `answer`, not as a message.
 */
export interface AdhocEvent {
  type: "adhoc";
  /** The requester's full JID. */
  from: string;
  /** Its bare JID: the conversation. */
  bare: string;
  /** The command's name (its node). */
  node: string;
  /** What follows the name. */
  args: string;
  /** Takes the command's answer. */
  answer: (text: string) => void;
}

/** Everything the agent handles. */
export type AgentEvent = XmppEvent | WebhookEvent | ScheduleEvent | GreetingEvent | AdhocEvent;

/** The events written to the inbox before they wait, and taken up after a restart. */
export type InboxEvent = MessageEvent | GroupchatEvent | WebhookEvent | ScheduleEvent;

/** Whether an event is one the inbox keeps. */
export function isInboxEvent(event: AgentEvent): event is InboxEvent {
  return event.type === "message" || event.type === "groupchat" || event.type === "webhook" ||
    event.type === "schedule";
}
