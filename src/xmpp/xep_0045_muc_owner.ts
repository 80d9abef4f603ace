/**
 * XEP-0045 §10.1: what the owner of a new room sends. A room created by a join (status 201)
 * stays locked, refusing everyone else, until its owner either accepts the service's
 * defaults (an instant room, §10.1.2) or submits the configuration form (§10.1.3), whose
 * fields are XEP-0004 data form fields named by `muc#roomconfig` (§15.5.3).
 *
 * @see https://xmpp.org/extensions/xep-0045.html#createroom
 * @module
 */
import type { NewRoomConfig } from "./events.ts";
import { xml, type XmlElement } from "./_xml.ts";

/** The MUC owner namespace (room configuration). */
export const NS_MUC_OWNER = "http://jabber.org/protocol/muc#owner";
/** XEP-0004 data forms. */
export const NS_DATA_FORMS = "jabber:x:data";
/** The FORM_TYPE of a room configuration form. */
export const NS_ROOM_CONFIG = "http://jabber.org/protocol/muc#roomconfig";

/** The settings to submit: a {@linkcode NewRoomConfig} and the room's password. */
export interface RoomConfigValues extends NewRoomConfig {
  /** Protects the room (`passwordprotectedroom` and `roomsecret`). */
  password?: string;
}

/** Builds the owner query that accepts the service's defaults (§10.1.2): an empty submit. */
export function buildInstantRoom(): XmlElement {
  return xml("query", { xmlns: NS_MUC_OWNER }, xml("x", { xmlns: NS_DATA_FORMS, type: "submit" }));
}

/** Builds the owner query that asks for the configuration form (§10.1.3, `<iq type='get'/>`). */
export function buildConfigFormRequest(): XmlElement {
  return xml("query", { xmlns: NS_MUC_OWNER });
}

/** The `muc#roomconfig` field each setting goes to, and how its value is written. */
function wantedFields(values: RoomConfigValues): Map<string, string> {
  const wanted = new Map<string, string>();
  const flag = (on: boolean) => on ? "1" : "0";
  if (values.name !== undefined) wanted.set("muc#roomconfig_roomname", values.name);
  if (values.persistent !== undefined) {
    wanted.set("muc#roomconfig_persistentroom", flag(values.persistent));
  }
  if (values.public !== undefined) wanted.set("muc#roomconfig_publicroom", flag(values.public));
  if (values.membersOnly !== undefined) {
    wanted.set("muc#roomconfig_membersonly", flag(values.membersOnly));
  }
  if (values.whois !== undefined) wanted.set("muc#roomconfig_whois", values.whois);
  if (values.password !== undefined) {
    wanted.set("muc#roomconfig_passwordprotectedroom", "1");
    wanted.set("muc#roomconfig_roomsecret", values.password);
  }
  return wanted;
}

/** The result of {@linkcode buildConfigSubmit}. */
export interface ConfigSubmit {
  /** The owner query to send in an `<iq type='set'/>`. */
  query: XmlElement;
  /** The settings' field names the service's form does not offer (not submitted). */
  missing: string[];
}

/**
 * Builds the submission of the room configuration form the service sent, with the fields
 * `values` sets (and the FORM_TYPE); every other field keeps the service's value. Only
 * fields the form offers are submitted.
 *
 * @param result The `<iq type='result'/>` answering {@linkcode buildConfigFormRequest}.
 * @param values The settings to apply.
 * @throws {TypeError} When the result holds no configuration form.
 */
export function buildConfigSubmit(result: XmlElement, values: RoomConfigValues): ConfigSubmit {
  const form = result.getChild("query", NS_MUC_OWNER)?.getChild("x", NS_DATA_FORMS);
  if (form === undefined) throw new TypeError("The room sent no configuration form");
  const offered = new Set(form.getChildren("field").map((field) => field.attrs.var));
  const wanted = [...wantedFields(values)];
  const field = (name: string, value: string) =>
    xml("field", { var: name }, xml("value", {}, value));
  return {
    query: xml(
      "query",
      { xmlns: NS_MUC_OWNER },
      xml(
        "x",
        { xmlns: NS_DATA_FORMS, type: "submit" },
        field("FORM_TYPE", NS_ROOM_CONFIG),
        ...wanted.filter(([name]) => offered.has(name)).map(([name, value]) => field(name, value)),
      ),
    ),
    missing: wanted.map(([name]) => name).filter((name) => !offered.has(name)),
  };
}

/** Whether `values` asks for anything beyond the service's defaults. */
export function hasRoomConfig(values: RoomConfigValues): boolean {
  return wantedFields(values).size > 0;
}
