/**
 * A typed face over `@xmpp/component` (XEP-0114), which ships no TypeScript types.
 *
 * @module
 */
import * as untyped from "@xmpp/component";
import type { XmppJsEntity } from "./_xmpp_client.ts";

/** Options for {@linkcode createXmppJsComponent}. */
export interface XmppJsComponentOptions {
  /** `xmpp://host:port` of the server's component port. */
  service: string;
  /** The component's domain. */
  domain: string;
  /** The shared secret. */
  password: string;
}

/** Creates an xmpp.js component. */
export function createXmppJsComponent(options: XmppJsComponentOptions): XmppJsEntity {
  // deno-lint-ignore no-explicit-any
  return (untyped as any).component(options) as XmppJsEntity;
}
