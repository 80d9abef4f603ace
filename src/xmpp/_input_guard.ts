/**
 * Keeps what a server (or a man in the middle) sends from ending the process. xmpp.js
 * throws out of its socket handler on XML it cannot parse (an unknown entity such as
 * `&nbsp;`, a character reference to U+0000 or U+FFFE, a mismatched end tag), and out of
 * its element handlers on an address it cannot parse (`from='alice@'`) — an uncaught
 * exception each time. This guard sits between the socket and the library:
 *
 * - XML that breaks the stream (malformed, or restricted by RFC 6120 §11.1: a DOCTYPE or
 *   an entity declaration) ends the stream with the matching stream error; the session
 *   reconnects;
 * - a stanza with an address that is not a JID is dropped;
 * - an exception out of any element handler is contained.
 *
 * Each is reported through {@linkcode InputGuardHooks}, so the session can log it and keep
 * its stream management count right (a dropped stanza was still received).
 *
 * It overrides two methods of the xmpp.js 0.13/0.14 `Connection` (`_onData`, `_onElement`),
 * which the library binds when the socket and the parser are first attached: call it
 * before `start()`.
 *
 * @module
 */
import { parseJid } from "../jid/mod.ts";
import { errorMessage } from "../log/mod.ts";
import { xml, type XmlElement } from "./_xml.ts";

/** What the guard reports. */
export interface InputGuardHooks {
  /** The stream is unusable (`condition`: the RFC 6120 stream error sent). */
  broken(condition: string, detail: string): void;
  /** A stanza was dropped before anything handled it. */
  dropped(stanza: XmlElement, reason: string): void;
  /** A handler threw while handling `element`. */
  failed(element: XmlElement, error: unknown): void;
}

/** The part of an xmpp.js connection the guard wraps (internal to the library). */
interface GuardedConnection {
  parser: { write(data: string): void } | null;
  socket: { destroy?(): void } | null;
  send(element: XmlElement): Promise<void>;
  _onData(data: { toString(encoding: string): string }): void;
  _onElement(element: XmlElement): void;
}

const NS_STREAMS = "urn:ietf:params:xml:ns:xmpp-streams";
/** RFC 6120 §11.1: no DTD, no entity declarations, in an XMPP stream. */
const RESTRICTED = /<!(?:DOCTYPE|ENTITY|ATTLIST|ELEMENT|NOTATION)/i;
const STANZAS = new Set(["message", "presence", "iq"]);

/**
 * Wraps a fresh xmpp.js entity's input handling.
 *
 * @param entity The client or component, before `start()`.
 * @param hooks Where problems are reported.
 */
export function guardInput(entity: unknown, hooks: InputGuardHooks): void {
  const connection = entity as GuardedConnection;
  const onElement = connection._onElement;
  let tail = "";
  let broken = false;

  const breakStream = (condition: string, detail: string) => {
    if (broken) return;
    broken = true;
    hooks.broken(condition, detail);
    const error = xml("stream:error", {}, xml(condition, { xmlns: NS_STREAMS }));
    connection.send(error).catch(() => {}).finally(() => connection.socket?.destroy?.());
  };

  connection._onData = function guardedData(data) {
    if (broken || connection.parser === null) return;
    const text = data.toString("utf8");
    // A declaration split across two reads is still seen.
    const window = tail + text;
    tail = text.slice(-16);
    if (RESTRICTED.test(window)) {
      breakStream("restricted-xml", "a DTD or an entity declaration");
      return;
    }
    try {
      connection.parser.write(text);
    } catch (error) {
      breakStream("not-well-formed", errorMessage(error));
    }
  };

  connection._onElement = function guardedElement(element) {
    if (broken) return;
    if (STANZAS.has(element.name)) {
      const bad = badAddress(element);
      if (bad !== undefined) {
        hooks.dropped(element, bad);
        return;
      }
    }
    try {
      onElement.call(connection, element);
    } catch (error) {
      hooks.failed(element, error);
    }
  };
}

/** Why a stanza's `from` or `to` is not a JID, or `undefined` when both are fine. */
function badAddress(stanza: XmlElement): string | undefined {
  for (const name of ["from", "to"] as const) {
    const value = stanza.attrs[name];
    if (value === undefined) continue;
    try {
      parseJid(value);
    } catch {
      return `'${name}' is not a valid JID`;
    }
  }
  return undefined;
}
