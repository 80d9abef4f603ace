/**
 * Recognises end-to-end encrypted messages (OMEMO, OpenPGP, OTR). The agent cannot read them:
 * their `<body/>` is a fallback notice from the sender's client ("I sent you an OMEMO encrypted
 * message…"), not what the person wrote.
 *
 * @module
 */
import type { EncryptionMethod } from "./events.ts";
import { isLegacyOpenPgpEncrypted, NS_LEGACY_ENCRYPTED } from "./xep_0027_openpgp_legacy.ts";
import { isOpenPgpEncrypted, NS_OPENPGP } from "./xep_0373_openpgp.ts";
import { isOmemoEncrypted, NS_OMEMO_2, NS_OMEMO_LEGACY } from "./xep_0384_omemo.ts";
import { isOtrMessage, NS_OTR } from "./xep_0364_otr.ts";
import { explicitEncryptionOf } from "./xep_0380_eme.ts";
import type { XmlElement } from "./_xml.ts";

/** XEP-0380 namespaces of the methods named here (`urn:xmpp:omemo:1` was OMEMO for a while). */
const BY_NAMESPACE: Record<string, EncryptionMethod> = {
  [NS_OMEMO_LEGACY]: "omemo",
  "urn:xmpp:omemo:1": "omemo",
  [NS_OMEMO_2]: "omemo",
  [NS_OPENPGP]: "openpgp",
  [NS_LEGACY_ENCRYPTED]: "openpgp_legacy",
  [NS_OTR]: "otr",
};

/**
 * How a message is end-to-end encrypted, or `undefined` for a message the agent can read.
 * The payload elements decide first; a XEP-0380 marker alone also counts (a method this
 * code does not know is `"other"`), except for OMEMO, whose messages without a payload (key
 * transport, heartbeats) carry nothing the person wrote.
 *
 * @param stanza A `<message/>`.
 */
export function encryptionOf(stanza: XmlElement): EncryptionMethod | undefined {
  if (isOmemoEncrypted(stanza)) return "omemo";
  if (isOpenPgpEncrypted(stanza)) return "openpgp";
  if (isLegacyOpenPgpEncrypted(stanza)) return "openpgp_legacy";
  if (isOtrMessage(stanza)) return "otr";
  const declared = explicitEncryptionOf(stanza);
  if (declared === undefined) return undefined;
  const method = BY_NAMESPACE[declared] ?? "other";
  // An OMEMO element without a payload (key transport, heartbeat) carries no message.
  return method === "omemo" ? undefined : method;
}
