/**
 * What the agent needs from attachment handling: download what a message points to, keep
 * the metadata for the history entry, and give the LLM content for what was received.
 *
 * @module
 */
import type { ContentBlock } from "../llm/mod.ts";
import type { Attachment } from "../memory/mod.ts";
import type { OobAttachment } from "../xmpp/mod.ts";

/** The outcome of receiving a message's attachments. */
export interface ReceivedAttachments {
  /** Metadata of the files saved, for the history entry. */
  stored: Attachment[];
  /** Content for the LLM: images, documents, text, or notes about refused downloads. */
  blocks: ContentBlock[];
  /** One short line per refused or failed download, told to the user. */
  failures: string[];
  /** The attachments not downloaded (their links stay in the user's message). */
  failed: OobAttachment[];
}

/** Receives attachments for a conversation; never throws for a refused or failed download. */
export interface AttachmentIntake {
  receive(jid: string, attachments: readonly OobAttachment[]): Promise<ReceivedAttachments>;
  /** Metadata of attachments that are not downloaded (name and type from the link). */
  describe(attachments: readonly OobAttachment[]): Attachment[];
}
