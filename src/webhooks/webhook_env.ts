/**
 * What the server edge passes along with each request (Hono's `env`, the second argument of
 * `app.fetch`). In-process tests give it as the third argument of `app.request`.
 */
export interface WebhookBindings {
  /**
   * The peer's IP address (`info.remoteAddr.hostname` in `Deno.serve`). `/status` and
   * `/metrics` answer a loopback peer without the admin token; without an address the peer
   * counts as remote.
   */
  remoteAddress?: string;
}

/** The Hono environment of the webhook app. */
export interface WebhookEnv {
  Bindings: WebhookBindings;
}
