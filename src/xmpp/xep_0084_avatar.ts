/**
 * XEP-0084: User Avatar — the picture as two PEP items, its data and its metadata (what
 * Conversations, Dino, Monal and Gajim read first).
 *
 * @see https://xmpp.org/extensions/xep-0084.html
 * @module
 */
import type { Avatar } from "./avatar.ts";
import { base64 } from "./xep_0054_vcard_temp.ts";
import { buildPublish } from "./xep_0163_pep.ts";
import { xml, type XmlElement } from "./_xml.ts";

/** The avatar data node and namespace. */
export const NS_AVATAR_DATA = "urn:xmpp:avatar:data";
/** The avatar metadata node and namespace. */
export const NS_AVATAR_METADATA = "urn:xmpp:avatar:metadata";

/**
 * The two publications of an avatar, data first (§4.1: a client that sees the metadata
 * fetches the data).
 */
export function buildAvatarPublications(avatar: Avatar): XmlElement[] {
  const data = xml("data", { xmlns: NS_AVATAR_DATA }, base64(avatar.bytes));
  const info = xml("info", {
    bytes: String(avatar.bytes.length),
    id: avatar.sha1,
    type: avatar.type,
    width: avatar.width === undefined ? undefined : String(avatar.width),
    height: avatar.height === undefined ? undefined : String(avatar.height),
  });
  const metadata = xml("metadata", { xmlns: NS_AVATAR_METADATA }, info);
  return [
    buildPublish(NS_AVATAR_DATA, avatar.sha1, data),
    buildPublish(NS_AVATAR_METADATA, avatar.sha1, metadata),
  ];
}
