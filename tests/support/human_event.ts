/**
 * What the test human (tests/support/human.py) reports, one JSON object per stdout line.
 *
 * @module
 */

/** XEP-0085 chat states. */
export type ChatState = "active" | "composing" | "paused" | "inactive" | "gone";

/** RFC 6121 message types. */
export type MessageType = "chat" | "normal" | "groupchat" | "headline" | "error";

/** A `<message/>` the human received (chat-state-only and error messages included). */
export interface HumanMessage {
  kind: "message";
  from: string;
  to: string;
  type: MessageType;
  id?: string;
  body?: string;
  subject?: string;
  thread?: string;
  chatState?: ChatState;
  /** The id a XEP-0184 `<received/>` receipt acknowledges. */
  receipt?: string;
  /** XEP-0333 markers carried, by name: the id each marks. */
  markers?: { received?: string; displayed?: string; acknowledged?: string };
  /** Set when the message is markable (XEP-0333). */
  markable?: true;
  /** The id a XEP-0308 correction replaces. */
  replace?: string;
  /** The XEP-0461 reply reference. */
  reply?: { to?: string; id?: string };
  /** The XEP-0428 fallback quote of a reply, and the body without it. */
  replyFallback?: string;
  bodyWithoutFallback?: string;
  /** XEP-0444 reactions: the message reacted to and the full set of emojis. */
  reactions?: { id: string; emojis: string[] };
  /** The whole stanza as received. */
  xml: string;
}

/** A `<presence/>` the human received that is not about subscriptions. */
export interface HumanPresence {
  kind: "presence";
  from: string;
  to: string;
  /** `"available"` when the stanza had no type. */
  type: "available" | "unavailable" | "error" | "probe";
  show?: string;
  status?: string;
  xml: string;
}

/** A subscription request or answer (RFC 6121 §3). */
export interface HumanSubscription {
  kind: "subscribe" | "subscribed" | "unsubscribe" | "unsubscribed";
  from: string;
  to: string;
  xml: string;
}

/** The session started: roster fetched and initial presence sent. */
export interface HumanReady {
  kind: "ready";
  /** The bound full JID. */
  jid: string;
}

/** The stream ended (server stopped or restarted, or the human closed). */
export interface HumanDisconnected {
  kind: "disconnected";
  reason?: string;
}

/** Login or connection failed. */
export interface HumanFailed {
  kind: "failed";
  error: string;
}

/** Everything kept in `Human.events`. */
export type HumanEvent =
  | HumanMessage
  | HumanPresence
  | HumanSubscription
  | HumanReady
  | HumanDisconnected
  | HumanFailed;

/** The answer to an IQ the human sent. */
export interface IqReply {
  type: "result" | "error";
  from: string;
  id: string;
  xml: string;
  /** Disco#info features (XEP-0030), when the reply carries a disco#info query. */
  features?: string[];
  /** Disco#info identities. */
  identities?: { category: string; type: string; name?: string }[];
  /** Software version name (XEP-0092). */
  name?: string;
  version?: string;
  os?: string;
  /** The defined condition of an error reply, e.g. `"service-unavailable"`. */
  error?: string;
}

/** One roster item (RFC 6121 §2). */
export interface RosterItem {
  jid: string;
  subscription: "none" | "to" | "from" | "both" | "remove";
  name?: string;
  ask?: "subscribe";
}

/**
 * Compares JIDs the way a test means it: `from` may be bare (matches any resource) or full.
 *
 * @param jid The JID seen on a stanza.
 * @param wanted The JID the test asked about.
 */
export function jidMatches(jid: string, wanted: string): boolean {
  const a = jid.toLowerCase();
  const b = wanted.toLowerCase();
  return a === b || (!b.includes("/") && a.split("/")[0] === b);
}

/** One line describing an event, for error messages. */
export function describeEvent(event: HumanEvent): string {
  switch (event.kind) {
    case "message": {
      const extra = [
        event.body === undefined ? undefined : `body=${JSON.stringify(event.body)}`,
        event.chatState === undefined ? undefined : `state=${event.chatState}`,
      ].filter((part) => part !== undefined).join(" ");
      return `message ${event.type} from ${event.from} ${extra}`.trim();
    }
    case "presence":
      return `presence ${event.type} from ${event.from}${event.show ? ` show=${event.show}` : ""}`;
    case "ready":
      return `ready as ${event.jid}`;
    case "disconnected":
      return `disconnected${event.reason ? ` (${event.reason})` : ""}`;
    case "failed":
      return `failed: ${event.error}`;
    default:
      return `${event.kind} from ${event.from}`;
  }
}
