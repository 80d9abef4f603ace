/**
 * What a download of an attachment produced, as the agent stores and shows it.
 *
 * @module
 */

/** An attachment as the XMPP layer reports it (XEP-0066 out-of-band data). */
export interface IncomingAttachment {
  url: string;
  /** The sender's description, when given. */
  description?: string;
}

/** A file saved in the conversation's files folder. */
export interface DownloadedAttachment {
  ok: true;
  /** The URL the user sent. */
  url: string;
  /** Absolute path of the saved file: `{files dir}/{uuid}_{filename}`. */
  path: string;
  /** The sanitised name from the URL, as shown to people and the LLM. */
  filename: string;
  /** The decided media type, e.g. `"image/png"`. */
  mime_type: string;
  /** Size in bytes. */
  size: number;
  /** The sender's description, when given. */
  description?: string;
}

/** An attachment that was refused or could not be downloaded. */
export interface FailedAttachment {
  ok: false;
  /** The URL the user sent. */
  url: string;
  /** A short sentence for the user and the LLM, e.g. `"larger than the 25 MiB limit"`. */
  reason: string;
  /** The sender's description, when given. */
  description?: string;
}

/** The outcome of one download. */
export type AttachmentResult = DownloadedAttachment | FailedAttachment;
