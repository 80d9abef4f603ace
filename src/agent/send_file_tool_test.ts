import { assertEquals, assertIncludes } from "../../tests/support/assert.ts";
import type { UploadFile, XmppAction } from "../xmpp/mod.ts";
import { sendFileTool } from "./send_file_tool.ts";

const ROOM_REPLY = { to: "dev@conference.x", messageType: "groupchat" as const };

function tool(upload: (file: UploadFile) => Promise<string>) {
  const sent: XmppAction[] = [];
  const runner = sendFileTool({ upload, send: (action) => sent.push(action) });
  return { runner, sent };
}

Deno.test("send_file uploads the text and sends its link with an OOB attachment where it answers", async () => {
  const uploaded: UploadFile[] = [];
  const { runner, sent } = tool((file) => {
    uploaded.push(file);
    return Promise.resolve("https://share.x/abc/notes.csv");
  });
  const result = await runner.call(
    { id: "t1", name: "send_file", input: { name: "../notes.csv", content: "a,b\n1,2\n" } },
    { conversation: "dev@conference.x", reply: ROOM_REPLY },
  );
  assertEquals(result.is_error, false);
  // No path survives in the name.
  assertEquals(uploaded[0]?.name, "_notes.csv");
  assertEquals(uploaded[0]?.type, "text/csv; charset=utf-8");
  assertEquals(new TextDecoder().decode(uploaded[0]?.bytes), "a,b\n1,2\n");
  assertEquals(sent, [{
    type: "message",
    body: "https://share.x/abc/notes.csv",
    oob: "https://share.x/abc/notes.csv",
    to: "dev@conference.x",
    messageType: "groupchat",
  }]);
});

Deno.test("send_file turns a refused upload into an error result, and sends nothing", async () => {
  const { runner, sent } = tool(() => Promise.reject(new Error("The server offers no upload")));
  const result = await runner.call(
    { id: "t2", name: "send_file", input: { name: "a.txt", content: "x" } },
    { conversation: "alice@x", reply: { to: "alice@x/phone", messageType: "chat" } },
  );
  assertEquals(result.is_error, true);
  assertIncludes(result.content, "The file was not sent: The server offers no upload");
  assertEquals(sent, []);
});

Deno.test("send_file refuses bad arguments without uploading", async () => {
  const { runner } = tool(() => Promise.reject(new Error("must not be called")));
  const where = { conversation: "alice@x", reply: { to: "alice@x", messageType: "chat" as const } };
  for (
    const input of [{ content: "x" }, { name: "a.txt" }, {
      name: "a",
      content: "x",
      media_type: "bad",
    }]
  ) {
    const result = await runner.call({ id: "t", name: "send_file", input }, where);
    assertEquals(result.is_error, true);
  }
});
