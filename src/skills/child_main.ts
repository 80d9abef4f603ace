/**
 * The skill side in a process-isolated child (`deno run` per call): reads one request as
 * JSON from standard input, writes one reply as JSON on the last line of standard output.
 * The skill's own console output goes to standard error so it cannot forge a reply. A user
 * skill's module is imported after the request arrives, so Deno checks its whole module
 * graph against the child's permission flags.
 *
 * @module
 */
import { forbidExit, type HostMessage, serveRequest } from "./skill_protocol.ts";

/**
 * Serves one request from standard input and exits.
 *
 * @param module The skill module imported at boot (built-ins); user skills load per request.
 */
export async function serveProcess(module?: unknown): Promise<void> {
  const exit = Deno.exit;
  forbidExit({});
  const toStderr = (...args: unknown[]) => {
    Deno.stderr.writeSync(new TextEncoder().encode(args.map(String).join(" ") + "\n"));
  };
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  const request = JSON.parse(await new Response(Deno.stdin.readable).text()) as HostMessage;
  const reply = await serveRequest(request, module);
  await Deno.stdout.write(new TextEncoder().encode("\n" + JSON.stringify(reply) + "\n"));
  exit(0);
}
