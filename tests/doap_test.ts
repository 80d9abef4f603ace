/**
 * The README's table of standards and `fluux-agent.doap` say the same: every XEP with the
 * same status, every RFC in both.
 */
import { assertEquals, assertTrue } from "./support/assert.ts";
import { parseXml } from "../src/xmpp/mod.ts";

const ROOT = new URL("../", import.meta.url);

Deno.test("fluux-agent.doap lists the README's standards with the same statuses", async () => {
  const readme = await Deno.readTextFile(new URL("README.md", ROOT));
  const fromReadme = new Map<string, string>();
  for (
    const [, id, status] of readme.matchAll(
      /^\| \[(XEP-\d{4}|RFC \d+)\]\([^)]*\) *\|[^|]*\| *(\w+) *\|/gm,
    )
  ) {
    fromReadme.set(id!, status!);
  }
  assertTrue(fromReadme.size > 10, "the README has its table of standards");

  const text = await Deno.readTextFile(new URL("fluux-agent.doap", ROOT));
  const doap = parseXml(text.replace(/^<\?xml[^>]*\?>\s*/, ""));
  const project = doap.getChild("Project", "http://usefulinc.com/ns/doap#");
  const fromDoap = new Map<string, string>();
  for (const implemented of project?.getChildren("implements") ?? []) {
    const resource = implemented.attrs["rdf:resource"];
    const rfc = resource === undefined ? undefined : /rfc(\d+)\.html$/.exec(resource)?.[1];
    if (rfc !== undefined) {
      fromDoap.set(`RFC ${rfc}`, "complete");
      continue;
    }
    const supported = implemented.getChildren("SupportedXep")[0];
    const xep = supported?.getChildren("xep")[0]?.attrs["rdf:resource"] ?? "";
    const number = /xep-(\d{4})\.html$/.exec(xep)?.[1];
    const status = supported?.getChildren("status")[0]?.text() ?? "";
    if (number !== undefined) fromDoap.set(`XEP-${number}`, status);
  }
  assertEquals([...fromDoap].sort(), [...fromReadme].sort());
});
