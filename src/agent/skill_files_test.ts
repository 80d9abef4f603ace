import { assertEquals } from "../../tests/support/assert.ts";
import type { CallContext } from "../skills/mod.ts";
import type { UploadFile, XmppAction } from "../xmpp/mod.ts";
import { withSkillFiles } from "./skill_files.ts";
import type { ToolContext, ToolRunner } from "./turn.ts";

const REPLY = { to: "alice@x/phone", messageType: "chat" as const };
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);

/** A skills runner whose one skill returns a file through `sendFile`, as the real one does. */
function skills(seen: { context?: CallContext }): ToolRunner {
  return {
    definitions: () => [{ name: "chart", description: "", input_schema: { type: "object" } }],
    async call(call, context: ToolContext & CallContext) {
      seen.context = context;
      if (context.sendFile === undefined) {
        return { tool_use_id: call.id, content: "cannot send", is_error: true };
      }
      const url = await context.sendFile({ name: "../chart.png", bytes: PNG });
      return { tool_use_id: call.id, content: url, is_error: false };
    },
  };
}

Deno.test("withSkillFiles() uploads a skill's file under a safe name and sends it where the turn answers", async () => {
  const uploaded: UploadFile[] = [];
  const sent: XmppAction[] = [];
  const seen: { context?: CallContext } = {};
  const runner = withSkillFiles(skills(seen), {
    upload: (file) => Promise.resolve(void uploaded.push(file)).then(() => "https://up/chart.png"),
    send: (action) => sent.push(action),
  })!;
  const result = await runner.call(
    { id: "t1", name: "chart", input: {} },
    { conversation: "alice@x", reply: REPLY },
  );
  assertEquals(result, { tool_use_id: "t1", content: "https://up/chart.png", is_error: false });
  assertEquals(uploaded, [{ name: "_chart.png", bytes: PNG, type: "image/png" }]);
  assertEquals(sent, [{
    type: "message",
    body: "https://up/chart.png",
    oob: "https://up/chart.png",
    to: "alice@x/phone",
    messageType: "chat",
  }]);
  assertEquals(seen.context?.conversation, "alice@x");
});

Deno.test("withSkillFiles() gives no way to send a file in a turn that answers no one", async () => {
  const sent: XmppAction[] = [];
  const runner = withSkillFiles(skills({}), {
    upload: () => Promise.resolve("https://up/x"),
    send: (action) => sent.push(action),
  })!;
  const result = await runner.call({ id: "t2", name: "chart", input: {} }, { conversation: "c" });
  assertEquals(result.is_error, true);
  assertEquals(sent, []);
  assertEquals(
    withSkillFiles(undefined, { upload: () => Promise.reject(), send: () => {} }),
    undefined,
  );
});
