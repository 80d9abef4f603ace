/**
 * A typed face over `@xmpp/component` (XEP-0114), which ships no TypeScript types.
 *
 * The library is loaded when a component first connects, not at start: it is a release behind
 * `@xmpp/client` and brings its own copy of the shared xmpp.js packages (about 4 MB of RSS),
 * which an agent on a client account never uses.
 *
 * @module
 */
import type { XmppJsEntity } from "./_xmpp_client.ts";

/** Options for the function {@linkcode loadXmppJsComponent} gives. */
export interface XmppJsComponentOptions {
  /** `xmpp://host:port` of the server's component port. */
  service: string;
  /** The component's domain. */
  domain: string;
  /** The shared secret. */
  password: string;
}

/** Creates an xmpp.js component. */
export type CreateXmppJsComponent = (options: XmppJsComponentOptions) => XmppJsEntity;

let library: Promise<unknown> | undefined;

/**
 * Loads `@xmpp/component` (once per process).
 *
 * @returns The function that creates a component.
 */
export async function loadXmppJsComponent(): Promise<CreateXmppJsComponent> {
  const untyped = await (library ??= import("@xmpp/component"));
  // A CommonJS package: Deno names its exports, a bundle offers them as `default` only.
  // deno-lint-ignore no-explicit-any
  const exported = untyped as { component?: any; default?: { component?: any } };
  const create = exported.component ?? exported.default?.component;
  return (options) => create(options) as XmppJsEntity;
}
