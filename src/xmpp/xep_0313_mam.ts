/**
 * XEP-0313: Message Archive Management — asking an archive (the agent's own account, or a
 * room) for what came after a known message, page by page (XEP-0059 result set management),
 * and reading its answers.
 *
 * @see https://xmpp.org/extensions/xep-0313.html
 * @module
 */
import { buildForm, type FormField } from "./xep_0004_data_forms.ts";
import { xml, type XmlElement } from "./_xml.ts";

/** The MAM namespace (version 2). */
export const NS_MAM = "urn:xmpp:mam:2";
/** The stanza forwarding namespace (XEP-0297). */
export const NS_FORWARD = "urn:xmpp:forward:0";
/** The result set management namespace (XEP-0059). */
export const NS_RSM = "http://jabber.org/protocol/rsm";

/** Where a query starts. */
export type MamFrom =
  /** After the message with this archive id. */
  | { after: string }
  /** From this time on (ISO 8601), when no id is known or the archive no longer has it. */
  | { start: string }
  /** Only the newest message: where the archive ends now. */
  | { last: true };

/**
 * Builds the `<query/>` payload of an `<iq type='set'/>`.
 *
 * @param queryId Echoed in every result, to tell this query's results from anything else.
 * @param from Where to start.
 * @param max Results per page.
 */
export function buildMamQuery(queryId: string, from: MamFrom, max: number): XmlElement {
  const fields: FormField[] = [{ var: "FORM_TYPE", type: "hidden", value: NS_MAM }];
  if ("start" in from) fields.push({ var: "start", type: "text-single", value: from.start });
  const set = xml(
    "set",
    { xmlns: NS_RSM },
    xml("max", {}, String("last" in from ? 1 : max)),
    "after" in from ? xml("after", {}, from.after) : undefined,
    "last" in from ? xml("before") : undefined,
  );
  return xml(
    "query",
    { xmlns: NS_MAM, queryid: queryId },
    buildForm({ type: "submit", fields }),
    set,
  );
}

/** One archived message. */
export interface MamResult {
  /** Its archive id (the stanza-id the archive gave it). */
  id: string;
  /** The message as it was received. */
  message: XmlElement;
  /** When the archive received it (the forwarded `<delay/>`). */
  stamp?: string;
}

/**
 * Reads a `<message/>` carrying a result of query `queryId`.
 *
 * @returns `undefined` for any other message.
 */
export function parseMamResult(stanza: XmlElement, queryId: string): MamResult | undefined {
  if (!stanza.is("message")) return undefined;
  const result = stanza.getChild("result", NS_MAM);
  if (result === undefined || result.attrs.queryid !== queryId || !result.attrs.id) {
    return undefined;
  }
  const forwarded = result.getChild("forwarded", NS_FORWARD);
  const message = forwarded?.getChild("message");
  if (message === undefined) return undefined;
  const stamp = forwarded?.getChild("delay", "urn:xmpp:delay")?.attrs.stamp;
  return { id: result.attrs.id, message, ...(stamp === undefined ? {} : { stamp }) };
}

/** Whether a stanza is a result of some MAM query (to keep it from the normal flow). */
export function isMamResult(stanza: XmlElement): boolean {
  return stanza.is("message") && stanza.getChild("result", NS_MAM) !== undefined;
}

/** The end of a page (§4.3): whether the archive has no more, and the last id given. */
export function parseMamFin(iq: XmlElement): { complete: boolean; last?: string } {
  const fin = iq.getChild("fin", NS_MAM);
  const last = fin?.getChild("set", NS_RSM)?.getChildText("last") ?? undefined;
  return { complete: fin?.attrs.complete === "true", ...(last ? { last } : {}) };
}
