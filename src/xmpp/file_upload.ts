/**
 * Sending a file through the server's HTTP upload service (XEP-0363), client mode: the
 * service is found through disco#items of the server's domain, its size limit read from its
 * disco#info, a slot asked for, and the file PUT where the slot says — only when that host is
 * one the agent may reach (`[upload] host`, else the domain and its usual upload names).
 *
 * @module
 */
import type { Logger } from "../log/mod.ts";
import { buildDiscoInfoQuery } from "./xep_0030_disco.ts";
import { NS_DISCO_ITEMS } from "./xep_0050_commands.ts";
import {
  buildSlotRequest,
  NS_HTTP_UPLOAD,
  parseSlot,
  parseUploadService,
} from "./xep_0363_http_upload.ts";
import { errorText } from "./_socket_util.ts";
import { xml, type XmlElement } from "./_xml.ts";
import type { XmppJsEntity } from "./_xmpp_client.ts";

/** A file to send. */
export interface UploadFile {
  name: string;
  bytes: Uint8Array;
  type: string;
}

/** Why a file could not be sent; its message is for the person (and the LLM) to read. */
export class UploadError extends Error {
  override name = "UploadError";
}

/** Options for {@linkcode FileUploader}. */
export interface FileUploaderOptions {
  /** The server's domain, whose items are searched for the service. */
  domain: string;
  /**
   * Where files may be PUT: `host` (any port) or `host:port` entries, lower case.
   */
  allowedHosts: readonly string[];
  logger: Logger;
  /** @default {globalThis.fetch} */
  fetch?: typeof fetch;
}

interface Service {
  jid: string;
  maxBytes?: number;
}

/** Uploads files for one client connection. */
export class FileUploader {
  #options: FileUploaderOptions;
  #service: Promise<Service | undefined> | undefined;

  constructor(options: FileUploaderOptions) {
    this.#options = options;
  }

  /** Forgets the service found (a new session may find another). */
  reset(): void {
    this.#service = undefined;
  }

  /**
   * Uploads a file and returns the URL others can fetch it from.
   *
   * @throws {UploadError} With a sentence that says why (no service, too large, a host not
   *   permitted, the service refused it).
   */
  async upload(entity: XmppJsEntity, file: UploadFile): Promise<string> {
    const service = await (this.#service ??= this.#discover(entity).catch((error) => {
      this.#service = undefined;
      throw new UploadError(`Could not look for an upload service: ${errorText(error)}`);
    }));
    if (service === undefined) {
      throw new UploadError(
        `The server ${this.#options.domain} offers no file upload service (XEP-0363), ` +
          "so files cannot be sent",
      );
    }
    const size = file.bytes.length;
    if (service.maxBytes !== undefined && size > service.maxBytes) {
      throw new UploadError(
        `The file "${file.name}" has ${size} bytes; the server's upload service takes at ` +
          `most ${service.maxBytes}`,
      );
    }
    let reply: XmlElement;
    try {
      reply = await entity.iqCaller.request(
        xml(
          "iq",
          { type: "get", to: service.jid, id: crypto.randomUUID() },
          buildSlotRequest({ name: file.name, size, type: file.type }),
        ),
        30_000,
      );
    } catch (error) {
      throw new UploadError(`The upload service refused the file: ${errorText(error)}`);
    }
    let slot;
    try {
      slot = parseSlot(reply);
    } catch (error) {
      throw new UploadError(errorText(error));
    }
    const host = this.#allowed(slot.put);
    if (host !== undefined) {
      throw new UploadError(
        `The upload service wants the file at ${host}, which the agent may not reach: ` +
          "set [upload] host to it",
      );
    }
    let response: Response;
    try {
      response = await (this.#options.fetch ?? fetch)(slot.put, {
        method: "PUT",
        headers: { ...slot.headers, "content-type": file.type },
        body: file.bytes as Uint8Array<ArrayBuffer>,
      });
      await response.body?.cancel();
    } catch (error) {
      throw new UploadError(`Could not upload the file: ${errorText(error)}`);
    }
    if (!response.ok) {
      throw new UploadError(`The upload service refused the file (HTTP ${response.status})`);
    }
    this.#options.logger.info(`Uploaded "${file.name}" (${size} bytes) to ${service.jid}`);
    return slot.get;
  }

  /** The host of `url` when it is not allowed, else `undefined`. */
  #allowed(url: string): string | undefined {
    const parsed = new URL(url);
    const port = parsed.port || (parsed.protocol === "https:" ? "443" : "80");
    const name = parsed.hostname.toLowerCase();
    const hosts = this.#options.allowedHosts;
    return hosts.includes(name) || hosts.includes(`${name}:${port}`)
      ? undefined
      : `${name}:${port}`;
  }

  async #discover(entity: XmppJsEntity): Promise<Service | undefined> {
    const { domain } = this.#options;
    const items = await entity.iqCaller.request(
      xml(
        "iq",
        { type: "get", to: domain, id: crypto.randomUUID() },
        xml("query", {
          xmlns: NS_DISCO_ITEMS,
        }),
      ),
      15_000,
    );
    const jids = (items.getChild("query", NS_DISCO_ITEMS)?.getChildren("item") ?? [])
      .map((item) => item.attrs.jid).filter((jid): jid is string => jid !== undefined);
    for (const jid of [...jids, domain]) {
      try {
        const info = await entity.iqCaller.request(
          xml("iq", { type: "get", to: jid, id: crypto.randomUUID() }, buildDiscoInfoQuery()),
          15_000,
        );
        const service = parseUploadService(info);
        if (service !== undefined) {
          this.#options.logger.info(
            `Upload service (${NS_HTTP_UPLOAD}): ${jid}` +
              (service.maxBytes === undefined ? "" : `, at most ${service.maxBytes} bytes`),
          );
          return { jid, ...service };
        }
      } catch {
        // An item that does not answer disco#info is not the upload service.
      }
    }
    return undefined;
  }
}
