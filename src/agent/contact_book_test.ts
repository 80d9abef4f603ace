import { assertEquals } from "../../tests/support/assert.ts";
import { ContactBook, contactKey } from "./contact_book.ts";
import { memoryBookStorage } from "./json_book.ts";

Deno.test("ContactBook keeps one entry per contact and address, whatever their case", async () => {
  const storage = memoryBookStorage();
  const book = new ContactBook(storage);
  await book.put({ jid: "alice@localhost", address: "Agent.Localhost", since: "2026-11-27" });
  await book.put({
    jid: "alice@localhost",
    address: "helper@agent.localhost",
    since: "2026-11-27",
  });
  await book.put({ jid: "Alice@Localhost", address: "agent.localhost", since: "2026-11-28" });
  assertEquals((await book.list()).map((c) => c.address), [
    "agent.localhost",
    "helper@agent.localhost",
  ]);
  await book.delete(contactKey({ jid: "alice@localhost", address: "AGENT.localhost" }));
  assertEquals(JSON.parse(storage.text ?? "").contacts.map((c: { address: string }) => c.address), [
    "helper@agent.localhost",
  ]);
});
