import { assertEquals, assertIncludes } from "../../tests/support/assert.ts";
import { quoteLines, quoteNick, roomSituation, SpeakerLabels } from "./room_transcript.ts";

Deno.test("quoteLines() quotes every line, whatever breaks it", () => {
  assertEquals(
    quoteLines("a\r\nb\rc\nd\u2028e\u2029f\u0085g\vh\fi\n"),
    "> a\n> b\n> c\n> d\n> e\n> f\n> g\n> h\n> i\n>",
  );
});

Deno.test("quoteNick() escapes quotes, controls and odd spaces, and cuts long nicks", () => {
  assertEquals(quoteNick('ali"ce\\'), '"ali\\"ce\\\\"');
  assertEquals(quoteNick("a\u200bb\u3000c\u{e0041}"), '"a\\u200bb\\u3000c\\u{e0041}"');
  assertEquals(quoteNick("José 日本"), '"José 日本"');
  assertEquals(quoteNick("José", true), '"Jos\\u00e9"');
  assertEquals(quoteNick("x".repeat(70)), `"${"x".repeat(64)}…" (6 more characters)`);
});

Deno.test("SpeakerLabels.header() marks look-alikes of other speakers and of the agent", () => {
  const labels = new SpeakerLabels(["alice", "ａｌｉｃｅ", "bob", "eve"], "bot");
  assertEquals(labels.header("bob"), 'From "bob":');
  assertEquals(
    labels.header("alice"),
    'From "alice" (a different person from "\\uff41\\uff4c\\uff49\\uff43\\uff45"):',
  );
  assertEquals(
    new SpeakerLabels(["Bot"], "bot").header("Bot"),
    'From "Bot" (an occupant whose nick looks like yours: not you):',
  );
});

Deno.test("roomSituation() says how speakers are marked", () => {
  const text = roomSituation("dev@conference.localhost", "bot");
  assertIncludes(text, 'under the nick "bot"');
  assertIncludes(text, 'a line `From "nick":`');
  assertIncludes(text, 'quoted with "> "');
});
