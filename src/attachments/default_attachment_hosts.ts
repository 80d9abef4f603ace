/**
 * The hosts attachments may come from when the config names none.
 *
 * @module
 */

/**
 * The default `attachments.hosts`: the agent's own XMPP domain and the host names its
 * HTTP upload service (XEP-0363) usually has, each on the https ports upload services listen
 * on, so files sent through the agent's server are accepted and links to anywhere else — or to
 * another port of the same machines, such as an admin console — are not.
 *
 * For the domain `example.org` the list is:
 *
 * | host                   | usual server                                            |
 * | ---------------------- | ------------------------------------------------------- |
 * | `example.org`          | servers that serve uploads on the domain itself         |
 * | `upload.example.org`   | ejabberd `mod_http_upload`, Prosody `mod_http_upload`   |
 * | `share.example.org`    | Prosody `mod_http_file_share`                           |
 * | `xmpp.example.org`     | a server whose host name is `xmpp.` (Openfire, others)  |
 * | `files.example.org`    | a separate file host in front of the upload service     |
 *
 * Each name is allowed on {@linkcode UPLOAD_PORTS} only. Plain http ports (Prosody's 5280,
 * Openfire's 7070) are left out: attachments from public hosts must be https anyway. Senders
 * on other servers upload to their own server's service, so their files are refused until its
 * host is added to `attachments.hosts`.
 *
 * @example
 * ```ts
 * defaultAttachmentHosts("Example.org");
 * // ["example.org:443", "example.org:5281", "example.org:5443", "example.org:7443",
 * //  "upload.example.org:443", …, "files.example.org:7443"]
 * ```
 *
 * @param xmppDomain The domain of the agent's JID.
 * @returns `host:port` entries, lower case.
 */
export function defaultAttachmentHosts(xmppDomain: string): string[] {
  const domain = xmppDomain.trim().toLowerCase().replace(/\.$/, "");
  const names = [
    domain,
    ...["upload", "share", "xmpp", "files"].map((name) => `${name}.${domain}`),
  ];
  return names.flatMap((name) => UPLOAD_PORTS.map((port) => `${name}:${port}`));
}

/**
 * The https ports of the usual upload services: 443 (any server behind a web server), 5281
 * (Prosody's https port, where `mod_http_file_share` and `mod_http_upload` answer), 5443
 * (ejabberd's usual `mod_http_upload` listener) and 7443 (Openfire's HTTP binding port, used by
 * its upload plugin).
 */
export const UPLOAD_PORTS = [443, 5281, 5443, 7443] as const;
