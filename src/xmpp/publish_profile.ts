/**
 * Publishing the agent's name and picture from a client account (once per run, before the
 * presence that carries the photo's hash): what {@linkcode AgentProfile.publications} lists,
 * each as an `<iq type='set'/>` to the agent's own account.
 *
 * @module
 */
import type { Logger } from "../log/mod.ts";
import type { AgentProfile } from "./agent_profile.ts";
import { errorText } from "./_socket_util.ts";
import { xml, type XmlElement } from "./_xml.ts";
import type { XmppJsEntity } from "./_xmpp_client.ts";

/**
 * Publishes the vCard and the avatar.
 *
 * @returns Whether all of it was accepted (a failure is logged at `warn`).
 */
export async function publishProfile(
  entity: XmppJsEntity,
  profile: AgentProfile,
  logger: Logger,
): Promise<boolean> {
  let accepted = true;
  const set = (payload: XmlElement) =>
    entity.iqCaller.request(xml("iq", { type: "set", id: crypto.randomUUID() }, payload), 10_000);
  for (const payload of profile.publications()) {
    try {
      await set(payload).catch((error) => {
        // XEP-0060 §7.1.5: the node exists with another access model; publish into it as is.
        if ((error as { condition?: string }).condition !== "precondition-not-met") throw error;
        return set(withoutPublishOptions(payload));
      });
    } catch (error) {
      accepted = false;
      logger.warn(
        `Could not publish the agent's <${payload.name}/> (${payload.getNS()}): ${
          errorText(error)
        }`,
      );
    }
  }
  if (accepted) {
    logger.info(
      profile.avatar === undefined
        ? "Published the agent's vCard (its name)"
        : "Published the agent's vCard and avatar",
    );
  }
  return accepted;
}

/** A `<pubsub/>` publication without its publish options. */
function withoutPublishOptions(payload: XmlElement): XmlElement {
  return xml(
    payload.name,
    { ...payload.attrs },
    ...payload.getChildElements().filter((child) => child.name !== "publish-options"),
  );
}
