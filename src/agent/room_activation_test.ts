import { assertEquals } from "../../tests/support/assert.ts";
import { addressedText } from "./room_activation.ts";

Deno.test("addressedText() recognises nick: and nick, at the start and strips them", () => {
  assertEquals(addressedText("Bot: hello", "bot", "mention"), { addressed: true, text: "hello" });
  assertEquals(addressedText("bot , /ping", "bot", "mention"), { addressed: true, text: "/ping" });
  assertEquals(addressedText("  bot: hi", "bot", "mention"), { addressed: true, text: "hi" });
});

Deno.test("addressedText() recognises @nick as a whole word anywhere", () => {
  assertEquals(addressedText("thanks @bot!", "bot", "mention").addressed, true);
  assertEquals(addressedText("@Bot what now", "bot", "mention").addressed, true);
});

Deno.test("addressedText() does not take @botanist or bot alone for @bot", () => {
  for (const body of ["ask @botanist", "the bot is here", "mail bot@example.org", "x@bot"]) {
    assertEquals(addressedText(body, "bot", "mention").addressed, false, body);
  }
});

Deno.test("addressedText() with activation all addresses every message", () => {
  assertEquals(addressedText("good morning", "bot", "all"), {
    addressed: true,
    text: "good morning",
  });
});

Deno.test("addressedText() handles nicks with special characters", () => {
  assertEquals(addressedText("fluux.agent: hi", "fluux.agent", "mention").addressed, true);
  assertEquals(addressedText("fluuxxagent: hi", "fluux.agent", "mention").addressed, false);
});
