import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { secretScrubber } from "../config/mod.ts";
import { errorMessage, type Logger } from "../log/mod.ts";
import { type AuditOutcome, type AuditSink, JsonlAuditLog, redactArguments } from "./audit_log.ts";
import type { EngineOutcome, EngineRequest } from "./_engine.ts";
import { runInProcess } from "./_process_engine.ts";
import { runInWorker } from "./_worker_engine.ts";
import { validateJsonSchema } from "./json_schema.ts";
import { Semaphore } from "./_semaphore.ts";
import { processPermissionFlags, skillGrant, workerPermissions } from "./skill_grant.ts";
import type { SkillEntry, SkillRegistry } from "./skill_registry.ts";
import { wrapUntrusted } from "./untrusted.ts";
import { readSkillFile, type SkillFile } from "./skill_file.ts";
import { childEnvironment, declaredEnvironment } from "./_runtime.ts";
import { projectDenoConfig } from "../deno_child/mod.ts";
import { SKILL_API_PATH } from "./check_skill_code.ts";

/** A tool call from the LLM. */
export interface ToolCall {
  id: string;
  name: string;
  input: Record<string, unknown>;
}

/** The answer to a tool call, ready to go back to the LLM as a `tool_result` block. */
export interface ToolResult {
  type: "tool_result";
  tool_use_id: string;
  content: string;
  is_error: boolean;
}

/** What a call belongs to. */
export interface CallContext {
  /** The conversation (bare JID or room), for the audit log. */
  conversation: string;
  /**
   * Uploads a file the skill returned and sends it to whom the call answers; the URL it was
   * sent as. Rejects with a reason the LLM can relay. @default absent: a returned file is
   * an error result (no upload service, or no one to send it to)
   */
  sendFile?: ((file: SkillFile) => Promise<string>) | undefined;
  /**
   * Aborted when the call's result is no longer wanted (a sub-agent that timed out): the
   * skill is stopped, its worker or process ended. @default {never}
   */
  signal?: AbortSignal | undefined;
}

/** Options for {@linkcode SkillRunner}. */
export interface SkillRunnerOptions {
  /** The data directory: state folders go to `{dataDir}/skills/{name}/`. */
  dataDir: string;
  /** Where every call is recorded. @default {JSONL at `{dataDir}/audit/tools.jsonl`} */
  audit?: AuditSink;
  /** Calls running at once; more wait their turn. @default {4} */
  maxConcurrent?: number;
  /** Heap limit of a process-isolated call, unless its manifest sets `memory_mb`. @default {256} */
  memoryLimitMb?: number;
  /** Absolute folders manifests may name in `read`/`write`. @default {[]} */
  allowedAbsolutePaths?: readonly string[];
  /** The `deno` executable for process isolation. @default {Deno.execPath()} */
  denoPath?: string;
  /** The deno.json (import map) process-isolated skills load with. @default the project's */
  denoConfig?: string;
  /**
   * The agent's own secrets (its password, API keys, secret-looking variables), hidden in
   * the audit log and tool results like skill credentials are. @default {[]}
   */
  secrets?: readonly string[];
  /** Results longer than this are cut, with a note. @default {100000} */
  maxResultChars?: number;
  /** @default silent */
  logger?: Logger;
  /** @default {() => new Date()} */
  now?: () => Date;
}

/**
 * Runs tool calls: checks the tool and its arguments, runs the skill in its sandbox (a
 * Web Worker with exactly its manifest's permissions, or a `deno run` child for
 * process-isolated skills) under a time limit and a concurrency limit, and turns every
 * outcome — success, skill error, permission denial, timeout, memory limit — into a tool
 * result. Every call is written to the audit log with secrets redacted.
 */
export class SkillRunner {
  #registry: SkillRegistry;
  #options: SkillRunnerOptions;
  #audit: AuditSink;
  #slots: Semaphore;
  #now: () => Date;

  /** @param registry The skills. @param options See {@linkcode SkillRunnerOptions}. */
  constructor(registry: SkillRegistry, options: SkillRunnerOptions) {
    this.#registry = registry;
    this.#options = options;
    this.#audit = options.audit ?? new JsonlAuditLog(join(options.dataDir, "audit", "tools.jsonl"));
    this.#slots = new Semaphore(options.maxConcurrent ?? 4);
    this.#now = options.now ?? (() => new Date());
  }

  /**
   * Runs one tool call. Never throws for anything the skill or the LLM did: unknown tool,
   * invalid arguments, skill error, denial and timeout all come back with `is_error`.
   */
  async call(toolUse: ToolCall, context: CallContext): Promise<ToolResult> {
    const started = this.#now();
    const scrub = secretScrubber([...this.#options.secrets ?? [], ...this.#registry.secrets()]);
    const finish = async (outcome: AuditOutcome, content: string, detail?: string) => {
      const text = scrub(content);
      await this.#audit.record({
        time: started.toISOString(),
        conversation: context.conversation,
        tool_use_id: toolUse.id,
        skill: toolUse.name,
        arguments: redactArguments(toolUse.input, scrub),
        outcome,
        duration_ms: Math.max(0, this.#now().getTime() - started.getTime()),
        ...(detail === undefined ? {} : { detail: scrub(detail) }),
      }).catch((error) => this.#options.logger?.error(`Cannot write the audit log: ${error}`));
      return {
        type: "tool_result" as const,
        tool_use_id: toolUse.id,
        content: text,
        is_error: outcome !== "ok",
      };
    };

    const entry = this.#registry.get(toolUse.name);
    if (entry === undefined || entry.status !== "enabled") {
      const available = this.#registry.enabled().map((skill) => skill.manifest.name);
      const why = entry === undefined ? "Unknown tool" : "Disabled tool";
      return await finish(
        "unknown_tool",
        `${why} ${JSON.stringify(toolUse.name)}. Available tools: ${
          available.join(", ") || "none"
        }`,
      );
    }
    const problems = validateJsonSchema(entry.manifest.parameters, toolUse.input);
    if (problems.length > 0) {
      return await finish(
        "invalid_arguments",
        `Invalid arguments for ${JSON.stringify(toolUse.name)}: ${problems.join("; ")}`,
      );
    }

    const release = await this.#slots.acquire();
    let outcome: EngineOutcome;
    try {
      outcome = context.signal?.aborted
        ? { type: "cancelled" }
        : await this.#run(entry, toolUse.input, context.signal);
    } catch (error) {
      outcome = { type: "error", message: errorMessage(error) };
    } finally {
      release();
    }
    if (outcome.type === "result" && outcome.file !== undefined) {
      return await this.#deliver(entry, outcome, { context, finish });
    }
    return await this.#report(entry, outcome, finish);
  }

  /** A result carrying a file: sent to the person, and the LLM told where it went. */
  async #deliver(
    entry: SkillEntry,
    outcome: Extract<EngineOutcome, { type: "result" }>,
    call: { context: CallContext; finish: Finish },
  ): Promise<ToolResult> {
    const name = JSON.stringify(entry.manifest.name);
    const { finish, context } = call;
    let file: SkillFile;
    try {
      file = readSkillFile(outcome.file!);
    } catch (error) {
      const why = errorMessage(error);
      return await finish("error", `Skill ${name} failed: ${why}`, why);
    }
    if (context.sendFile === undefined) {
      const why = "files cannot be sent here (client mode with an upload service only)";
      return await finish("error", `Skill ${name} returned a file, but ${why}`, why);
    }
    let url: string;
    try {
      url = await context.sendFile(file);
    } catch (error) {
      const why = errorMessage(error);
      return await finish(
        "error",
        `Skill ${name} returned a file, which was not sent: ${why}`,
        why,
      );
    }
    const sent = `Skill ${name} sent the file ${JSON.stringify(file.name)} (${file.bytes.length} ` +
      `bytes) to the person: ${url}`;
    if (outcome.content === "") return await finish("ok", sent, `file sent: ${url}`);
    const content = this.#cap(outcome.content);
    const text = outcome.untrusted
      ? wrapUntrusted(outcome.source ?? entry.manifest.name, content)
      : content;
    return await finish("ok", `${sent}\n\n${text}`, `file sent: ${url}`);
  }

  async #run(
    entry: SkillEntry,
    input: Record<string, unknown>,
    signal: AbortSignal | undefined,
  ): Promise<EngineOutcome> {
    const { manifest } = entry;
    const stateDir = join(this.#options.dataDir, "skills", manifest.name);
    await Deno.mkdir(stateDir, { recursive: true, mode: 0o700 });
    const grant = skillGrant(manifest, {
      stateDir,
      allowedAbsolutePaths: this.#options.allowedAbsolutePaths ?? [],
      allowPrivateNetwork: entry.allowPrivateNetwork,
    });
    // A user skill's code loads inside the sandbox, so it may read its folder (and the
    // skill API) and Deno refuses any module outside it.
    const confined = !entry.builtin;
    if (confined) {
      grant.read.push(entry.folder ?? dirname(fileURLToPath(entry.module)));
      // A compiled executable carries the skill API inside itself, not as a file to grant.
      if (!Deno.build.standalone) grant.read.push(SKILL_API_PATH);
    }
    const request: EngineRequest = {
      module: entry.module,
      confined,
      timeoutMs: manifest.capabilities.timeout_secs * 1000,
      signal,
      message: {
        type: "run",
        input,
        context: {
          credentials: this.#registry.credentialsFor(manifest.name),
          stateDir,
          settings: entry.settings,
        },
      },
    };
    if (entry.isolation === "worker") {
      return await runInWorker(request, workerPermissions(grant));
    }
    return await runInProcess(request, {
      denoPath: this.#options.denoPath ?? Deno.execPath(),
      flags: processPermissionFlags(grant),
      memoryMb: manifest.capabilities.memory_mb ?? this.#options.memoryLimitMb ?? 256,
      env: { ...childEnvironment(), ...declaredEnvironment(manifest.capabilities.env) },
      ...withConfig(this.#options.denoConfig ?? projectDenoConfig()),
    });
  }

  #report(entry: SkillEntry, outcome: EngineOutcome, finish: Finish): Promise<ToolResult> {
    const name = JSON.stringify(entry.manifest.name);
    const { timeout_secs } = entry.manifest.capabilities;
    switch (outcome.type) {
      case "result": {
        const content = this.#cap(outcome.content);
        return finish(
          "ok",
          outcome.untrusted
            ? wrapUntrusted(outcome.source ?? entry.manifest.name, content)
            : content,
        );
      }
      case "denied": {
        const capability = CAPABILITY[outcome.permission] ?? outcome.permission;
        const detail = `${outcome.permission} access to ${JSON.stringify(outcome.target)}`;
        this.#options.logger?.warn(
          `Skill ${name} was denied ${detail}: not in its manifest (capability "${capability}")`,
        );
        return finish(
          "denied",
          `Permission denied: skill ${name} tried ${detail}, which its manifest does not ` +
            `declare (capability "${capability}"). The call was stopped.`,
          detail,
        );
      }
      case "timeout":
        return finish(
          "timeout",
          `Skill ${name} timed out after ${timeout_secs} s and was stopped`,
          `time limit ${timeout_secs} s`,
        );
      case "cancelled":
        return finish(
          "cancelled",
          `Skill ${name} was stopped: its result was no longer wanted`,
          "stopped: the result was no longer wanted",
        );
      case "memory":
        return finish(
          "memory",
          `Skill ${name} failed: out of memory (${outcome.message}); it was stopped`,
          `out of memory: ${outcome.message}`,
        );
      case "error":
      case "crashed":
        // What a skill reports may quote what it fetched (a provider's error body, a page).
        return finish(
          "error",
          `Skill ${name} failed; its error message follows.\n` +
            wrapUntrusted(`${entry.manifest.name} error`, this.#cap(outcome.message)),
          outcome.message,
        );
    }
  }

  #cap(content: string): string {
    const max = this.#options.maxResultChars ?? 100_000;
    if (content.length <= max) return content;
    return `${content.slice(0, max)}\n[Result cut at ${max} of ${content.length} characters]`;
  }
}

type Finish = (outcome: AuditOutcome, content: string, detail?: string) => Promise<ToolResult>;

/** Manifest capability names for Deno permission names. */
const CAPABILITY: Record<string, string> = {
  net: "network",
  read: "read",
  write: "write",
  env: "env",
  run: "run (never granted to skills)",
  ffi: "ffi (never granted to skills)",
  sys: "sys (never granted to skills)",
  import: "import (never granted to skills)",
};

function withConfig(path: string | undefined): { configPath?: string } {
  return path === undefined ? {} : { configPath: path };
}
