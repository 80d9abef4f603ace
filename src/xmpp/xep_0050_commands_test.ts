import { assertEquals } from "../../tests/support/assert.ts";
import { buildCommandAnswer, parseCommandRequest } from "./xep_0050_commands.ts";
import { parseXml } from "./_xml.ts";

Deno.test("parseCommandRequest() reads the node, the action and a submitted form", () => {
  const command = parseXml(
    "<command xmlns='http://jabber.org/protocol/commands' node='raw' action='complete' " +
      "sessionid='s1'><x xmlns='jabber:x:data' type='submit'><field var='args'>" +
      "<value>one</value><value>two</value></field></x></command>",
  );
  const request = parseCommandRequest(command);
  assertEquals(request?.node, "raw");
  assertEquals(request?.action, "execute");
  assertEquals(request?.sessionId, "s1");
  assertEquals(request?.submitted?.get("args"), "one\ntwo");
});

Deno.test("parseCommandRequest() refuses a command without a node", () => {
  assertEquals(
    parseCommandRequest(parseXml("<command xmlns='http://jabber.org/protocol/commands'/>")),
    undefined,
  );
});

Deno.test("buildCommandAnswer() offers one completing stage while executing", () => {
  const answer = buildCommandAnswer({
    node: "forget",
    sessionId: "s1",
    status: "executing",
    form: { type: "form", fields: [{ var: "confirm", type: "boolean", required: true }] },
  });
  assertEquals(answer.getChild("actions")?.attrs.execute, "complete");
  const field = answer.getChild("x", "jabber:x:data")?.getChild("field");
  assertEquals(field?.attrs.var, "confirm");
  assertEquals(field?.getChild("required") !== undefined, true);
});
