/**
 * Downloads the files users send (XEP-0066 out-of-band URLs) into the conversation's files
 * folder, under the network policy, and shows them to the LLM.
 *
 * @module
 */
import { isAbsolute, join, resolve } from "node:path";
import type { ContentBlock } from "../llm/mod.ts";
import { errorMessage } from "../log/mod.ts";
import {
  BlockedUrlError,
  type Connector,
  type PolicyConfigKeys,
  type Resolver,
  safeFetch,
  SafeFetchError,
} from "../net/mod.ts";
import { KeyedSemaphore, Semaphore } from "./_semaphore.ts";
import { type AttachmentFs, denoAttachmentFs } from "./attachment_fs.ts";
import type { AttachmentResult, IncomingAttachment } from "./attachment_result.ts";
import { attachmentToBlocks, bytesToShow } from "./attachment_to_blocks.ts";
import { detectMimeType } from "./mime_type.ts";
import { filenameFromUrl } from "./sanitise_filename.ts";

/** Options of {@linkcode AttachmentDownloader}. */
export interface AttachmentDownloaderOptions {
  /**
   * Hosts files may come from: `"host"`, `"host:port"` or `"*.domain"`. See
   * `defaultAttachmentHosts()` for the usual list.
   */
  allowedHosts: readonly string[];
  /** Accept private, loopback and link-local hosts, and plain http to them. @default {false} */
  allowPrivateHosts?: boolean;
  /** Largest file accepted, in bytes. @default {26214400} (25 MiB) */
  maxBytes?: number;
  /** Time to wait for each response's headers. @default {10000} */
  connectTimeoutMs?: number;
  /**
   * Time one download may take in all, from the moment it is asked for: waiting for a free
   * slot counts, so a slow server cannot keep a file queued for longer. @default {60000}
   */
  totalTimeoutMs?: number;
  /** Downloads running at once across all conversations; others wait. @default {3} */
  maxConcurrent?: number;
  /**
   * Downloads running at once from one server (host and port): below `maxConcurrent`, so a
   * slow server always leaves a slot for the others. @default {2}
   */
  maxPerHost?: number;
  /** Downloads running at once for one conversation. @default {2} */
  maxPerConversation?: number;
  /** Extra root certificates (PEM) trusted for https. @default {the system's} */
  caCerts?: string[];
  /** Opens each connection (tests). @default {denoConnect} */
  connect?: Connector;
  /** Resolves host names for the address check. @default {denoResolve} */
  resolve?: Resolver;
  /** File operations. @default {denoAttachmentFs} */
  fs?: AttachmentFs;
  /** Makes the unique prefix of saved names. @default {crypto.randomUUID} */
  randomId?: () => string;
  /** Config keys named in refusals. @default {the `attachments.*` keys} */
  configKeys?: PolicyConfigKeys;
}

/** Options of {@linkcode AttachmentDownloader.download}. */
export interface DownloadOptions {
  /** Cancels the download. @default {none} */
  signal?: AbortSignal;
  /** Whose download it is, for the per-conversation limit. @default {the files folder} */
  conversation?: string;
}

/**
 * Downloads attachments into files folders, at most `maxConcurrent` at a time, `maxPerHost`
 * from one server and `maxPerConversation` for one conversation, each within its deadline, and
 * turns them into LLM content blocks.
 *
 * @example
 * ```ts
 * const downloader = new AttachmentDownloader({ allowedHosts: defaultAttachmentHosts("example.org") });
 * const result = await downloader.download("/srv/data/memory/alice@example.org/files", { url });
 * const blocks = await downloader.toBlocks(result);
 * ```
 */
export class AttachmentDownloader {
  #options: AttachmentDownloaderOptions;
  #fs: AttachmentFs;
  #slots: Semaphore;
  #perHost: KeyedSemaphore;
  #perConversation: KeyedSemaphore;

  /**
   * @param options The allowed hosts, limits and the injected I/O.
   * @throws {RangeError} When a concurrency limit is not a positive integer.
   */
  constructor(options: AttachmentDownloaderOptions) {
    this.#options = options;
    this.#fs = options.fs ?? denoAttachmentFs;
    this.#slots = new Semaphore(options.maxConcurrent ?? 3);
    this.#perHost = new KeyedSemaphore(options.maxPerHost ?? 2);
    this.#perConversation = new KeyedSemaphore(options.maxPerConversation ?? 2);
  }

  /**
   * Downloads one attachment to `{filesDir}/{uuid}_{name}`, `name` being the sanitised last
   * segment of the URL's path. Never throws for a refused or failed download: the result says
   * why, in words meant for the user and the LLM, and no partial file is left behind.
   *
   * @param filesDir The conversation's files folder, absolute; created when missing.
   * @param attachment The URL and description the user sent.
   * @param options A signal to cancel it.
   * @returns Where the file is and what it is, or why there is none.
   * @throws {TypeError} When `filesDir` is not absolute.
   */
  download(
    filesDir: string,
    attachment: IncomingAttachment,
    options: DownloadOptions = {},
  ): Promise<AttachmentResult> {
    if (!isAbsolute(filesDir)) throw new TypeError(`Files folder must be absolute: "${filesDir}"`);
    return this.#queued(resolve(filesDir), attachment, options);
  }

  async #queued(
    filesDir: string,
    attachment: IncomingAttachment,
    options: DownloadOptions,
  ): Promise<AttachmentResult> {
    const totalMs = this.#options.totalTimeoutMs ?? 60_000;
    const deadline = AbortSignal.timeout(totalMs);
    const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
    const started = Date.now();
    const releases: (() => void)[] = [];
    try {
      // Always in this order (conversation, host, all), so no two downloads wait on each other.
      releases.push(await this.#perConversation.acquire(options.conversation ?? filesDir, signal));
      releases.push(await this.#perHost.acquire(hostKey(attachment.url), signal));
      releases.push(await this.#slots.acquire(signal));
    } catch {
      releases.forEach((release) => release());
      const reason = deadline.aborted
        ? `no download slot was free within ${totalMs / 1000} s (other downloads were running)`
        : "cancelled";
      return { ok: false, url: attachment.url, reason, ...describedOf(attachment) };
    }
    try {
      const left = Math.max(1, totalMs - (Date.now() - started));
      // The caller's signal only: the download's own timer ends it at the deadline, and says so.
      return await this.#download(filesDir, attachment, options, { left, totalMs });
    } finally {
      releases.reverse().forEach((release) => release());
    }
  }

  /**
   * Content blocks that show a download's result to the LLM (see `attachmentToBlocks()`),
   * reading from the saved file only what is shown.
   *
   * @param result What {@linkcode AttachmentDownloader.download} returned.
   * @returns The blocks; a note when the file cannot be read any more.
   */
  async toBlocks(result: AttachmentResult): Promise<ContentBlock[]> {
    const wanted = bytesToShow(result);
    if (!result.ok || wanted === 0) return attachmentToBlocks(result);
    try {
      return attachmentToBlocks(result, await this.#fs.readHead(result.path, wanted));
    } catch (error) {
      const detail = errorMessage(error);
      const reason = `it was saved but cannot be read: ${detail}`;
      return attachmentToBlocks({ ok: false, url: result.url, reason });
    }
  }

  async #download(
    filesDir: string,
    attachment: IncomingAttachment,
    options: DownloadOptions,
    time: { left: number; totalMs: number },
  ): Promise<AttachmentResult> {
    const described = describedOf(attachment);
    const filename = filenameFromUrl(attachment.url);
    const id = this.#options.randomId?.() ?? crypto.randomUUID();
    const path = join(filesDir, `${id}_${filename}`);
    if (resolve(path, "..") !== filesDir) {
      return { ok: false, url: attachment.url, reason: "unsafe file name", ...described };
    }
    try {
      await this.#fs.mkdir(filesDir);
      const fetched = await safeFetch(attachment.url, {
        allowedHosts: this.#options.allowedHosts,
        allowPrivate: this.#options.allowPrivateHosts ?? false,
        maxBytes: this.#options.maxBytes ?? 25 * 1024 * 1024,
        connectTimeoutMs: this.#options.connectTimeoutMs ?? 10_000,
        totalTimeoutMs: time.left,
        configKeys: this.#options.configKeys ?? {
          allowPrivate: "attachments.allow_private_hosts",
          allowedHosts: "attachments.hosts",
        },
        writeTo: path,
        files: this.#fs,
        ...(this.#options.caCerts ? { caCerts: this.#options.caCerts } : {}),
        ...(this.#options.connect ? { connect: this.#options.connect } : {}),
        ...(this.#options.resolve ? { resolve: this.#options.resolve } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const mime_type = detectMimeType({
        contentType: fetched.contentType,
        filename,
        head: fetched.head,
      });
      return {
        ok: true,
        url: attachment.url,
        path,
        filename,
        mime_type,
        size: fetched.size,
        ...described,
      };
    } catch (error) {
      // What waiting for a slot left is the fetch's own limit; the person hears of the whole.
      const whole = error instanceof SafeFetchError && error.code === "timeout" &&
        error.reason.startsWith("took longer than");
      const reason = whole
        ? `took longer than ${time.totalMs} ms`
        : reasonOf(attachment.url, error);
      return { ok: false, url: attachment.url, reason, ...described };
    }
  }
}

function describedOf(attachment: IncomingAttachment): { description?: string } {
  return attachment.description === undefined ? {} : { description: attachment.description };
}

/** The server a download goes to first: host and port, as the limits count them. */
function hostKey(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname.toLowerCase()}:${
      parsed.port || (parsed.protocol === "http:" ? 80 : 443)
    }`;
  } catch {
    return url;
  }
}

function reasonOf(url: string, error: unknown): string {
  if (error instanceof BlockedUrlError) {
    const hint = error.hint === undefined ? "" : ` (${error.hint})`;
    const where = error.url === url ? "refused" : `redirect to "${error.url}" refused`;
    return `${where}: ${error.reason}${hint}`;
  }
  if (error instanceof SafeFetchError) {
    return error.code === "status" ? `the server answered ${error.reason}` : error.reason;
  }
  return errorMessage(error);
}
