/**
 * Attachments: the files users send by URL (XEP-0066), downloaded into the conversation's
 * `files/` folder under the network policy of `src/net`, and shown to the LLM as image,
 * document or text blocks.
 *
 * @module
 */

export { AttachmentDownloader } from "./attachment_downloader.ts";
export type { AttachmentDownloaderOptions, DownloadOptions } from "./attachment_downloader.ts";
export type {
  AttachmentResult,
  DownloadedAttachment,
  FailedAttachment,
  IncomingAttachment,
} from "./attachment_result.ts";
export {
  attachmentToBlocks,
  bytesToShow,
  MAX_DOCUMENT_BYTES,
  MAX_IMAGE_BYTES,
  MAX_TEXT_BYTES,
} from "./attachment_to_blocks.ts";
export { defaultAttachmentHosts } from "./default_attachment_hosts.ts";
export { detectMimeType, isTextual, mimeTypeFromFilename, sniffMimeType } from "./mime_type.ts";
export type { MimeTypeEvidence } from "./mime_type.ts";
export { filenameFromUrl, sanitiseFilename } from "./sanitise_filename.ts";
export type { SanitiseFilenameOptions } from "./sanitise_filename.ts";
export { denoAttachmentFs } from "./attachment_fs.ts";
export type { AttachmentFs } from "./attachment_fs.ts";
export { AttachmentIntake } from "./attachment_intake.ts";
export type { ReceivedAttachments } from "./attachment_intake.ts";
