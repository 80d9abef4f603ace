/**
 * The skill side in a process-isolated child (`deno run` per call): reads one request as
 * JSON from standard input, writes one reply as JSON on the last line of standard output.
 * The skill's own console output goes to standard error so it cannot forge a reply.
 *
 * @module
 */
import { executeSkill, type HostMessage } from "./skill_protocol.ts";

/**
 * Serves one request from standard input and exits.
 *
 * @param module The imported skill module.
 */
export async function serveProcess(module: unknown): Promise<void> {
  const toStderr = (...args: unknown[]) => {
    Deno.stderr.writeSync(new TextEncoder().encode(args.map(String).join(" ") + "\n"));
  };
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  const request = JSON.parse(await new Response(Deno.stdin.readable).text()) as HostMessage;
  const reply = await executeSkill(module, request);
  await Deno.stdout.write(new TextEncoder().encode("\n" + JSON.stringify(reply) + "\n"));
  Deno.exit(0);
}
