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
   * Modules loaded on top of Debian's default set ({@linkcode DEBIAN_DEFAULT_MODULES}).
   * @default {[]}
   */
  extraModules?: readonly string[];
  /**
   * Modules of the default set turned off, e.g. `["limits"]` for a test that floods (say
   * why where it is used).
   * @default {[]}
   */
  disabledModules?: readonly string[];
  /**
   * Lowest level written to the log (`"debug"` shows every stanza).
   * @default {"info"}
   */
  logLevel?: "debug" | "info" | "warn";
  /**
   * Lock a new room until its owner configures it (status 201), as Prosody does by default.
   * @default {true}
   */
  mucRoomLocking?: boolean;
  /**
   * More external component domains (XEP-0114), with the same secret as `agent.localhost`.
   * @default {[]}
   */
  extraComponents?: readonly string[];
  /**
   * An HTTP upload service (XEP-0363, Prosody's `http_file_share`) at `upload.localhost`,
   * served over plain http on this loopback port. @default {undefined} (none)
   */
  httpUpload?: { port: number; sizeLimit?: number };
}

/** The XMPP domain every test user lives on. */
export const TEST_DOMAIN = "localhost";

/** A second VirtualHost: its users are on a foreign domain as far as the agent is concerned. */
export const TEST_OTHER_DOMAIN = "elsewhere.localhost";
/** The multi-user chat service (XEP-0045) of the test server. */
export const TEST_MUC_DOMAIN = "conference.localhost";
/** The HTTP upload service (XEP-0363) of a server started with `httpUpload`. */
export const TEST_UPLOAD_DOMAIN = "upload.localhost";
/** The external component domain (XEP-0114) reserved for the agent. */
export const TEST_COMPONENT_DOMAIN = "agent.localhost";

/**
 * `modules_enabled` of Debian's default `/etc/prosody/prosody.cfg.lua` (Prosody 0.12), in its
 * order, plus `mam`, which most deployments enable. `offline` loads on its own. The test
 * servers run these, so that the agent meets what people deploy: stream management
 * (`smacks`), carbons, CSI, bandwidth limits (`limits`, 10 kb/s per client as Debian sets
 * it), PEP, vCards, blocking.
 */
export const DEBIAN_DEFAULT_MODULES: readonly string[] = [
  "disco",
  "roster",
  "saslauth",
  "tls",
  "blocklist",
  "bookmarks",
  "carbons",
  "dialback",
  "limits",
  "pep",
  "private",
  "smacks",
  "vcard4",
  "vcard_legacy",
  "csi_simple",
  "invites",
  "invites_adhoc",
  "invites_register",
  "ping",
  "register",
  "time",
  "uptime",
  "version",
  "admin_adhoc",
  "admin_shell",
  "posix",
  "mam",
];

/**
 * Builds the text of a `prosody.cfg.lua` for one test server.
 *
 * @param options Ports, secret, directory and TLS material of the server.
 * @returns The configuration file content.
 * @throws {TypeError} When a value would have to be escaped to fit in a Lua string.
 */
export function renderProsodyConfig(options: ProsodyConfigOptions): string {
  const { dir, c2sPort, componentPort, componentSecret, tls } = options;
  const disabled = new Set(options.disabledModules ?? []);
  if (tls === null) disabled.add("tls");
  const modules = [...DEBIAN_DEFAULT_MODULES, ...(options.extraModules ?? [])]
    .filter((name) => !disabled.has(name));
  const tlsLines = tls === null
    ? [
      "c2s_require_encryption = false",
      "allow_unencrypted_plain_auth = true",
    ]
    : [
      `ssl = { certificate = ${lua(tls.certFile)}, key = ${lua(tls.keyFile)} }`,
      "c2s_require_encryption = true",
    ];
  // Deviations from Debian's default, each for the test machine: own paths and loopback
  // ports, no server-to-server (no federation in tests, and no fixed port 5269 shared by
  // parallel runs), quick SCRAM (1000 iterations instead of 10000: each login ~1 s faster),
  // Nagle off (timings measure the agent, not the kernel's delayed ACK).
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
    `modules_disabled = { ${["s2s", ...disabled].map(lua).join(", ")} }`,
    // Debian's default rates.
    'limits = { c2s = { rate = "10kb/s" }, s2sin = { rate = "30kb/s" } }',
    'archive_expires_after = "1w"',
    ...tlsLines,
    ...(options.httpUpload === undefined ? [] : [
      `http_ports = { ${options.httpUpload.port} }`,
      'http_interfaces = { "127.0.0.1" }',
      "https_ports = { }",
    ]),
    "",
    `VirtualHost ${lua(TEST_DOMAIN)}`,
    "",
    `VirtualHost ${lua(TEST_OTHER_DOMAIN)}`,
    "",
    // Debian's example MUC component, as most deployments copy it: rooms archived (and so
    // stamped with XEP-0359 stanza-ids), locked until configured, semi-anonymous (a test that
    // needs real JIDs makes its room non-anonymous, as an owner would).
    `Component ${lua(TEST_MUC_DOMAIN)} "muc"`,
    '  modules_enabled = { "muc_mam" }',
    ...(options.mucRoomLocking === false ? ["  muc_room_locking = false"] : []),
    "",
    ...(options.httpUpload === undefined ? [] : [
      `Component ${lua(TEST_UPLOAD_DOMAIN)} "http_file_share"`,
      // Prosody's HTTP server routes by the Host header: without it every PUT is a 404.
      `  http_host = ${lua(TEST_DOMAIN)}`,
      `  http_external_url = ${lua(`http://${TEST_DOMAIN}:${options.httpUpload.port}/`)}`,
      ...(options.httpUpload.sizeLimit === undefined
        ? []
        : [`  http_file_share_size_limit = ${options.httpUpload.sizeLimit}`]),
      "",
    ]),
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
