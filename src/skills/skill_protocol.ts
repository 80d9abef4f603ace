/**
 * The messages between the agent and a running skill, shared by the Web Worker and the
 * process-isolated child. Messages are a union keyed on `type`. The skill side imports the
 * skill module and calls its exported `run(input, context)`.
 *
 * @module
 */

/** What a skill's `run` receives besides its input. */
export interface SkillContext {
  /** The credentials its manifest names, by name; nothing else. */
  credentials: Record<string, string>;
  /** Its own state folder (absolute); relative `read`/`write` paths resolve against it. */
  stateDir: string;
  /** Non-secret settings the config gives this skill (built-ins use them). */
  settings: Record<string, unknown>;
}

/**
 * A file a skill returns: the agent uploads it (XEP-0363) and sends it to the person the turn
 * answers; the LLM reads that it was sent, and where. Give the content as `bytes` or `base64`.
 */
export interface SkillOutputFile {
  /** The file name, with its extension, e.g. `"chart.png"`. */
  name: string;
  bytes?: Uint8Array;
  /** The content, base64-encoded (standard alphabet), instead of `bytes`. */
  base64?: string;
  /** E.g. `"image/png"`. @default from the name's extension, else `application/octet-stream` */
  media_type?: string;
}

/** The largest file a skill may return, in bytes (its base64 travels in one message). */
export const MAX_SKILL_FILE_BYTES = 4 * 1024 * 1024;

/** What `run` returns: text, text marked as coming from outside, or a file. */
export type SkillOutput = string | {
  /** Text for the LLM; with a file, read after the note that the file was sent. */
  content: string;
  /** The content came from outside (a page, a search); the host wraps it as untrusted. */
  untrusted?: boolean;
  /** Names where it came from, for the untrusted wrapper. @default the skill's name */
  source?: string;
  /** A file to send to the person the turn answers. @default none */
  file?: SkillOutputFile;
} | {
  content?: string;
  untrusted?: boolean;
  source?: string;
  file: SkillOutputFile;
};

/** The function a skill module exports as `run`. */
export type SkillRun = (
  input: Record<string, unknown>,
  context: SkillContext,
) => SkillOutput | Promise<SkillOutput>;

/** Agent → skill. */
export type HostMessage = {
  type: "run";
  input: Record<string, unknown>;
  context: SkillContext;
  /**
   * The skill module to load now, under the sandbox's own permissions (a user skill); absent
   * when the sandbox was booted with the module already imported (a built-in).
   */
  module?: string;
};

/** Skill → agent. */
export type SkillMessage =
  | { type: "result"; content: string; untrusted: boolean; source?: string; file?: FileMessage }
  | { type: "error"; message: string }
  /** A Deno permission check refused something the manifest did not declare. */
  | { type: "denied"; permission: string; target: string; message: string };

/** A returned file as it travels (JSON for a child's standard output, so base64). */
export interface FileMessage {
  name: string;
  base64: string;
  media_type?: string;
}

/** A permission denial read from a Deno error, e.g. `{permission: "net", target: "x:443"}`. */
export interface Denial {
  permission: string;
  target: string;
}

const PERMISSION_ERRORS = new Set(["NotCapable", "PermissionDenied", "TypeError"]);
const DENIAL = /Requires (\w+) access to (.+?)(?:, run again|, specify|$)/;

/**
 * Reads the permission and target from a Deno permission error (`NotCapable`, or the
 * `TypeError` fetch rejects with), looking through `cause` chains.
 *
 * @returns The denial, or `undefined` when the error is not a permission denial.
 */
export function classifyDenial(error: unknown): Denial | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const match = DENIAL.exec(current.message);
    if (match !== null && PERMISSION_ERRORS.has(current.name)) {
      return { permission: match[1] ?? "unknown", target: unquote(match[2] ?? "") };
    }
    current = current.cause;
  }
  return undefined;
}

/**
 * Runs a skill module's `run` for one message and turns every outcome into a message.
 *
 * @param module The imported skill module (must export `run`).
 * @param message The request.
 */
export async function executeSkill(module: unknown, message: HostMessage): Promise<SkillMessage> {
  const run = (module as { run?: unknown } | null)?.run;
  if (typeof run !== "function") {
    return { type: "error", message: 'The skill module does not export a "run" function' };
  }
  try {
    const output = await (run as SkillRun)(message.input, message.context);
    if (typeof output === "string") return { type: "result", content: output, untrusted: false };
    const file = output?.file === undefined ? undefined : encodeFile(output.file);
    if (typeof file === "string") return { type: "error", message: file };
    if (typeof output?.content !== "string" && file === undefined) {
      return { type: "error", message: "The skill returned neither text nor {content} nor {file}" };
    }
    return {
      type: "result",
      content: typeof output.content === "string" ? output.content : "",
      untrusted: output.untrusted === true,
      ...(typeof output.source === "string" ? { source: output.source } : {}),
      ...(file === undefined ? {} : { file }),
    };
  } catch (error) {
    const denial = classifyDenial(error);
    if (denial !== undefined) {
      return { type: "denied", ...denial, message: messageOf(error) };
    }
    return { type: "error", message: messageOf(error) };
  }
}

/**
 * Serves one request on the skill side: loads the skill module the message names (its whole
 * module graph is then checked against the sandbox's permissions, so code outside its
 * folder cannot load) or takes the one imported at boot, and runs it.
 *
 * @param message The request.
 * @param imported The module imported at boot, when the message names none.
 */
export async function serveRequest(message: HostMessage, imported: unknown): Promise<SkillMessage> {
  let module = imported;
  if (message.module !== undefined) {
    try {
      module = await import(message.module);
    } catch (error) {
      const denial = classifyDenial(error);
      if (denial !== undefined) return { type: "denied", ...denial, message: messageOf(error) };
      return { type: "error", message: `Cannot load the skill's code: ${messageOf(error)}` };
    }
  }
  return await executeSkill(module, message);
}

/**
 * Makes `Deno.exit()` (and `close()` in a worker) throw instead of ending the sandbox
 * silently, so a skill that calls it fails with a message rather than running out of time.
 */
export function forbidExit(scope: { close?: () => void }): void {
  Deno.exit = (code?: number): never => {
    throw new Error(`The skill called Deno.exit(${code ?? ""}), which skills may not do`);
  };
  if (typeof scope.close === "function") {
    scope.close = () => {
      throw new Error("The skill called close(), which skills may not do");
    };
  }
}

/** The file as it travels, or why it cannot (the skill's own mistake, told to it plainly). */
function encodeFile(file: SkillOutputFile): FileMessage | string {
  if (typeof file?.name !== "string" || file.name.trim() === "") {
    return "The skill returned a file without a name";
  }
  let base64: string;
  if (file.bytes instanceof Uint8Array) {
    if (file.bytes.length > MAX_SKILL_FILE_BYTES) return tooLarge(file.bytes.length);
    base64 = file.bytes.toBase64();
  } else if (typeof file.base64 === "string") {
    if (file.base64.length > Math.ceil(MAX_SKILL_FILE_BYTES / 3) * 4) {
      return tooLarge(Math.floor(file.base64.length / 4) * 3);
    }
    base64 = file.base64;
  } else {
    return "The skill returned a file with neither bytes (a Uint8Array) nor base64 text";
  }
  if (file.media_type !== undefined && typeof file.media_type !== "string") {
    return "The skill returned a file whose media_type is not text";
  }
  return {
    name: file.name,
    base64,
    ...(file.media_type === undefined ? {} : { media_type: file.media_type }),
  };
}

function tooLarge(bytes: number): string {
  return `The skill returned a file of ${bytes} bytes; at most ${MAX_SKILL_FILE_BYTES} may be sent`;
}

/**
 * `errorMessage()` of src/log, repeated: this module is the skill side of the protocol, and
 * a sandbox may read no module but it (an import would fail every call with "Requires read
 * access").
 */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function unquote(text: string): string {
  return text.replace(/^"(.*)"$/, "$1");
}
