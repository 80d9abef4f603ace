import assert from "node:assert/strict";
import { readableText } from "./readable_text.ts";

const NEWS_PAGE =
  `<!doctype html><html><head><title>Kelp forests are coming back | Ocean Daily</title>
<script>window.tracking = "x";</script><style>body{color:red}</style></head>
<body>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/login">Sign in</a></nav></header>
<aside class="sidebar"><h3>Trending</h3><ul><li><a href="/a">Celebrity gossip</a></li></ul></aside>
<main><article>
<h1>Kelp forests are coming back</h1>
<p class="byline">By A. Writer</p>
<p>Along the coast of California, divers report that kelp forests which had all but vanished
after the marine heatwave of 2014 are recovering in several protected bays this year.</p>
<p>Researchers credit the return of sea otters, which eat the purple urchins that had grazed the
kelp down to bare rock, and a series of cooler winters that helped young plants take hold.</p>
<h2>What changed</h2>
<ul><li>Sea otter numbers rose by a third</li><li>Urchin barrens shrank in four bays</li></ul>
<p>Scientists caution that a single good year does not make a trend, but the early signs are
encouraging for the ecosystems and fisheries that depend on the kelp canopy.</p>
</article></main>
<footer><p>© Ocean Daily. <a href="/privacy">Privacy</a> <a href="/cookies">Cookies</a></p></footer>
</body></html>`;

Deno.test("readableText() keeps the article and drops navigation, sidebars, footers and scripts", () => {
  const page = readableText(NEWS_PAGE, "https://news.example/kelp");
  assert.match(page.title, /Kelp forests are coming back/);
  assert.match(page.text, /divers report that kelp forests/);
  assert.match(page.text, /## What changed/);
  assert.match(page.text, /- Sea otter numbers rose by a third/);
  for (const chrome of ["Sign in", "Celebrity gossip", "Privacy", "tracking", "color:red"]) {
    assert.doesNotMatch(page.text, new RegExp(chrome), `leaked ${chrome}`);
  }
});

Deno.test("readableText() falls back to the body of a page without an article", () => {
  const page = readableText(
    "<html><body><nav>Menu</nav><p>Short note.</p></body></html>",
    "http://x.example/",
  );
  assert.equal(page.text, "Short note.");
});
