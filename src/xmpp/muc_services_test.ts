import { assertEquals, assertTrue } from "../../tests/support/assert.ts";
import { MucServices } from "./muc_services.ts";
import { parseXml, type XmlElement } from "./_xml.ts";

const MUC_INFO = '<query xmlns="http://jabber.org/protocol/disco#info">' +
  '<identity category="conference" type="text" name="Chatrooms"/>' +
  '<feature var="http://jabber.org/protocol/muc"/></query>';

/** Answers disco#info per domain: `"from|<query/>"` answers from another address. */
function setup(answers: Record<string, string>) {
  const asked: string[] = [];
  const clock = { now: 0 };
  const services = new MucServices({
    request: (iq: XmlElement) => {
      const to = iq.attrs.to ?? "";
      asked.push(to);
      const payload = answers[to];
      if (payload === undefined) {
        return Promise.reject(Object.assign(new Error("timeout"), { name: "TimeoutError" }));
      }
      const [from, query] = payload.includes("|") ? payload.split("|") : [to, payload];
      return Promise.resolve(
        parseXml(`<iq type="result" from="${from}" id="${iq.attrs.id}">${query}</iq>`),
      );
    },
    now: () => clock.now,
    retryAfterMs: 1000,
  });
  return { services, asked, clock };
}

Deno.test("MucServices believes a conference identity and asks each domain once", async () => {
  const { services, asked } = setup({ "conference.localhost": MUC_INFO });
  const [first, second] = await Promise.all([
    services.check("conference.localhost"),
    services.check("conference.localhost"),
  ]);
  assertEquals([first, second], [{ muc: true }, { muc: true }]);
  await services.check("conference.localhost");
  assertEquals(asked, ["conference.localhost"]);
});

Deno.test("MucServices doubts an answer from elsewhere and asks an unanswering domain again later", async () => {
  const { services, asked, clock } = setup({ "muc.example": `other.example|${MUC_INFO}` });
  const forged = await services.check("muc.example");
  assertEquals(forged.muc, false);
  assertTrue(!forged.muc && forged.reason.includes("came from other.example"));
  const silent = await services.check("silent.example");
  assertTrue(!silent.muc && silent.reason.includes("no answer"));
  await services.check("silent.example");
  assertEquals(asked, ["muc.example", "silent.example"], "remembered for a while");
  clock.now = 5000;
  await services.check("silent.example");
  assertEquals(asked.length, 3, "asked again once the failure is old");
});
