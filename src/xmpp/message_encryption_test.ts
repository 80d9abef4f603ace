import { assertEquals } from "../../tests/support/assert.ts";
import { encryptionOf } from "./message_encryption.ts";
import { parseXml } from "./_xml.ts";

const message = (inner: string) =>
  parseXml(`<message from="a@b/c" to="bot@b" type="chat">${inner}</message>`);

Deno.test("encryptionOf() recognises OMEMO in both namespaces, OpenPGP and OTR", () => {
  const cases: [string, string | undefined][] = [
    [
      `<body>fallback</body><encrypted xmlns="eu.siacs.conversations.axolotl"><header sid="1"/>` +
      `<payload>P</payload></encrypted>`,
      "omemo",
    ],
    [
      `<body>fallback</body><encrypted xmlns="urn:xmpp:omemo:2"><header sid="1"/>` +
      `<payload>P</payload></encrypted>`,
      "omemo",
    ],
    [`<body>fallback</body><openpgp xmlns="urn:xmpp:openpgp:0">BASE64</openpgp>`, "openpgp"],
    [
      `<body>This message is encrypted.</body><x xmlns="jabber:x:encrypted">ARMOR</x>`,
      "openpgp_legacy",
    ],
    [`<body>?OTR:AAMDJ+MVmSfjFZcAAAAAAQAAAAIAAADA</body>`, "otr"],
    [`<body>?OTRv23? Alice has requested an Off-the-Record private conversation.</body>`, "otr"],
    [
      `<body>secret</body><encryption xmlns="urn:xmpp:eme:0" namespace="urn:example:new-e2ee"/>`,
      "other",
    ],
    [
      `<body>fallback</body><encryption xmlns="urn:xmpp:eme:0" namespace="urn:xmpp:otr:0"/>`,
      "otr",
    ],
  ];
  for (const [inner, expected] of cases) {
    assertEquals(encryptionOf(message(inner)), expected, inner);
  }
});

Deno.test("encryptionOf() leaves plain messages and OMEMO messages without a payload alone", () => {
  const plain = [
    `<body>Hello, how does OTR work?</body>`,
    `<body>I use OMEMO</body><encryption xmlns="urn:xmpp:eme:0" ` +
    `namespace="eu.siacs.conversations.axolotl"/>`,
    `<encrypted xmlns="eu.siacs.conversations.axolotl"><header sid="1"/></encrypted>`,
    `<body>an &lt;encrypted/&gt; in text</body><encrypted xmlns="urn:example:other"/>`,
  ];
  for (const inner of plain) assertEquals(encryptionOf(message(inner)), undefined, inner);
});
