/**
 * The disco#info features (XEP-0030) of what the agent does with messages: receipts,
 * chat markers, corrections, replies, reactions and message styling. One list, so that
 * what disco#info advertises and what the code implements cannot drift apart.
 *
 * @module
 */
import { NS_RECEIPTS } from "./xep_0184_receipts.ts";
import { NS_CORRECTION } from "./xep_0308_correction.ts";
import { NS_CHAT_MARKERS } from "./xep_0333_chat_markers.ts";
import { NS_STYLING } from "./xep_0393_message_styling.ts";
import { NS_REACTIONS } from "./xep_0444_reactions.ts";
import { NS_REPLY } from "./xep_0461_replies.ts";

/** The message features, as disco#info `<feature var='…'/>` values. */
export const MESSAGE_FEATURES: readonly string[] = [
  NS_RECEIPTS,
  NS_CHAT_MARKERS,
  NS_CORRECTION,
  NS_STYLING,
  NS_REACTIONS,
  NS_REPLY,
];
