"""A real XMPP client (slixmpp) that plays the human in integration tests.

Driven over stdin/stdout with one JSON object per line:
  stdin  <- {"cmd": N, "op": "...", ...}      one command
  stdout -> {"kind": "reply", "cmd": N, "ok": true, "result": ...}
            {"kind": "reply", "cmd": N, "ok": false, "error": "..."}
            {"kind": "ready" | "message" | "presence" | "subscribe" | ..., ...}   events
Settings come from the HUMAN_CONFIG environment variable (JSON). The process disconnects and
exits when stdin closes, so a test runner that dies cannot leave it behind.
Run it with /usr/bin/python3 (Debian's python3-slixmpp).
"""

import asyncio
import json
import logging
import os
import re
import ssl
import sys
import uuid
import xml.etree.ElementTree as ET

import slixmpp
from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatcherId, StanzaPath

CHAT_STATES = "http://jabber.org/protocol/chatstates"
CLIENT = "jabber:client"
DISCO_INFO = "http://jabber.org/protocol/disco#info"
VERSION = "jabber:iq:version"
SUBSCRIPTION_TYPES = ("subscribe", "subscribed", "unsubscribe", "unsubscribed")
IQ_TEMPLATES = {
    "ping": "<iq type='get' to='{to}' id='{id}'><ping xmlns='urn:xmpp:ping'/></iq>",
    "disco_info": "<iq type='get' to='{to}' id='{id}'><query xmlns='" + DISCO_INFO + "'/></iq>",
    "version": "<iq type='get' to='{to}' id='{id}'><query xmlns='" + VERSION + "'/></iq>",
}


def emit(event):
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


def text_of(element, tag):
    child = element.find(tag)
    return None if child is None else (child.text or "")


def compact(event):
    return {key: value for key, value in event.items() if value is not None}


class Human(slixmpp.ClientXMPP):
    def __init__(self, config):
        super().__init__(config["jid"], config["password"])
        self.config = config
        self.ready = asyncio.get_running_loop().create_future()
        for plugin in ("xep_0030", "xep_0085", "xep_0199", "xep_0092", "xep_0359", "xep_0333",
                       "xep_0308", "xep_0461", "xep_0444", *config.get("plugins", [])):
            self.register_plugin(plugin)
        # Receipts are asked for per message, and the agent's messages are not acknowledged.
        self.register_plugin("xep_0184", {"auto_ack": False, "auto_request": False})
        auto = True if config.get("autoAccept") else None
        self.auto_authorize = auto
        self.auto_subscribe = auto
        self.ssl_context.check_hostname = False
        self.ssl_context.verify_mode = ssl.CERT_NONE
        self["feature_mechanisms"].unencrypted_plain = not config.get("tls", True)
        self.add_event_handler("session_start", self.on_session_start)
        self.add_event_handler("failed_all_auth", self.on_failure("Authentication failed"))
        self.add_event_handler("connection_failed", self.on_failure("Connection failed"))
        self.add_event_handler("disconnected", self.on_disconnected)
        self.register_handler(Callback("human messages", StanzaPath("message"), self.on_message))
        self.register_handler(Callback("human presences", StanzaPath("presence"), self.on_presence))

    async def on_session_start(self, _event):
        # slixmpp 1.8 does not enforce force_starttls, so a client that wants TLS checks here.
        secure = self.transport.get_extra_info("ssl_object") is not None
        if self.config.get("tls", True) and not secure:
            self.on_failure("The server did not negotiate TLS")()
            self.abort()
            return
        await self.get_roster()
        self.send_presence()
        # A server handles a session's stanzas in order: once it has answered an IQ sent after
        # the initial presence, that presence is in effect, and a message to the bare JID finds
        # this resource instead of offline storage (ejabberd once stored one that way, sent the
        # moment "ready" came).
        try:
            await self.plugin["xep_0199"].ping(jid=self.boundjid.domain, timeout=10)
        except (slixmpp.exceptions.IqError, slixmpp.exceptions.IqTimeout):
            pass  # answered with an error, or not at all: nothing more to wait for
        if not self.ready.done():
            self.ready.set_result(None)
        emit({"kind": "ready", "jid": str(self.boundjid)})

    def on_failure(self, text):
        def handler(reason=None):
            detail = f": {reason}" if reason else ""
            emit({"kind": "failed", "error": f"{text}{detail}"})
            if not self.ready.done():
                self.ready.set_exception(RuntimeError(text))

        return handler

    def on_disconnected(self, reason=None):
        emit({"kind": "disconnected", "reason": str(reason) if reason else None})
        if not self.ready.done():
            self.ready.set_exception(RuntimeError("Disconnected before the session started"))

    def on_message(self, msg):
        xml = msg.xml
        state = next((child.tag.split("}")[1] for child in xml
                      if child.tag.startswith("{" + CHAT_STATES + "}")), None)
        emit(compact({
            "kind": "message",
            "from": str(msg["from"]),
            "to": str(msg["to"]),
            "type": xml.get("type", "normal"),
            "id": xml.get("id"),
            "body": text_of(xml, f"{{{CLIENT}}}body"),
            "subject": text_of(xml, f"{{{CLIENT}}}subject"),
            "thread": text_of(xml, f"{{{CLIENT}}}thread"),
            "chatState": state,
            **message_features(msg),
            "xml": str(msg),
        }))

    def on_presence(self, presence):
        xml = presence.xml
        kind = xml.get("type", "available")
        event = {"from": str(presence["from"]), "to": str(presence["to"]), "xml": str(presence)}
        if kind in SUBSCRIPTION_TYPES:
            emit({"kind": kind, **event})
            return
        emit(compact({
            "kind": "presence",
            "type": kind,
            "show": text_of(xml, f"{{{CLIENT}}}show"),
            "status": text_of(xml, f"{{{CLIENT}}}status"),
            **event,
        }))

    async def run_command(self, command):
        op = command.get("op")
        if op == "send":
            return self.send_chat(command)
        if op == "react":
            return self.send_reaction(command)
        if op == "raw":
            self.send_raw(command["xml"])
            return None
        if op == "iq":
            return await self.send_iq(command)
        if op == "presence":
            self.send_presence(pto=command.get("to"), ptype=command.get("type"),
                               pshow=command.get("show"), pstatus=command.get("status"))
            return None
        if op == "roster":
            return await self.fetch_roster()
        if op == "commands":
            return await self.list_commands(command["jid"])
        if op == "run_command":
            return await self.run_adhoc(command)
        if op == "caps":
            return await self.verified_caps(command["jid"])
        raise ValueError(f'Unknown command "{op}"')

    def send_chat(self, command):
        msg = self.make_message(mto=command["to"], mtype=command.get("type", "chat"))
        msg["id"] = command.get("id") or uuid.uuid4().hex
        if not command.get("noBody"):
            msg["body"] = command.get("body", "")
        if command.get("thread"):
            msg["thread"] = command["thread"]
        if command.get("chatState"):
            msg["chat_state"] = command["chatState"]
        if command.get("receipt"):
            msg["request_receipt"] = True
        if command.get("markable"):
            msg.enable("markable")
        if command.get("replace"):
            msg["replace"]["id"] = command["replace"]
        reply = command.get("reply")
        if reply:
            msg["reply"]["to"] = reply["to"]
            msg["reply"]["id"] = reply["id"]
            if reply.get("quote") is not None:
                # What clients put in front for readers without replies, marked as such.
                quote = "".join(f"> {line}\n" for line in reply["quote"].split("\n"))
                msg["body"] = quote + msg["body"]
                msg["feature_fallback"]["for"] = "urn:xmpp:reply:0"
                msg["feature_fallback"]["fallback_body"]["start"] = "0"
                msg["feature_fallback"]["fallback_body"]["end"] = str(len(quote))
        msg.send()
        return msg["id"]

    def send_reaction(self, command):
        self["xep_0444"].send_reactions(command["to"], command["id"], command["emojis"])
        return None

    async def send_iq(self, command):
        iq = await self.request(command["kind"], command.get("to"), command.get("timeoutMs"))
        return describe_iq(iq)

    async def request(self, kind, to=None, timeout_ms=None):
        """Sends a template or raw IQ and returns the reply stanza (errors included)."""
        iq_id = uuid.uuid4().hex
        if kind in IQ_TEMPLATES:
            raw = IQ_TEMPLATES[kind].format(to=to, id=iq_id)
        else:
            raw = kind
            found = re.search(r"""^\s*<iq\b[^>]*\bid=(['"])(.*?)\1""", raw)
            if found:
                iq_id = found.group(2)
            else:
                raw = re.sub(r"^\s*<iq\b", f"<iq id='{iq_id}'", raw, count=1)
        reply = asyncio.get_running_loop().create_future()

        def on_reply(iq):
            if not reply.done():
                reply.set_result(iq)

        name = f"human iq {iq_id}"
        self.register_handler(Callback(name, MatcherId(iq_id), on_reply, once=True))
        try:
            self.send_raw(raw)
            return await asyncio.wait_for(reply, (timeout_ms or 10000) / 1000)
        except asyncio.TimeoutError:
            raise TimeoutError(f'No reply to IQ "{iq_id}"') from None
        finally:
            self.remove_handler(name)

    async def verified_caps(self, jid):
        """What slixmpp's XEP-0115 plugin verified for jid's presence hash (None: not yet)."""
        info = await self["xep_0115"].get_caps(jid)
        if info is None:
            return None
        return {"features": sorted(info["features"]),
                "identities": [list(i) for i in info["identities"]],
                "ver": str(await self["xep_0115"].get_verstring(jid))}

    async def list_commands(self, jid):
        """The ad-hoc commands jid offers (slixmpp's xep_0050 client side)."""
        iq = await self["xep_0050"].get_commands(jid)
        return [{"node": node, "name": name} for _jid, node, name in iq["disco_items"]["items"]]

    async def run_adhoc(self, command):
        """Executes a command; a form it asks with is filled with command["fields"]."""
        adhoc = self["xep_0050"]
        jid, node = command["jid"], command["node"]
        try:
            iq = await adhoc.send_command(jid, node, action="execute")
            asked = None
            if iq["command"]["status"] == "executing" and command.get("fields") is not None:
                asked = list(iq["command"]["form"].get_fields().keys())
                form = self["xep_0004"].make_form(ftype="submit")
                for var, value in command["fields"].items():
                    form.add_field(var=var, value=value)
                iq = await adhoc.send_command(jid, node, action="complete", payload=form,
                                              sessionid=iq["command"]["sessionid"])
        except slixmpp.exceptions.IqError as error:
            return {"status": "error", "error": error.iq["error"]["condition"],
                    "text": error.iq["error"]["text"]}
        result = iq["command"]
        values = result["form"].get_values()
        notes = [text for _kind, text in result["notes"]]
        return compact({"status": result["status"], "notes": notes, "values": values,
                        "asked": asked})

    async def fetch_roster(self):
        # A plain query: slixmpp's get_roster() sends a roster version, and Prosody then answers
        # with an empty result when nothing changed.
        iq = await self.request("<iq type='get'><query xmlns='jabber:iq:roster'/></iq>")
        items = iq.xml.findall("{jabber:iq:roster}query/{jabber:iq:roster}item")
        return [compact({
            "jid": item.get("jid"),
            "subscription": item.get("subscription", "none"),
            "name": item.get("name"),
            "ask": item.get("ask"),
        }) for item in items]


def message_features(msg):
    """What a message carries of receipts, markers, corrections, replies and reactions."""
    xml = msg.xml
    found = {}
    receipt = xml.find("{urn:xmpp:receipts}received")
    if receipt is not None:
        found["receipt"] = receipt.get("id")
    markers = {name: element.get("id") for name in ("received", "displayed", "acknowledged")
               if (element := xml.find(f"{{urn:xmpp:chat-markers:0}}{name}")) is not None}
    if markers:
        found["markers"] = markers
    if xml.find("{urn:xmpp:chat-markers:0}markable") is not None:
        found["markable"] = True
    if xml.find("{urn:xmpp:message-correct:0}replace") is not None:
        found["replace"] = msg["replace"]["id"]
    reply = xml.find("{urn:xmpp:reply:0}reply")
    if reply is not None:
        found["reply"] = compact({"to": reply.get("to"), "id": reply.get("id")})
        fallback = xml.find("{urn:xmpp:fallback:0}fallback/{urn:xmpp:fallback:0}body")
        if fallback is not None:
            body = msg["body"]
            start, end = int(fallback.get("start", 0)), int(fallback.get("end", 0))
            found["replyFallback"] = body[start:end]
            found["bodyWithoutFallback"] = body[:start] + body[end:]
    reactions = xml.find("{urn:xmpp:reactions:0}reactions")
    if reactions is not None:
        found["reactions"] = {"id": reactions.get("id"),
                              "emojis": [r.text or "" for r in reactions]}
    return found


def describe_iq(iq):
    xml = iq.xml
    result = {"type": xml.get("type"), "from": str(iq["from"]), "id": xml.get("id"),
              "xml": str(iq)}
    disco = xml.find(f"{{{DISCO_INFO}}}query")
    if disco is not None:
        result["features"] = [f.get("var") for f in disco.findall(f"{{{DISCO_INFO}}}feature")]
        result["identities"] = [compact({"category": i.get("category"), "type": i.get("type"),
                                         "name": i.get("name")})
                                for i in disco.findall(f"{{{DISCO_INFO}}}identity")]
    version = xml.find(f"{{{VERSION}}}query")
    if version is not None:
        result.update(compact({"name": text_of(version, f"{{{VERSION}}}name"),
                               "version": text_of(version, f"{{{VERSION}}}version"),
                               "os": text_of(version, f"{{{VERSION}}}os")}))
    error = xml.find(f"{{{CLIENT}}}error")
    if error is not None:
        conditions = [child.tag.split("}")[1] for child in error
                      if child.tag.startswith("{urn:ietf:params:xml:ns:xmpp-stanzas}")
                      and not child.tag.endswith("}text")]
        result["error"] = conditions[0] if conditions else "undefined-condition"
    return result


async def read_commands(human):
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=16 * 1024 * 1024)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    tasks = set()
    while line := await reader.readline():
        if line.strip():
            task = asyncio.create_task(answer(human, json.loads(line)))
            tasks.add(task)
            task.add_done_callback(tasks.discard)


async def answer(human, command):
    try:
        result = await human.run_command(command)
        emit({"kind": "reply", "cmd": command["cmd"], "ok": True, "result": result})
    except Exception as error:  # Every failure goes back to the test as text.
        emit({"kind": "reply", "cmd": command["cmd"], "ok": False,
              "error": f"{type(error).__name__}: {error}"})


async def main():
    config = json.loads(os.environ["HUMAN_CONFIG"])
    if config.get("debug"):
        logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)
    human = Human(config)
    tls = config.get("tls", True)
    human.connect((config["host"], config["port"]), force_starttls=tls, disable_starttls=not tls)
    commands = asyncio.create_task(read_commands(human))
    await asyncio.wait({human.ready, commands}, return_when=asyncio.FIRST_COMPLETED)
    if not human.ready.done() or human.ready.exception() is not None:
        return 1
    await commands
    await asyncio.wait_for(human.disconnect(wait=1.0), 2)
    return 0


if __name__ == "__main__":
    try:
        code = asyncio.run(main())
    except (asyncio.TimeoutError, KeyboardInterrupt):
        code = 0
    sys.stdout.flush()
    os._exit(code)
