import { assertEquals } from "../../tests/support/assert.ts";
import { markdownToStyling } from "./xep_0393_message_styling.ts";

Deno.test("markdownToStyling() turns Markdown emphasis into XEP-0393 spans", () => {
  assertEquals(markdownToStyling("**bold** and __bold__"), "*bold* and *bold*");
  assertEquals(markdownToStyling("*italic* and _italic_"), "_italic_ and _italic_");
  assertEquals(markdownToStyling("***both*** ~~gone~~"), "*_both_* ~gone~");
  assertEquals(markdownToStyling("a **bold _and italic_** word"), "a *bold _and italic_* word");
});

Deno.test("markdownToStyling() leaves code alone, inline and in blocks", () => {
  assertEquals(markdownToStyling("run `a*b*c` and `__init__`"), "run `a*b*c` and `__init__`");
  assertEquals(
    markdownToStyling("```python\ndef f(**kw):\n    return *a\n```\nafter **b**"),
    "```python\ndef f(**kw):\n    return *a\n```\nafter *b*",
  );
  assertEquals(markdownToStyling("~~~\n# not a heading\n~~~"), "```\n# not a heading\n```");
  assertEquals(markdownToStyling("```\nunclosed **x**"), "```\nunclosed **x**\n```");
});

Deno.test("markdownToStyling() keeps quotes and makes headings bold lines", () => {
  assertEquals(markdownToStyling("> a **quote**\n>\n> more"), "> a *quote*\n>\n> more");
  assertEquals(markdownToStyling("# Title\n## **Sub** title ##"), "*Title*\n*Sub title*");
});

Deno.test("markdownToStyling() keeps links with their address", () => {
  assertEquals(
    markdownToStyling("see [the docs](https://example.org/a_b) or <https://x.org>"),
    "see the docs (https://example.org/a_b) or https://x.org",
  );
  assertEquals(markdownToStyling("[https://x.org](https://x.org)"), "https://x.org");
  assertEquals(
    markdownToStyling("![a cat](https://x.org/cat.png)"),
    "a cat: https://x.org/cat.png",
  );
  // An address keeps its underscores and stars: no span inside it.
  assertEquals(
    markdownToStyling("https://x.org/*a*/_b_ and *c*"),
    "https://x.org/*a*/_b_ and _c_",
  );
});

Deno.test("markdownToStyling() turns lists and tables into readable lines", () => {
  assertEquals(
    markdownToStyling("- one\n* two\n  + nested\n- [ ] todo\n- [x] done\n1. first"),
    "• one\n• two\n  • nested\n• ☐ todo\n• ☑ done\n1. first",
  );
  assertEquals(
    markdownToStyling("| Setting | Value |\n|---|:---:|\n| port | `5222` |\n| tls | yes |"),
    "• port: `5222`\n• tls: yes",
  );
  assertEquals(
    markdownToStyling(
      "Before\n\n| Name | Age | City |\n| --- | --- | --- |\n| Alice | 30 | Lyon |\n| Bob | | Nice |\n\nAfter",
    ),
    "Before\n\n• Alice — Age: 30; City: Lyon\n• Bob — City: Nice\n\nAfter",
  );
  assertEquals(markdownToStyling("text\n\n---\n\nmore"), "text\n\n———\n\nmore");
});

Deno.test("markdownToStyling() leaves plain text, snake_case and arithmetic as they are", () => {
  const plain = "Use my_var_name, 2 * 3 * 4 = 24, and a lone * star.\nSecond line.";
  assertEquals(markdownToStyling(plain), plain);
  assertEquals(markdownToStyling("escaped \\*stars\\* stay"), "escaped *stars* stay");
});

Deno.test("markdownToStyling() leaves runs of stars and underscores as they are", () => {
  assertEquals(
    markdownToStyling("password ******** and key ********, fill in ____"),
    "password ******** and key ********, fill in ____",
  );
  assertEquals(markdownToStyling("**bold** beside ****"), "*bold* beside ****");
});

Deno.test("markdownToStyling() applies each inline rule to a line holding only its sign", () => {
  // A line without any of these signs is returned as it is, unread: each one alone must
  // still reach its rule.
  assertEquals(markdownToStyling("a ~~gone~~ word"), "a ~gone~ word");
  assertEquals(markdownToStyling("see <https://x.org>"), "see https://x.org");
  assertEquals(markdownToStyling("a \\# sign"), "a # sign");
  assertEquals(markdownToStyling("run ``a`` now"), "run `a` now");
  assertEquals(markdownToStyling("[docs](https://x.org)"), "docs (https://x.org)");
  assertEquals(markdownToStyling("a __bold__ word"), "a *bold* word");
  assertEquals(markdownToStyling("a *word*"), "a _word_");
  assertEquals(
    markdownToStyling("plain words: 3 - 1 = 2, well-known!"),
    "plain words: 3 - 1 = 2, well-known!",
  );
});
