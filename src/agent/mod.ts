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
export type { AgentInbox, AgentOptions, AgentXmpp } from "./agent_options.ts";
export type { AgentEvent, InboxEvent, ScheduleEvent, WebhookEvent } from "./events.ts";
export type { Rights } from "./decide.ts";
export type { MembershipOptions, RoomSettings } from "./membership.ts";
export { checkSender } from "./policy.ts";
export type { PolicyDecision, PolicyRules } from "./policy.ts";
export { buildSystemPrompt, currentTimeNote } from "./system_prompt.ts";
export { runTurn, userFacingError } from "./turn.ts";
export type { TurnContext, TurnMemory } from "./turn.ts";
export type { TurnPersona } from "./turn_persona.ts";
export { toolSet } from "./tool_set.ts";
export { SEND_FILE_TOOL, sendFileTool } from "./send_file_tool.ts";
export type { SendFileOptions } from "./send_file_tool.ts";
export { withSkillFiles } from "./skill_files.ts";
export type { ToolCall, ToolContext, ToolResult, ToolRunner } from "./turn.ts";
export { UNTRUSTED_CONTENT_NOTICE } from "./turn.ts";
export { streamRepliesFor } from "./streamed_reply.ts";
export type { StreamReplies } from "./streamed_reply.ts";
