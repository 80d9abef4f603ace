/**
 * JIDs: the one place that says what a valid XMPP address is and how it is normalised,
 * used by the config, the XMPP layer and the data directory alike.
 *
 * @module
 */
export {
  bareJid,
  isBareJid,
  isDomain,
  MAX_BARE_JID_BYTES,
  normaliseBareJid,
  parseJid,
} from "./jid.ts";
export type { Jid } from "./jid.ts";
