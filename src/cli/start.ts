/**
 * `start`: works out the permissions the config needs and runs the agent in a child process
 * holding exactly them, forwarding the stop signals. The child runs the bundle of the sources
 * (built at the first start of each version), or `main.ts` itself when there can be none.
 *
 * @module
 */
import { agentBundle } from "../build/mod.ts";
import { AGENT_V8_FLAGS, type LoadedConfig } from "../config/mod.ts";
import { agentPermissionFlags } from "../skills/mod.ts";
import { MAIN_ENTRY, skillOptions, STOP_SIGNALS } from "./_shared.ts";

/** Runs the agent under its derived permissions; the child's exit code. */
export async function start(loaded: LoadedConfig): Promise<number> {
  const bundle = await agentBundle({
    onBuild: (folder) => console.error(`fluux-agent: building the agent's bundle in "${folder}"`),
    v8Flags: AGENT_V8_FLAGS,
  });
  if (!bundle.ok) console.error(`fluux-agent: running from the sources: ${bundle.reason}`);
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      ...await agentPermissionFlags(loaded, skillOptions(loaded)),
      bundle.ok ? bundle.entry : MAIN_ENTRY,
      "run",
      "--config",
      loaded.path,
    ],
    stdin: "null",
  }).spawn();
  const forwards = STOP_SIGNALS.map((signal) => [signal, () => child.kill(signal)] as const);
  for (const [signal, forward] of forwards) Deno.addSignalListener(signal, forward);
  const status = await child.status;
  for (const [signal, forward] of forwards) Deno.removeSignalListener(signal, forward);
  return status.code;
}
