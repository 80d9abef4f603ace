/**
 * XEP-0054: vcard-temp — the vCard most clients still read a contact's name and picture from.
 *
 * @see https://xmpp.org/extensions/xep-0054.html
 * @module
 */
import type { Avatar } from "./avatar.ts";
import { xml, type XmlElement } from "./_xml.ts";

/** The vcard-temp namespace. */
export const NS_VCARD_TEMP = "vcard-temp";

/** Builds a `<vCard/>` with the name (FN, NICKNAME) and the photo. */
export function buildVCardTemp(name: string, avatar: Avatar | undefined): XmlElement {
  return xml(
    "vCard",
    { xmlns: NS_VCARD_TEMP },
    xml("FN", {}, name),
    xml("NICKNAME", {}, name),
    avatar === undefined ? undefined : xml(
      "PHOTO",
      {},
      xml("TYPE", {}, avatar.type),
      xml("BINVAL", {}, base64(avatar.bytes)),
    ),
  );
}

/** Standard Base64 of some bytes. */
export function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}
