import { assertEquals, assertThrows } from "../../tests/support/assert.ts";
import { parseSlot, parseUploadService } from "./xep_0363_http_upload.ts";
import { parseXml } from "./_xml.ts";

Deno.test("parseUploadService() reads the feature and the size limit of its form", () => {
  const info = parseXml(
    "<iq type='result'><query xmlns='http://jabber.org/protocol/disco#info'>" +
      "<feature var='urn:xmpp:http:upload:0'/><x xmlns='jabber:x:data' type='result'>" +
      "<field var='FORM_TYPE' type='hidden'><value>urn:xmpp:http:upload:0</value></field>" +
      "<field var='max-file-size'><value>1048576</value></field></x></query></iq>",
  );
  assertEquals(parseUploadService(info), { maxBytes: 1_048_576 });
  const other = parseXml(
    "<iq type='result'><query xmlns='http://jabber.org/protocol/disco#info'>" +
      "<feature var='http://jabber.org/protocol/muc'/></query></iq>",
  );
  assertEquals(parseUploadService(other), undefined);
});

Deno.test("parseSlot() keeps only the headers a PUT may carry", () => {
  const slot = parseSlot(parseXml(
    "<iq type='result'><slot xmlns='urn:xmpp:http:upload:0'>" +
      "<put url='https://up.example.org/a/f.txt'><header name='Authorization'>Basic x</header>" +
      "<header name='Host'>evil.example.org</header></put>" +
      "<get url='https://up.example.org/a/f.txt'/></slot></iq>",
  ));
  assertEquals(slot.headers, { authorization: "Basic x" });
  assertEquals(slot.get, "https://up.example.org/a/f.txt");
  assertThrows(
    () =>
      parseSlot(parseXml(
        "<iq type='result'><slot xmlns='urn:xmpp:http:upload:0'><put url='file:///etc/passwd'/>" +
          "<get url='https://x.example/'/></slot></iq>",
      )),
    TypeError,
  );
});
