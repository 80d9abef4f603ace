/**
 * XEP-0092: Software Version.
 *
 * @see https://xmpp.org/extensions/xep-0092.html
 * @module
 */
import { xml, type XmlElement } from "./_xml.ts";

/** The software version namespace. */
export const NS_VERSION = "jabber:iq:version";

/** Builds a software version result payload. */
export function buildVersion(name: string, version: string): XmlElement {
  return xml("query", { xmlns: NS_VERSION }, xml("name", {}, name), xml("version", {}, version));
}
