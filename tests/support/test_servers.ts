/**
 * The XMPP servers the core of the suite runs against, as people deploy them: Prosody and
 * ejabberd, each with Debian's default modules (stream management, MAM, MUC, carbons, …).
 *
 * @module
 */
import { type ProsodyOptions, startProsody } from "./prosody.ts";
import { sharedEjabberd } from "./shared_ejabberd.ts";
import type { XmppServerHandle } from "./xmpp_server.ts";

/** One server the core suite runs on. */
export interface TestServer {
  name: "prosody" | "ejabberd";
  /**
   * A server for one test: a fresh Prosody (cheap to start), or the run's shared ejabberd
   * (its `stop()` leaves it running). Register accounts with `registerFresh()`.
   */
  start(options?: { prosody?: ProsodyOptions }): Promise<XmppServerHandle>;
}

/** Prosody, then ejabberd. */
export const TEST_SERVERS: readonly TestServer[] = [
  { name: "prosody", start: (options = {}) => startProsody(options.prosody) },
  { name: "ejabberd", start: () => sharedEjabberd() },
];
