/**
 * XEP-0153: vCard-Based Avatars — the hash of the vCard photo in every presence, so clients
 * know when to fetch the picture again.
 *
 * @see https://xmpp.org/extensions/xep-0153.html
 * @module
 */
import { xml, type XmlElement } from "./_xml.ts";

/** The vCard update namespace. */
export const NS_VCARD_UPDATE = "vcard-temp:x:update";

/**
 * Builds the presence child that announces the photo.
 *
 * @param sha1 The SHA-1 of the image, hex.
 */
export function buildVCardUpdate(sha1: string): XmlElement {
  return xml("x", { xmlns: NS_VCARD_UPDATE }, xml("photo", {}, sha1));
}
