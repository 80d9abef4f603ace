/**
 * The hosts attachments may come from when the config names none.
 *
 * @module
 */

/**
 * The default `attachments.hosts`: the agent's own XMPP domain and the host names its
 * HTTP upload service (XEP-0363) usually has, so files sent through the agent's server are
 * accepted and links to anywhere else are not.
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
 * Any port is accepted. Senders on other servers upload to their own server's service, so
 * their files are refused until its host is added to `attachments.hosts`.
 *
 * @example
 * ```ts
 * defaultAttachmentHosts("Example.org");
 * // ["example.org", "upload.example.org", "share.example.org", "xmpp.example.org",
 * //  "files.example.org"]
 * ```
 *
 * @param xmppDomain The domain of the agent's JID.
 * @returns The host names, lower case.
 */
export function defaultAttachmentHosts(xmppDomain: string): string[] {
  const domain = xmppDomain.trim().toLowerCase().replace(/\.$/, "");
  return [domain, ...["upload", "share", "xmpp", "files"].map((name) => `${name}.${domain}`)];
}
