import { dirname } from "node:path";
import { REDACTED } from "../config/mod.ts";

/** How a tool call ended. */
export type AuditOutcome =
  | "ok"
  | "error"
  | "denied"
  | "timeout"
  | "cancelled"
  | "memory"
  | "invalid_arguments"
  | "unknown_tool"
  | "busy";

/** One line of the tool audit log. */
export interface AuditEntry {
  /** ISO time the call started. */
  time: string;
  conversation: string;
  tool_use_id: string;
  skill: string;
  /** The arguments, secrets redacted. */
  arguments: unknown;
  outcome: AuditOutcome;
  duration_ms: number;
  /** The error, or the missing capability of a denial. */
  detail?: string;
  /** A sub-agent's run (`spawn_agent`): which agent. */
  agent?: string;
  /** A sub-agent's run: its LLM calls. */
  llm_calls?: number;
  /** A sub-agent's run: the tokens of its LLM calls. */
  tokens?: { input: number; output: number; cache_read: number; cache_write: number };
}

/** Where audit entries go. */
export interface AuditSink {
  record(entry: AuditEntry): Promise<void>;
}

const SECRET_KEY = /KEY|SECRET|TOKEN|PASSWORD|CREDENTIAL|AUTH/i;

/**
 * Copies arguments for the audit log with secrets hidden: values under a key that looks
 * secret (`api_key`, `token`, …) and every known secret value inside strings.
 *
 * @param value The arguments.
 * @param scrub Replaces known secret values in a string. @default the identity
 */
export function redactArguments(
  value: unknown,
  scrub: (text: string) => string = (text) => text,
): unknown {
  if (typeof value === "string") return scrub(value);
  if (Array.isArray(value)) return value.map((item) => redactArguments(item, scrub));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map((
        [key, item],
      ) => [key, SECRET_KEY.test(key) ? REDACTED : redactArguments(item, scrub)]),
    );
  }
  return value;
}

/**
 * Appends audit entries as JSON lines to one file (e.g. `{data dir}/audit/tools.jsonl`),
 * creating its folder, one append at a time so lines never interleave.
 */
export class JsonlAuditLog implements AuditSink {
  #path: string;
  #tail: Promise<void> = Promise.resolve();
  #ready = false;

  /** @param path The JSONL file. */
  constructor(path: string) {
    this.#path = path;
  }

  /** Appends one entry; resolves when it is written. */
  record(entry: AuditEntry): Promise<void> {
    const line = JSON.stringify(entry) + "\n";
    const write = this.#tail.then(async () => {
      if (!this.#ready) {
        await Deno.mkdir(dirname(this.#path), { recursive: true, mode: 0o700 });
        this.#ready = true;
      }
      await Deno.writeTextFile(this.#path, line, { append: true, mode: 0o600 });
    });
    this.#tail = write.catch(() => {});
    return write;
  }
}
