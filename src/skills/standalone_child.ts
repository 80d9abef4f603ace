/**
 * The child of a process-isolated skill call inside a compiled executable:
 * `fluux-agent skill-child [--allow-net[=…]] [--allow-read=…] [--allow-write=…]
 * [--allow-env=…] [--confined] --timeout-ms=<ms> <module URL>`, request on standard input, reply as JSON
 * on the last line of standard output (as `child_main.ts` does under `deno run`).
 *
 * Deno applies no permission flag given to a compiled executable when it starts: the child
 * holds the executable's own permissions. So it confines the skill in a Web Worker holding
 * exactly the flags it was given (every key explicit, as for worker skills), and refuses a
 * flag it does not hold itself rather than let the skill run with more or fail half-way.
 *
 * @module
 */
/// <reference lib="deno.unstable" />
import { errorMessage } from "../log/mod.ts";
import type { EngineOutcome } from "./_engine.ts";
import { runInWorker } from "./_worker_engine.ts";
import type { HostMessage } from "./skill_protocol.ts";

/** The parsed command line of the child. */
interface ChildArgs {
  module: URL;
  /** A user skill: its module loads inside the worker, under the worker's permissions. */
  confined: boolean;
  timeoutMs: number;
  permissions: Deno.PermissionOptionsObject;
}

const LIST_FLAGS = { "--allow-read": "read", "--allow-write": "write", "--allow-env": "env" };

/**
 * Serves one call: parses the flags, checks this process holds them, runs the skill in a
 * worker holding exactly them, writes the outcome.
 *
 * @param args The arguments after `skill-child`.
 * @returns The exit code: 0 once an outcome is written, 2 for a malformed command line.
 */
export async function serveStandaloneChild(args: readonly string[]): Promise<number> {
  let parsed: ChildArgs;
  try {
    parsed = parseChildArgs(args);
  } catch (error) {
    console.error(`fluux-agent skill-child: ${errorMessage(error)}`);
    return 2;
  }
  const request = JSON.parse(await new Response(Deno.stdin.readable).text()) as HostMessage;
  const outcome: EngineOutcome = notHeld(parsed.permissions) ??
    await runInWorker(
      {
        module: parsed.module,
        confined: parsed.confined,
        message: request,
        timeoutMs: parsed.timeoutMs,
      },
      parsed.permissions,
    );
  await Deno.stdout.write(new TextEncoder().encode("\n" + JSON.stringify(outcome) + "\n"));
  return 0;
}

/**
 * Reads the child's command line.
 *
 * @throws {TypeError} Naming the argument, for anything else than the flags above.
 */
export function parseChildArgs(args: readonly string[]): ChildArgs {
  const permissions: Deno.PermissionOptionsObject = {
    net: false,
    read: false,
    write: false,
    env: false,
    run: false,
    ffi: false,
    sys: false,
    import: false,
  };
  let timeoutMs: number | undefined;
  let module: URL | undefined;
  let confined = false;
  for (const arg of args) {
    const [flag, value] = splitFlag(arg);
    if (arg === "--confined") confined = true;
    else if (flag === "--allow-net") {
      permissions.net = value === undefined ? true : value.split(",");
    } else if (flag in LIST_FLAGS && value !== undefined) {
      permissions[LIST_FLAGS[flag as keyof typeof LIST_FLAGS] as "read"] = value.split(",");
    } else if (flag === "--timeout-ms" && value !== undefined && /^\d+$/.test(value)) {
      timeoutMs = Number(value);
    } else if (!arg.startsWith("-") && module === undefined && URL.canParse(arg)) {
      module = new URL(arg);
    } else {
      throw new TypeError(`Unexpected argument ${JSON.stringify(arg)}`);
    }
  }
  if (module === undefined || timeoutMs === undefined) {
    throw new TypeError("Expected --timeout-ms=<ms> and the skill module's URL");
  }
  return { module, confined, timeoutMs, permissions };
}

function splitFlag(arg: string): [string, string | undefined] {
  const at = arg.indexOf("=");
  return at === -1 ? [arg, undefined] : [arg.slice(0, at), arg.slice(at + 1)];
}

/** A denial for the first permission the worker would need and this process lacks. */
function notHeld(permissions: Deno.PermissionOptionsObject): EngineOutcome | undefined {
  const wanted: [Deno.PermissionDescriptor, string][] = [];
  const net = permissions.net;
  if (net === true) wanted.push([{ name: "net" }, "any host"]);
  else if (Array.isArray(net)) {
    for (const host of net) {
      wanted.push([{ name: "net", host }, host]);
    }
  }
  for (const name of ["read", "write"] as const) {
    const paths = permissions[name];
    if (!Array.isArray(paths)) continue;
    for (const path of paths) wanted.push([{ name, path }, String(path)]);
  }
  const env = permissions.env;
  if (Array.isArray(env)) {
    for (const variable of env) wanted.push([{ name: "env", variable }, variable]);
  }
  for (const [descriptor, target] of wanted) {
    if (Deno.permissions.querySync(descriptor).state === "granted") continue;
    return {
      type: "denied",
      permission: descriptor.name,
      target,
      message: `This executable does not hold ${descriptor.name} access to ` +
        `${JSON.stringify(target)}, so it cannot pass it on: the child of a compiled ` +
        "executable holds the executable's own permissions, fixed when it was built",
    };
  }
  return undefined;
}
