/**
 * XEP-0050: Ad-Hoc Commands — the stanzas: the command list (a disco#items node), a
 * request, and the answers.
 *
 * @see https://xmpp.org/extensions/xep-0050.html
 * @module
 */
import { buildForm, type Form, readSubmission } from "./xep_0004_data_forms.ts";
import { xml, type XmlElement } from "./_xml.ts";

/** The ad-hoc commands namespace, also the disco#items node that lists them (§2.2). */
export const NS_COMMANDS = "http://jabber.org/protocol/commands";

/** The disco#items namespace. */
export const NS_DISCO_ITEMS = "http://jabber.org/protocol/disco#items";

/** A command as listed: its node and the name a client shows in its menu. */
export interface CommandItem {
  node: string;
  name: string;
}

/**
 * Builds the disco#items answer for the commands node (§2.2).
 *
 * @param jid The agent's address the commands are run at.
 * @param items What the requester may run.
 */
export function buildCommandList(jid: string, items: readonly CommandItem[]): XmlElement {
  return xml(
    "query",
    { xmlns: NS_DISCO_ITEMS, node: NS_COMMANDS },
    ...items.map((item) => xml("item", { jid, node: item.node, name: item.name })),
  );
}

/** A request to run a command (§3). */
export interface CommandRequest {
  node: string;
  /** `execute` (also `next`/`complete` of a one-stage form) or `cancel`. */
  action: "execute" | "cancel";
  sessionId?: string;
  /** The submitted form's values, when the request carries one. */
  submitted?: Map<string, string>;
}

/** Reads a `<command/>` payload of an `<iq type='set'/>`. */
export function parseCommandRequest(command: XmlElement): CommandRequest | undefined {
  const node = command.attrs.node;
  if (node === undefined || node === "") return undefined;
  const action = command.attrs.action === "cancel" ? "cancel" : "execute";
  const submitted = readSubmission(command);
  return {
    node,
    action,
    ...(command.attrs.sessionid === undefined ? {} : { sessionId: command.attrs.sessionid }),
    ...(submitted === undefined ? {} : { submitted }),
  };
}

/** An answer to a command request. */
export interface CommandAnswer {
  node: string;
  sessionId: string;
  status: "executing" | "completed" | "canceled";
  /** A form to fill in (`executing`), or the result (`completed`). */
  form?: Form;
  /** A note clients show as is. */
  note?: { type: "info" | "warn" | "error"; text: string };
}

/** Builds the `<command/>` payload of the answer (§3.4). */
export function buildCommandAnswer(answer: CommandAnswer): XmlElement {
  return xml(
    "command",
    { xmlns: NS_COMMANDS, node: answer.node, sessionid: answer.sessionId, status: answer.status },
    // One stage: the form is completed in one step (§3.4.2).
    answer.status === "executing"
      ? xml("actions", { execute: "complete" }, xml("complete"))
      : undefined,
    answer.note === undefined
      ? undefined
      : xml("note", { type: answer.note.type }, answer.note.text),
    answer.form === undefined ? undefined : buildForm(answer.form),
  );
}
