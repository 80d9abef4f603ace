/**
 * The XMPP layer: client and component connections, rooms, JIDs, stanza parsing and
 * building. The only folder that knows XML; the rest of the agent sees typed events and
 * actions.
 *
 * Who owns what, across disconnections:
 * - **Reconnecting** is the session's (`_session.ts`): backoff, fatal errors, and the
 *   choice between resuming and starting anew. xmpp.js only runs one stream at a time: the
 *   client is assembled from its parts without its reconnect loop or its stream management
 *   (`_xmpp_client.ts`), and the component's reconnect loop is stopped.
 * - **Stream management** (XEP-0198) is `_stream_manager.ts`: enabled after resource
 *   binding and before the stream is reported online, so nothing the agent sends precedes
 *   `<enable/>`; a stanza is counted once the agent has seen it; a broken session is
 *   resumed within the server's window, and only a failed resumption starts a new session.
 *   Its state outlives the streams: one library entity per connection attempt is enough.
 * - **Outbound stanzas** have one queue (`_outbound_queue.ts`): what waits for a stream,
 *   then what was written and not yet acknowledged. After a resumption the server's `h`
 *   says what to write again; after a failed one the unacknowledged messages go again
 *   (chat states, presences and IQs do not: the new session makes its own).
 *
 * @module
 */
export type { CommandDirectory, OfferedCommand } from "./adhoc_commands.ts";
export { AgentProfile } from "./agent_profile.ts";
export { UploadError } from "./file_upload.ts";
export type { UploadFile } from "./file_upload.ts";
export { type Avatar, MAX_AVATAR_BYTES, readAvatar } from "./avatar.ts";
export type { AgentProfileOptions } from "./agent_profile.ts";
export { Backoff } from "./backoff.ts";
export type { BackoffOptions } from "./backoff.ts";
export { ClientConnection } from "./client_connection.ts";
export type { ClientConnectionOptions } from "./client_connection.ts";
export { ComponentConnection } from "./component_connection.ts";
export type { ComponentConnectionOptions } from "./component_connection.ts";
export type {
  AcknowledgeAction,
  AnnounceAction,
  ContactPresenceEvent,
  EncryptionMethod,
  GroupchatEvent,
  InviteEvent,
  JoinRoomAction,
  LeaveRoomAction,
  MessageEvent,
  NewRoomConfig,
  OfflineEvent,
  OnlineEvent,
  OobAttachment,
  PresenceAction,
  ProbeEvent,
  RawAction,
  ReactAction,
  ReactionEvent,
  RoomJoinedEvent,
  RoomLeftEvent,
  RoomOccupant,
  SendChatStateAction,
  SendMessageAction,
  SubscribeEvent,
  UnsubscribeEvent,
  XmppAction,
  XmppEvent,
} from "./events.ts";
export { bareJid, parseJid } from "../jid/mod.ts";
export type { Jid } from "../jid/mod.ts";
export { RoomRegistry } from "./muc_rooms.ts";
export type { RoomRegistryOptions, RoomStatus, RoomTimers } from "./muc_rooms.ts";
export { parseRawStanza, validateRawStanza } from "./raw_stanza.ts";
export { isSubscribedTo } from "./rfc6121_roster.ts";
export type { RosterItem } from "./rfc6121_roster.ts";
export type { ChatState } from "./xep_0085_chat_states.ts";
export { XmppFatalError } from "./xmpp_fatal_error.ts";
export { MESSAGE_FEATURES } from "./features.ts";
export { markdownToStyling, NS_STYLING } from "./xep_0393_message_styling.ts";
export { parseXml } from "./_xml.ts";
