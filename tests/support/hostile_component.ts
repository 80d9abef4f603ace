/**
 * A hostile external component (XEP-0114) on the test server: whoever runs it may send any
 * stanza from any address of its domain (a bare `room@evil.localhost` included), sees every
 * stanza sent to its domain, and answers disco#info as it pleases. Register its domain with
 * `startProsody({ extraComponents: [domain] })`.
 *
 * @example
 * ```ts
 * await using prosody = await startProsody({ extraComponents: ["evil.localhost"] });
 * await using evil = await startHostileComponent(prosody, { domain: "evil.localhost" });
 * await evil.sendRaw("<message from='room@evil.localhost' to='bot@localhost'>…</message>");
 * ```
 *
 * @module
 */
import { EventBuffer } from "./event_buffer.ts";
import type { ProsodyHandle } from "./prosody.ts";
import { parseXml } from "../../src/xmpp/mod.ts";
import { loadXmppJsComponent } from "../../src/xmpp/_xmpp_component.ts";
import { xml } from "../../src/xmpp/_xml.ts";

const NS_DISCO_INFO = "http://jabber.org/protocol/disco#info";

/** Options of {@linkcode startHostileComponent}. */
export interface HostileComponentOptions {
  /** One of the server's `extraComponents`. */
  domain: string;
  /**
   * What disco#info answers: an identity and features, or `null` for `service-unavailable`.
   * @default {{ category: "component", type: "generic", features: [] }}
   */
  disco?: { category: string; type: string; features: string[] } | null;
}

/** A connected hostile component. */
export interface HostileComponent extends AsyncDisposable {
  readonly domain: string;
  /** Every stanza that reached the component, as XML text. */
  readonly received: EventBuffer<string>;
  /** Sends one stanza as written (the server only checks that `from` is on the domain). */
  sendRaw(text: string): Promise<void>;
}

/** Connects a component that the test controls entirely. */
export async function startHostileComponent(
  prosody: Pick<ProsodyHandle, "host" | "componentPort" | "componentSecret">,
  options: HostileComponentOptions,
): Promise<HostileComponent> {
  const entity = (await loadXmppJsComponent())({
    service: `xmpp://${prosody.host}:${prosody.componentPort}`,
    domain: options.domain,
    password: prosody.componentSecret,
  });
  entity.reconnect?.stop();
  const received = new EventBuffer<string>((text) => text);
  entity.on("stanza", (stanza) => received.push(stanza.toString()));
  entity.on("error", () => {});
  const disco = options.disco === undefined
    ? { category: "component", type: "generic", features: [] }
    : options.disco;
  if (disco !== null) {
    entity.iqCallee.get(NS_DISCO_INFO, "query", () =>
      xml(
        "query",
        { xmlns: NS_DISCO_INFO },
        xml("identity", { category: disco.category, type: disco.type }),
        ...disco.features.map((feature) => xml("feature", { var: feature })),
      ));
  }
  await entity.start();
  return {
    domain: options.domain,
    received,
    sendRaw: (text) => entity.send(parseXml(text)),
    async [Symbol.asyncDispose]() {
      await entity.stop().catch(() => {});
      entity.removeAllListeners();
    },
  };
}
