/**
 * Renders the `ejabberd.yml` of a throwaway ejabberd used by the integration tests.
 *
 * Pure: it only builds text, so its choices can be checked without starting a server.
 *
 * The file is Debian's `/etc/ejabberd/ejabberd.yml` of ejabberd 23.01 (package 23.01-1),
 * section by section and in its order, so that the tests meet the server as Debian deploys
 * it. The deviations, each needed by a test machine, are:
 *
 * 1. `hosts`: `localhost` and `elsewhere.localhost` (Debian: `localhost`), as in the Prosody
 *    harness: users on the second host are on a foreign domain as far as the agent is concerned.
 * 2. `certfiles`: the test certificate and key (Debian: `/etc/ejabberd/ejabberd.pem`, made for
 *    the machine's name and readable only by root and the `ejabberd` group).
 * 3. `listen`: every listener on 127.0.0.1 and free ports (Debian: `::` and the standard ports,
 *    which the packaged service may hold).
 *    - c2s with STARTTLS required is kept; with `tls: null` it offers no TLS at all (the
 *      harness's plaintext mode, as in the Prosody harness).
 *    - The direct-TLS c2s port (5223) is left out: the handle reports one client port, as the
 *      Prosody harness does.
 *    - s2s (5269) is left out and `s2s_access: none` added: s2s is off, so that no test
 *      reaches a real server when the machine has a network; a stanza to another server
 *      bounces at once with `forbidden` (with s2s on it would be `remote-server-not-found`
 *      after a DNS lookup, or a connection attempt).
 *    - The HTTP listener of `/api`, `/bosh`, `/ws` (5443) is kept without TLS: the harness calls
 *      `/api` (mod_http_api) on loopback to register users, in milliseconds.
 *    - The web admin and ACME listener (5280), STUN/TURN on UDP 3478 and MQTT (1883) are left
 *      out: no test uses them, and each would need a fixed or extra port.
 *    - Added: an `ejabberd_service` listener for the XEP-0114 component `agent.localhost`.
 * 4. `api_permissions`: added `"test harness"`, which lets loopback call every API command
 *    without credentials (Debian's loopback rule needs an authenticated admin, and Debian
 *    defines no admin).
 * 5. `modules`: `mod_mam` is enabled with Debian's own commented-out settings
 *    (`assume_mam_usage: true`, `default: always`; Debian leaves it off only because the Mnesia
 *    backend is limited to 2 GB). Without it MUC's `mam: true` room default does nothing.
 * 6. `mod_fail2ban` gets `access: trusted_network` (Debian's rule for loopback): every test
 *    client comes from 127.0.0.1, and on a server shared by a whole run 20 deliberate failed
 *    logins would otherwise ban every later test for an hour.
 *
 * Everything else is Debian's: the c2s shaper (3000 B/s after a 20 kB burst), STARTTLS
 * required, SCRAM password storage, stream management (XEP-0198, `resend_on_timeout:
 * if_offline`), MUC defaults (rooms on `conference.@HOST@`), offline storage (100 messages),
 * carbons, PEP, vCard, blocking, privacy, ping, presence counter (5 per minute), and so on.
 *
 * @module
 */

import { TEST_COMPONENT_DOMAIN, TEST_DOMAIN, TEST_OTHER_DOMAIN } from "./xmpp_server.ts";

/** Everything a test ejabberd's configuration depends on. */
export interface EjabberdConfigOptions {
  /** Loopback port for client connections (RFC 6120). */
  c2sPort: number;
  /** Loopback port for external components (XEP-0114). */
  componentPort: number;
  /** Loopback port of the HTTP listener (`/api`, `/bosh`, `/ws`). */
  httpPort: number;
  /** Shared secret of the `agent.localhost` component. */
  componentSecret: string;
  /** Certificate and key for STARTTLS, or `null` for a server that offers no TLS at all. */
  tls: { certFile: string; keyFile: string } | null;
  /**
   * Lowest level written to the log (`"debug"` shows every stanza).
   * @default {"info"}
   */
  logLevel?: "debug" | "info" | "warning";
}

/**
 * Builds the text of an `ejabberd.yml` for one test server.
 *
 * @param options Ports, secret and TLS material of the server.
 * @returns The configuration file content.
 * @throws {RangeError} When a port is not a TCP port number.
 */
export function renderEjabberdConfig(options: EjabberdConfigOptions): string {
  const { c2sPort, componentPort, httpPort, componentSecret, tls } = options;
  for (const port of [c2sPort, componentPort, httpPort]) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new RangeError(`Invalid port "${port}" for the test ejabberd`);
    }
  }
  return [
    "# Generated for one integration test run from Debian's ejabberd.yml (ejabberd 23.01);",
    "# see tests/support/ejabberd_config.ts for each deviation and why.",
    `loglevel: ${options.logLevel ?? "info"}`,
    "log_rotate_count: 0",
    "hosts:",
    `  - ${str(TEST_DOMAIN)}`,
    `  - ${str(TEST_OTHER_DOMAIN)}`,
    ...(tls === null ? [] : ["certfiles:", `  - ${str(tls.certFile)}`, `  - ${str(tls.keyFile)}`]),
    "define_macro:",
    `  'TLS_CIPHERS': "HIGH:!aNULL:!eNULL:!3DES:@STRENGTH"`,
    "  'TLS_OPTIONS':",
    '    - "no_sslv3"',
    '    - "no_tlsv1"',
    '    - "no_tlsv1_1"',
    '    - "cipher_server_preference"',
    '    - "no_compression"',
    "c2s_ciphers: 'TLS_CIPHERS'",
    "s2s_ciphers: 'TLS_CIPHERS'",
    "c2s_protocol_options: 'TLS_OPTIONS'",
    "s2s_protocol_options: 'TLS_OPTIONS'",
    "listen:",
    "  -",
    `    port: ${c2sPort}`,
    '    ip: "127.0.0.1"',
    "    module: ejabberd_c2s",
    "    max_stanza_size: 262144",
    "    shaper: c2s_shaper",
    "    access: c2s",
    ...(tls === null ? [] : ["    starttls_required: true", "    protocol_options: 'TLS_OPTIONS'"]),
    "  -",
    `    port: ${componentPort}`,
    '    ip: "127.0.0.1"',
    "    module: ejabberd_service",
    "    hosts:",
    `      ${str(TEST_COMPONENT_DOMAIN)}:`,
    `        password: ${str(componentSecret)}`,
    "  -",
    `    port: ${httpPort}`,
    '    ip: "127.0.0.1"',
    "    module: ejabberd_http",
    "    request_handlers:",
    "      /api: mod_http_api",
    "      /bosh: mod_bosh",
    "      /ws: ejabberd_http_ws",
    "disable_sasl_mechanisms:",
    '  - "digest-md5"',
    '  - "X-OAUTH2"',
    "s2s_use_starttls: required",
    "s2s_access: none",
    "auth_password_format: scram",
    ...DEBIAN_ACCESS,
    ...DEBIAN_MODULES,
    "",
  ].join("\n");
}

/** YAML double-quoted scalar: JSON's string syntax is a subset of it. */
function str(value: string): string {
  return JSON.stringify(value);
}

/** Debian's `acl`, `access_rules`, `api_permissions`, `shaper` and `shaper_rules`. */
const DEBIAN_ACCESS = [
  "acl:",
  "  admin:",
  "     user:",
  '       - ""',
  "  local:",
  '    user_regexp: ""',
  "  loopback:",
  "    ip:",
  "      - 127.0.0.0/8",
  "      - ::1/128",
  "access_rules:",
  "  local:",
  "    allow: local",
  "  c2s:",
  "    deny: blocked",
  "    allow: all",
  "  announce:",
  "    allow: admin",
  "  configure:",
  "    allow: admin",
  "  muc_create:",
  "    allow: local",
  "  pubsub_createnode:",
  "    allow: local",
  "  trusted_network:",
  "    allow: loopback",
  "api_permissions:",
  '  "test harness":',
  "    who:",
  "      ip: 127.0.0.1/8",
  '    what: "*"',
  '  "console commands":',
  "    from:",
  "      - ejabberd_ctl",
  "    who: all",
  '    what: "*"',
  '  "admin access":',
  "    who:",
  "      access:",
  "        allow:",
  "          - acl: loopback",
  "          - acl: admin",
  "      oauth:",
  '        scope: "ejabberd:admin"',
  "        access:",
  "          allow:",
  "            - acl: loopback",
  "            - acl: admin",
  "    what:",
  '      - "*"',
  '      - "!stop"',
  '      - "!start"',
  '  "public commands":',
  "    who:",
  "      ip: 127.0.0.1/8",
  "    what:",
  "      - status",
  "      - connected_users_number",
  "shaper:",
  "  normal:",
  "    rate: 3000",
  "    burst_size: 20000",
  "  fast: 200000",
  "shaper_rules:",
  "  max_user_sessions: 10",
  "  max_user_offline_messages:",
  "    5000: admin",
  "    100: all",
  "  c2s_shaper:",
  "    none: admin",
  "    normal: all",
  "  s2s_shaper: fast",
];

/** Debian's `modules`, plus `mod_mam` and the fail2ban whitelist (see the module doc). */
const DEBIAN_MODULES = [
  "modules:",
  "  mod_adhoc: {}",
  "  mod_admin_extra: {}",
  "  mod_announce:",
  "    access: announce",
  "  mod_avatar: {}",
  "  mod_blocking: {}",
  "  mod_bosh: {}",
  "  mod_caps: {}",
  "  mod_carboncopy: {}",
  "  mod_client_state: {}",
  "  mod_configure: {}",
  "  mod_disco: {}",
  "  mod_fail2ban:",
  "    access: trusted_network",
  "  mod_http_api: {}",
  "  mod_last: {}",
  "  mod_mam:",
  "    assume_mam_usage: true",
  "    default: always",
  "  mod_mqtt: {}",
  "  mod_muc:",
  "    access:",
  "      - allow",
  "    access_admin:",
  "      - allow: admin",
  "    access_create: muc_create",
  "    access_persistent: muc_create",
  "    access_mam:",
  "      - allow",
  "    default_room_options:",
  "      mam: true",
  "  mod_muc_admin: {}",
  "  mod_offline:",
  "    access_max_user_messages: max_user_offline_messages",
  "  mod_ping: {}",
  "  mod_pres_counter:",
  "    count: 5",
  "    interval: 60",
  "  mod_privacy: {}",
  "  mod_private: {}",
  "  mod_pubsub:",
  "    access_createnode: pubsub_createnode",
  "    plugins:",
  "      - flat",
  "      - pep",
  "    force_node_config:",
  '      "eu.siacs.conversations.axolotl.*":',
  "        access_model: open",
  "      storage:bookmarks:",
  "        access_model: whitelist",
  "  mod_push: {}",
  "  mod_push_keepalive: {}",
  "  mod_roster:",
  "    versioning: true",
  "  mod_s2s_dialback: {}",
  "  mod_shared_roster: {}",
  "  mod_sic: {}",
  "  mod_stream_mgmt:",
  "    resend_on_timeout: if_offline",
  "  mod_stun_disco: {}",
  "  mod_vcard:",
  "    search: false",
  "  mod_vcard_xupdate: {}",
  "  mod_version: {}",
];
