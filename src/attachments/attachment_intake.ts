/**
 * Receives a message's attachments for a conversation: downloads each into the
 * conversation's `files/` folder, keeps the metadata for the history entry, and gives the
 * LLM content for what arrived (and a note for what did not).
 *
 * @module
 */
import type { ContentBlock } from "../llm/mod.ts";
import type { Attachment } from "../memory/mod.ts";
import type { AttachmentDownloader } from "./attachment_downloader.ts";
import type { IncomingAttachment } from "./attachment_result.ts";
import { mimeTypeFromFilename } from "./mime_type.ts";
import { filenameFromUrl } from "./sanitise_filename.ts";

/** What {@linkcode AttachmentIntake.receive} returns. */
export interface ReceivedAttachments {
  /** Metadata of the files saved, for the history entry. */
  stored: Attachment[];
  /** Content for the LLM: images, documents, text, or notes about refused downloads. */
  blocks: ContentBlock[];
  /** One short line per download that was refused or failed, for the user. */
  failures: string[];
  /** The attachments not downloaded (their links stay in the user's message). */
  failed: IncomingAttachment[];
}

/**
 * Downloads attachments for conversations.
 *
 * @example
 * ```ts
 * const intake = new AttachmentIntake(downloader, (jid) => `/data/memory/${jid}/files`);
 * const { blocks } = await intake.receive("alice@example.org", [{ url: "https://upload.example.org/a.png" }]);
 * ```
 */
export class AttachmentIntake {
  #downloader: AttachmentDownloader;
  #filesDir: (jid: string) => string;

  /**
   * @param downloader Does the downloads (limits, allowed hosts, address policy).
   * @param filesDir The absolute `files/` folder of a conversation (validated by the caller).
   */
  constructor(downloader: AttachmentDownloader, filesDir: (jid: string) => string) {
    this.#downloader = downloader;
    this.#filesDir = filesDir;
  }

  /**
   * Metadata of attachments that are not downloaded (rooms without
   * `download_attachments`): the name and type the link suggests, the size unknown.
   */
  describe(attachments: readonly IncomingAttachment[]): Attachment[] {
    return attachments.map(({ url }) => {
      const filename = filenameFromUrl(url);
      return {
        filename,
        mime_type: mimeTypeFromFilename(filename) ?? "application/octet-stream",
        size: "unknown",
        url,
      };
    });
  }

  /** Downloads every attachment (at most a few at once); never throws for a failed one. */
  async receive(
    jid: string,
    attachments: readonly IncomingAttachment[],
  ): Promise<ReceivedAttachments> {
    const dir = this.#filesDir(jid);
    const results = await Promise.all(
      attachments.map((attachment) =>
        this.#downloader.download(dir, attachment, { conversation: jid })
      ),
    );
    const received: ReceivedAttachments = { stored: [], blocks: [], failures: [], failed: [] };
    for (const [index, result] of results.entries()) {
      received.blocks.push(...await this.#downloader.toBlocks(result));
      if (result.ok) {
        received.stored.push({
          filename: result.filename,
          mime_type: result.mime_type,
          size: String(result.size),
        });
      } else {
        received.failures.push(`Could not fetch ${result.url}: ${result.reason}`);
        received.failed.push(attachments[index]!);
      }
    }
    return received;
  }
}
