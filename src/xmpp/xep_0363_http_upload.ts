/**
 * XEP-0363: HTTP File Upload — finding the server's upload service, its size limit, and
 * asking it for a slot (a PUT URL and the GET URL the file will have).
 *
 * @see https://xmpp.org/extensions/xep-0363.html
 * @module
 */
import { xml, type XmlElement } from "./_xml.ts";
import { NS_DATA_FORMS } from "./xep_0004_data_forms.ts";
import { NS_DISCO_INFO } from "./xep_0030_disco.ts";

/** The HTTP upload namespace. */
export const NS_HTTP_UPLOAD = "urn:xmpp:http:upload:0";

/** The headers a PUT may carry from a slot (§5: others are ignored, and newlines refused). */
const PUT_HEADERS = new Set(["authorization", "cookie", "expires"]);

/**
 * Reads a disco#info result: whether the entity is an upload service, and its limit.
 *
 * @returns `undefined` when it is not one; `maxBytes` when its form gives `max-file-size`.
 */
export function parseUploadService(iq: XmlElement): { maxBytes?: number } | undefined {
  const query = iq.getChild("query", NS_DISCO_INFO);
  const features = query?.getChildren("feature").map((f) => f.attrs.var) ?? [];
  if (!features.includes(NS_HTTP_UPLOAD)) return undefined;
  for (const form of query?.getChildren("x", NS_DATA_FORMS) ?? []) {
    const fields = form.getChildren("field");
    const type = fields.find((f) => f.attrs.var === "FORM_TYPE")?.getChildText("value");
    if (type !== NS_HTTP_UPLOAD) continue;
    const max = fields.find((f) => f.attrs.var === "max-file-size")?.getChildText("value");
    const bytes = max === null || max === undefined ? NaN : Number(max);
    if (Number.isSafeInteger(bytes) && bytes > 0) return { maxBytes: bytes };
  }
  return {};
}

/** Builds the slot request payload (§4). */
export function buildSlotRequest(file: { name: string; size: number; type: string }): XmlElement {
  return xml("request", {
    xmlns: NS_HTTP_UPLOAD,
    filename: file.name,
    size: String(file.size),
    "content-type": file.type,
  });
}

/** A slot: where to PUT the file (with which headers), and its URL for others. */
export interface UploadSlot {
  put: string;
  get: string;
  headers: Record<string, string>;
}

/**
 * Reads a slot result.
 *
 * @throws {TypeError} When it holds no usable slot (no https or http URLs).
 */
export function parseSlot(iq: XmlElement): UploadSlot {
  const slot = iq.getChild("slot", NS_HTTP_UPLOAD);
  const put = slot?.getChild("put")?.attrs.url;
  const get = slot?.getChild("get")?.attrs.url;
  if (put === undefined || get === undefined || !isHttpUrl(put) || !isHttpUrl(get)) {
    throw new TypeError("The upload service answered without a usable slot");
  }
  const headers: Record<string, string> = {};
  for (const header of slot?.getChild("put")?.getChildren("header") ?? []) {
    const name = header.attrs.name?.toLowerCase();
    const value = header.text();
    if (name !== undefined && PUT_HEADERS.has(name) && !/[\r\n]/.test(value)) {
      headers[name] = value;
    }
  }
  return { put, get, headers };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}
