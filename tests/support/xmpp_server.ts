/**
 * What every throwaway XMPP server of the integration tests offers, whichever server runs
 * behind it (Prosody: tests/support/prosody.ts, ejabberd: tests/support/ejabberd.ts).
 *
 * @module
 */

/** The XMPP domain every test user lives on. */
export const TEST_DOMAIN = "localhost";
/** A second virtual host: its users are on a foreign domain as far as the agent is concerned. */
export const TEST_OTHER_DOMAIN = "elsewhere.localhost";
/** The multi-user chat service (XEP-0045) of {@linkcode TEST_DOMAIN}. */
export const TEST_MUC_DOMAIN = "conference.localhost";
/** The external component domain (XEP-0114) reserved for the agent. */
export const TEST_COMPONENT_DOMAIN = "agent.localhost";

/** A running test XMPP server. Stop it in a `finally`, or hold it with `await using`. */
export interface XmppServerHandle extends AsyncDisposable {
  /** The virtual host users live on: `"localhost"`. */
  readonly domain: string;
  /** The loopback address every port listens on: `"127.0.0.1"`. */
  readonly host: string;
  /** Client port (STARTTLS required unless started with `tls: false`). */
  readonly c2sPort: number;
  /** XEP-0114 external component port. */
  readonly componentPort: number;
  /**
   * The MUC service: `"conference.localhost"`. Whether a new room is locked until its owner
   * configures it depends on the server, see its start function.
   */
  readonly mucDomain: string;
  /** The external component domain: `"agent.localhost"`. */
  readonly componentDomain: string;
  /** Secret of {@linkcode XmppServerHandle.componentDomain}. */
  readonly componentSecret: string;
  /** Whether the server offers (and requires) STARTTLS. */
  readonly tls: boolean;
  /** PEM certificate the server presents; trust it with `deno --cert FILE` (exists even without TLS). */
  readonly certFile: string;
  /** Private key of {@linkcode XmppServerHandle.certFile}. */
  readonly keyFile: string;
  /** The generated server configuration file. */
  readonly configFile: string;
  /** Temp directory holding config, log and data; removed by `stop()`. */
  readonly dir: string;
  /**
   * Creates an account (works while the server runs).
   * @throws {Error} When the server refuses, e.g. because the account exists.
   */
  register(user: string, password: string, domain?: string): Promise<void>;
  /** Stops the server cleanly and starts it again on the same ports and data; waits until listening. */
  restart(): Promise<void>;
  /** Kills the server and removes {@linkcode XmppServerHandle.dir}. Safe to call twice. */
  stop(): Promise<void>;
  /** The server log so far, followed by anything it printed to stdout/stderr. */
  logs(): Promise<string>;
}

/** An account made by {@linkcode registerFresh}. */
export interface FreshAccount {
  /** Local part: the given name plus a random suffix, e.g. `alice-3f9a0c1b`. */
  user: string;
  password: string;
  /** Bare JID on the server's domain. */
  jid: string;
}

/**
 * Registers an account whose name no other test uses, for servers shared by many tests.
 *
 * @param server The test server.
 * @param name Readable start of the local part, e.g. `"alice"`.
 * @returns The new account.
 * @throws {Error} When the server refuses the registration.
 */
export async function registerFresh(
  server: Pick<XmppServerHandle, "register" | "domain">,
  name: string,
): Promise<FreshAccount> {
  const user = `${name}-${randomHex(4)}`;
  const password = `pw-${randomHex(8)}`;
  await server.register(user, password);
  return { user, password, jid: `${user}@${server.domain}` };
}

/** Random lower-case hex of `bytes` bytes (secrets, cookies, unique names). */
export function randomHex(bytes: number): string {
  const data = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(data, (b) => b.toString(16).padStart(2, "0")).join("");
}
