import type { EngineOutcome, EngineRequest } from "./_engine.ts";
import { childCommand } from "./_child_command.ts";
import type { SkillMessage } from "./skill_protocol.ts";
import { crashOutcome } from "./_worker_engine.ts";

/** How a process-isolated call is started. */
export interface ProcessEngineOptions {
  /** The `deno` executable. */
  denoPath: string;
  /** Permission flags from the manifest (see `processPermissionFlags`). */
  flags: readonly string[];
  /** V8 old-space limit of the child, in MB. */
  memoryMb: number;
  /** The deno.json whose import map skill modules use; omitted = Deno's own discovery. */
  configPath?: string;
  /** Variables the child's Deno needs to find its cache (the skill cannot read them). */
  env: Record<string, string>;
  /** Whether this is a compiled executable, which re-runs itself. @default {Deno.build.standalone} */
  standalone?: boolean;
}

const MAX_STDOUT = 8 * 1024 * 1024;
const STDERR_TAIL = 16 * 1024;

/**
 * Runs one call in a `deno run` child with its own permission flags and heap limit,
 * killing it when it runs out of time. Standard output and error are read with caps so a
 * noisy skill cannot exhaust the agent's memory.
 */
export async function runInProcess(
  request: EngineRequest,
  options: ProcessEngineOptions,
): Promise<EngineOutcome> {
  const { command, args } = childCommand(request, options);
  const child = new Deno.Command(command, {
    args,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    clearEnv: true,
    env: options.env,
  }).spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  }, request.timeoutMs);
  try {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(JSON.stringify(request.message))).catch(() => {});
    await writer.close().catch(() => {});
    const [stdout, stderr, status] = await Promise.all([
      readCapped(child.stdout, MAX_STDOUT, "tail"),
      readCapped(child.stderr, STDERR_TAIL, "tail"),
      child.status,
    ]);
    if (timedOut) return { type: "timeout" };
    if (/out of memory|heap limit/i.test(stderr)) {
      return { type: "memory", message: `exceeded its memory limit of ${options.memoryMb} MB` };
    }
    const reply = lastJsonLine(stdout);
    if (reply !== undefined) return reply;
    const detail = stderr.trim().split("\n").slice(-3).join(" ").slice(0, 500);
    return crashOutcome(`Exited with code ${status.code}${detail ? `: ${detail}` : ""}`);
  } finally {
    clearTimeout(timer);
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
