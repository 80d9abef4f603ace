import { assertEquals } from "../../tests/support/assert.ts";
import { JsonBook, memoryBookStorage } from "./json_book.ts";

interface Pet {
  name: string;
  kind: string;
}

function isPet(value: unknown): value is Pet {
  return typeof (value as Pet | null)?.name === "string" && typeof (value as Pet).kind === "string";
}

function petBook(initial?: string) {
  const storage = memoryBookStorage(initial);
  const book = new JsonBook<Pet>(storage, { field: "pets", key: (pet) => pet.name, accept: isPet });
  return { storage, book };
}

Deno.test("JsonBook keeps records by key and writes the whole list on every change", async () => {
  const { storage, book } = petBook();
  await book.put({ name: "rex", kind: "dog" });
  await book.put({ name: "tom", kind: "cat" });
  await book.put({ name: "rex", kind: "wolf" });
  await book.delete("tom");
  await book.delete("nobody");
  assertEquals(JSON.parse(storage.text ?? ""), { pets: [{ name: "rex", kind: "wolf" }] });
  assertEquals(await book.has("rex"), true);
  assertEquals(await book.has("tom"), false);
});

Deno.test("JsonBook reads its file once, drops what is not a record, and survives damage", async () => {
  const { book } = petBook(JSON.stringify({ pets: [{ name: "rex", kind: "dog" }, { name: 3 }] }));
  assertEquals(await book.list(), [{ name: "rex", kind: "dog" }]);
  const damaged = petBook("{ not json");
  assertEquals(await damaged.book.list(), []);
  await damaged.book.put({ name: "tom", kind: "cat" });
  assertEquals(JSON.parse(damaged.storage.text ?? ""), { pets: [{ name: "tom", kind: "cat" }] });
});

Deno.test("JsonBook writes changes made at once in order, the last one winning", async () => {
  const writes: string[] = [];
  let calls = 0;
  const book = new JsonBook<Pet>({
    read: () => Promise.resolve(undefined),
    // The first write is the slowest: a later one must still land last.
    write: (text) =>
      new Promise((resolve) =>
        setTimeout(() => {
          writes.push(text);
          resolve();
        }, calls++ === 0 ? 20 : 0)
      ),
  }, { field: "pets", key: (pet) => pet.name, accept: isPet });
  await Promise.all([
    book.put({ name: "rex", kind: "dog" }),
    book.put({ name: "tom", kind: "cat" }),
  ]);
  assertEquals(JSON.parse(writes.at(-1) ?? "").pets.length, 2);
});
