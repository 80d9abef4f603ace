// Bare JID checks after RFC 7622 §3, kept deliberately simple: the localpart must not hold
// the characters the RFC forbids there, the domain must look like a host name or IP literal.

const LOCALPART = /^[^\s"&'/:<>@]+$/;
const DOMAIN = /^(?!\.)[^\s@/]+(?<!\.)$/;

/** Whether `text` is a bare JID (`local@domain`, no resource). */
export function isBareJid(text: string): boolean {
  const at = text.indexOf("@");
  if (at <= 0) return false;
  return LOCALPART.test(text.slice(0, at)) && isDomain(text.slice(at + 1));
}

/** Whether `text` looks like an XMPP domain (`example.com`, `localhost`). */
export function isDomain(text: string): boolean {
  return DOMAIN.test(text);
}

/** The domain part of a bare JID (`bot@example.com` → `example.com`). */
export function jidDomain(jid: string): string {
  return jid.slice(jid.indexOf("@") + 1);
}
