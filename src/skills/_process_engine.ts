import { bootModule, crashOutcome, type EngineOutcome, type EngineRequest } from "./_engine.ts";
import { childCommand, type ChildCommandOptions } from "./_child_command.ts";
import type { SkillMessage } from "./skill_protocol.ts";

/** How a process-isolated call is started. */
export interface ProcessEngineOptions extends ChildCommandOptions {
  /**
   * The child's whole environment: what its Deno needs to find its cache, and the
   * variables the manifest declares (the skill can read only those).
   */
  env: Record<string, string>;
}

const MAX_STDOUT = 8 * 1024 * 1024;
const STDERR_TAIL = 16 * 1024;

/**
 * Runs one call in a `deno run` child with its own permission flags and heap limit,
 * killing it when it runs out of time or the request's signal is aborted. Standard output and error are read with caps so a
 * noisy skill cannot exhaust the agent's memory.
 */
export async function runInProcess(
  request: EngineRequest,
  options: ProcessEngineOptions,
): Promise<EngineOutcome> {
  const { command, args } = childCommand(request, options);
  // A user skill's request names its module: the child imports it under its own flags.
  const { message } = bootModule(request, "child_main.ts", "serveProcess");
  const child = new Deno.Command(command, {
    args,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    clearEnv: true,
    env: options.env,
  }).spawn();
  let stopped: "timeout" | "cancelled" | undefined;
  const stop = (why: "timeout" | "cancelled") => {
    stopped ??= why;
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  };
  const timer = setTimeout(() => stop("timeout"), request.timeoutMs);
  const cancel = () => stop("cancelled");
  request.signal?.addEventListener("abort", cancel, { once: true });
  try {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(JSON.stringify(message))).catch(() => {});
    await writer.close().catch(() => {});
    const [stdout, stderr, status] = await Promise.all([
      readCapped(child.stdout, MAX_STDOUT, "tail"),
      readCapped(child.stderr, STDERR_TAIL, "tail"),
      child.status,
    ]);
    if (stopped !== undefined) return { type: stopped };
    const reply = lastJsonLine(stdout);
    if (reply !== undefined) return reply;
    if (/out of memory|heap limit/i.test(stderr)) {
      return { type: "memory", message: `its limit is ${options.memoryMb} MB` };
    }
    // Deno's "error: Uncaught …" line says why; the stack below it does not.
    const lines = stderr.trim().split("\n");
    const uncaught = lines.findLast((line) => line.startsWith("error: "));
    const detail = (uncaught ?? lines.slice(-3).join(" ")).slice(0, 500);
    const ended = status.signal === null
      ? `Exited with code ${status.code}`
      : `Was killed by ${status.signal}`;
    return crashOutcome(`${ended}${detail ? `: ${detail}` : ""}`);
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener("abort", cancel);
  }
}

async function readCapped(
  stream: ReadableStream<Uint8Array>,
  limit: number,
  keep: "head" | "tail",
): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of stream) {
    text += decoder.decode(chunk, { stream: true });
    if (text.length > limit) text = keep === "head" ? text.slice(0, limit) : text.slice(-limit);
  }
  return text;
}

function lastJsonLine(stdout: string): SkillMessage | undefined {
  const line = stdout.trimEnd().split("\n").at(-1);
  if (line === undefined || line === "") return undefined;
  try {
    const message = JSON.parse(line) as SkillMessage;
    return typeof message?.type === "string" ? message : undefined;
  } catch {
    return undefined;
  }
}
