/**
 * The agent: policy, per-conversation queues, turns and prompt assembly. Knows events and
 * actions, not XML and not SDK formats.
 *
 * @module
 */
export { Agent } from "./agent.ts";
export { RoomBook } from "./room_book.ts";
export type { BookedRoom } from "./room_book.ts";
export { ContactBook } from "./contact_book.ts";
export type { BookedContact } from "./contact_book.ts";
export type { BookStorage } from "./json_book.ts";
export type { AttachmentIntake, ReceivedAttachments } from "./attachment_intake.ts";
export type { AgentInbox, AgentOptions, AgentXmpp } from "./agent.ts";
export type { AgentEvent, InboxEvent, ScheduleEvent, WebhookEvent } from "./events.ts";
export type { Rights } from "./decide.ts";
export type { MembershipOptions, RoomSettings } from "./membership.ts";
export { checkSender } from "./policy.ts";
export type { PolicyDecision, PolicyRules } from "./policy.ts";
export { buildSystemPrompt } from "./system_prompt.ts";
export { runTurn, userFacingError } from "./turn.ts";
export type { TurnContext, TurnMemory } from "./turn.ts";
export { toolSet } from "./tool_set.ts";
export { streamRepliesFor } from "./streamed_reply.ts";
export type { StreamReplies } from "./streamed_reply.ts";
export type { ToolContext, ToolRunner } from "./turn.ts";
