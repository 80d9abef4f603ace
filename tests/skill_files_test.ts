/**
 * Files out from skills (XEP-0363): a skill whose result is a file — here a process-isolated
 * user skill and a trusted worker one, each holding no permission beyond its state folder —
 * has it uploaded by the agent through Prosody's `http_file_share`, the person gets the link
 * with an out-of-band attachment whose bytes are the skill's, and the LLM reads where it went.
 * A file over the service's limit is an error the LLM reads, and nothing is sent.
 */
import { assertEquals, assertIncludes, assertTrue } from "./support/assert.ts";
import { startAgent } from "./support/agent_process.ts";
import { startFakeLlm } from "./support/fake_llm.ts";
import { connectHuman } from "./support/human.ts";
import { startProsody } from "./support/prosody.ts";
import { callNamedTool, writeSkills } from "./support/skills_dir.ts";

const BOT = "bot@localhost";

/** Every byte value, `size` long: what a text path would mangle. */
function binary(size: number): Uint8Array {
  return Uint8Array.from({ length: size }, (_, i) => (i * 7 + 3) % 256);
}

const CODE = (name: string, type: string) =>
  "export const run = (input: { text?: string }) => {\n" +
  "  const size = Number(input.text ?? 1000);\n" +
  "  const bytes = Uint8Array.from({ length: size }, (_, i) => (i * 7 + 3) % 256);\n" +
  `  return { content: "made " + size, file: { name: ${JSON.stringify(name)}, bytes, ` +
  `media_type: ${JSON.stringify(type)} } };\n};\n`;

Deno.test("skill files: a skill's file reaches the person as an upload link with its bytes", async () => {
  const root = await Deno.makeTempDir({ prefix: "skill-files-" });
  try {
    await writeSkills(root, {
      chart: { code: CODE("chart.png", "image/png") },
      table: { manifest: 'isolation = "worker"', code: CODE("data.bin", "application/x-test") },
    });
    await using prosody = await startProsody({ httpUpload: { sizeLimit: 4_096 } });
    await prosody.register("bot", "botpass");
    await prosody.register("alice", "alicepass");
    await using llm = await startFakeLlm({ handler: callNamedTool });
    await using _agent = await startAgent({
      prosody,
      llmUrl: llm.url,
      extraToml: `[upload]\nhost = "localhost:${prosody.httpPort}"\n` +
        `[skills]\ndir = "${root}"\ntrusted = ["table"]\n`,
    });
    await using alice = await connectHuman(prosody, { user: "alice", password: "alicepass" });

    for (
      const [skill, name, type] of [["chart", "chart.png", "image/png"], [
        "table",
        "data.bin",
        "application/x-test",
      ]] as const
    ) {
      await alice.send(BOT, `call ${skill} 1000`);
      const file = await alice.nextMessage({ from: BOT, withBody: true, timeoutMs: 30_000 });
      const url = file.body ?? "";
      assertTrue(url.startsWith(`http://localhost:${prosody.httpPort}/`), url);
      assertTrue(url.endsWith(`/${name}`), url);
      assertIncludes(file.xml, "jabber:x:oob");
      assertIncludes(file.xml, `<url>${url}</url>`);
      const download = await fetch(url);
      assertEquals(download.status, 200);
      assertEquals(download.headers.get("content-type"), type);
      assertEquals(new Uint8Array(await download.arrayBuffer()), binary(1000));
      const said = await alice.nextMessage({ from: BOT, withBody: true });
      assertEquals(
        said.body,
        `done: Skill "${skill}" sent the file "${name}" (1000 bytes) to the person: ${url}`,
      );
      // The skill's own text follows, as the next paragraph of the answer.
      const text = await alice.nextMessage({ from: BOT, withBody: true });
      assertEquals(text.body, "made 1000");
    }

    await alice.send(BOT, "call chart 5000");
    const refused = await alice.nextMessage({ from: BOT, withBody: true, timeoutMs: 30_000 });
    assertIncludes(refused.body ?? "", 'done: Skill "chart" returned a file, which was not sent');
    assertIncludes(refused.body ?? "", "at most 4096");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
