/**
 * XEP-0163: Personal Eventing Protocol — publishing an item to a node of the agent's own
 * account (XEP-0060 §7.1), readable by anyone (`pubsub#access_model = open`, XEP-0060
 * §7.1.5 publish options): a contact's avatar and vCard must be visible to whoever adds it.
 *
 * @see https://xmpp.org/extensions/xep-0163.html
 * @module
 */
import { buildForm } from "./xep_0004_data_forms.ts";
import { xml, type XmlElement } from "./_xml.ts";

/** The PubSub namespace. */
export const NS_PUBSUB = "http://jabber.org/protocol/pubsub";

/** Builds the `<pubsub/>` payload of an `<iq type='set'/>` publishing one open item. */
export function buildPublish(node: string, itemId: string, payload: XmlElement): XmlElement {
  return xml(
    "pubsub",
    { xmlns: NS_PUBSUB },
    xml("publish", { node }, xml("item", { id: itemId }, payload)),
    xml(
      "publish-options",
      {},
      buildForm({
        type: "submit",
        fields: [
          {
            var: "FORM_TYPE",
            type: "hidden",
            value: "http://jabber.org/protocol/pubsub#publish-options",
          },
          { var: "pubsub#access_model", type: "text-single", value: "open" },
        ],
      }),
    ),
  );
}
