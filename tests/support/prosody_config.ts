/**
 * Renders the Lua configuration of a throwaway Prosody used by the integration tests.
 *
 * Pure: it only builds text, so its choices can be checked without starting a server.
 *
 * @module
 */

/** Everything a test Prosody's configuration depends on. */
export interface ProsodyConfigOptions {
  /** Directory that holds the pidfile, the log and the account data. */
  dir: string;
  /** Loopback port for client connections (RFC 6120). */
  c2sPort: number;
  /** Loopback port for external components (XEP-0114). */
  componentPort: number;
  /** Shared secret of the `agent.localhost` component. */
  componentSecret: string;
  /** Certificate and key for STARTTLS, or `null` for a server that offers no TLS at all. */
  tls: { certFile: string; keyFile: string } | null;
  /**
   * Modules loaded on top of the base set (roster, saslauth, tls, disco, ping, version,
   * carbons), e.g. `["offline", "smacks"]`.
   * @default {[]}
   */
  extraModules?: readonly string[];
  /**
   * Lowest level written to the log (`"debug"` shows every stanza).
   * @default {"info"}
   */
  logLevel?: "debug" | "info" | "warn";
  /**
   * Lock a new room until its owner configures it (Prosody's default; status 201).
   * @default {false}
   */
  mucRoomLocking?: boolean;
  /**
   * More external component domains (XEP-0114), with the same secret as `agent.localhost`.
   * @default {[]}
   */
  extraComponents?: readonly string[];
}

/** The XMPP domain every test user lives on. */
export const TEST_DOMAIN = "localhost";

/** A second VirtualHost: its users are on a foreign domain as far as the agent is concerned. */
export const TEST_OTHER_DOMAIN = "elsewhere.localhost";
/** The multi-user chat service (XEP-0045) of the test server. */
export const TEST_MUC_DOMAIN = "conference.localhost";
/** The external component domain (XEP-0114) reserved for the agent. */
export const TEST_COMPONENT_DOMAIN = "agent.localhost";

const BASE_MODULES = ["roster", "saslauth", "tls", "disco", "ping", "version", "carbons", "posix"];

/**
 * Builds the text of a `prosody.cfg.lua` for one test server.
 *
 * @param options Ports, secret, directory and TLS material of the server.
 * @returns The configuration file content.
 * @throws {TypeError} When a value would have to be escaped to fit in a Lua string.
 */
export function renderProsodyConfig(options: ProsodyConfigOptions): string {
  const { dir, c2sPort, componentPort, componentSecret, tls } = options;
  const modules = [...BASE_MODULES, ...(options.extraModules ?? [])]
    .filter((name) => tls !== null || name !== "tls");
  const tlsLines = tls === null
    ? [
      "c2s_require_encryption = false",
      "allow_unencrypted_plain_auth = true",
    ]
    : [
      `ssl = { certificate = ${lua(tls.certFile)}, key = ${lua(tls.keyFile)} }`,
      "c2s_require_encryption = true",
    ];
  return [
    "-- Generated for one integration test run; deleted when the test stops the server.",
    "run_as_root = true",
    `pidfile = ${lua(`${dir}/prosody.pid`)}`,
    `data_path = ${lua(`${dir}/data`)}`,
    // Points Prosody's certificate indexing at a directory that exists, which keeps its log quiet.
    `certificates = ${lua(dir)}`,
    `log = { { levels = { min = ${lua(options.logLevel ?? "info")} }, to = "file", ` +
    `filename = ${lua(`${dir}/prosody.log`)} } }`,
    'interfaces = { "127.0.0.1" }',
    `c2s_ports = { ${c2sPort} }`,
    "c2s_direct_tls_ports = { }",
    'component_interfaces = { "127.0.0.1" }',
    `component_ports = { ${componentPort} }`,
    // max_wait: after SIGTERM an idle loop otherwise sleeps up to 1 s before it notices it may exit.
    "network_settings = { nagle = false, max_wait = 0.05 }",
    'authentication = "internal_hashed"',
    "default_iteration_count = 1000",
    'storage = "internal"',
    `modules_enabled = { ${modules.map(lua).join(", ")} }`,
    'modules_disabled = { "s2s", "limits" }',
    ...tlsLines,
    "",
    `VirtualHost ${lua(TEST_DOMAIN)}`,
    "",
    `VirtualHost ${lua(TEST_OTHER_DOMAIN)}`,
    "",
    `Component ${lua(TEST_MUC_DOMAIN)} "muc"`,
    `  muc_room_locking = ${options.mucRoomLocking ?? false}`,
    // Non-anonymous rooms: occupants see real JIDs, as the room-policy tests need.
    "  muc_room_default_public_jids = true",
    // Rooms stamp every message with a XEP-0359 stanza-id, as real services do.
    '  modules_enabled = { "muc_mam" }',
    "",
    ...[TEST_COMPONENT_DOMAIN, ...(options.extraComponents ?? [])].flatMap((domain) => [
      `Component ${lua(domain)}`,
      `  component_secret = ${lua(componentSecret)}`,
      "",
    ]),
  ].join("\n");
}

function lua(value: string): string {
  if (/["\\\n\r]/.test(value)) {
    throw new TypeError(`Cannot put "${value}" in a Prosody configuration string`);
  }
  return `"${value}"`;
}
