/**
 * A small leveled logger. Every line passes through a scrubber so that secrets (passwords,
 * API keys) never reach the log, whatever a caller or a library puts in a message.
 *
 * @module
 */

/** Log levels, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error";

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** A logger scoped to one part of the agent. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** A logger for a sub-part, named `parent/child`. */
  child(scope: string): Logger;
}

/** Options for {@linkcode createLogger}. */
export interface LoggerOptions {
  /** Lowest level written. @default {"info"} */
  level?: LogLevel;
  /** Removes secrets from a line. @default the identity */
  scrub?: (text: string) => string;
  /** Writes one finished line. @default writes to standard error */
  write?: (line: string) => void;
  /** The clock. @default {() => new Date()} */
  now?: () => Date;
}

/**
 * Creates a logger writing `ISO-time LEVEL scope: message` lines.
 *
 * @example
 * ```ts
 * const log = createLogger("agent", { level: "debug" });
 * log.child("xmpp").info("connected");
 * ```
 */
export function createLogger(scope: string, options: LoggerOptions = {}): Logger {
  const min = RANK[options.level ?? "info"];
  const scrub = options.scrub ?? ((text: string) => text);
  const write = options.write ?? writeStderr;
  const now = options.now ?? (() => new Date());
  const line = (level: LogLevel) => (message: string) => {
    if (RANK[level] < min) return;
    const oneLine = message.replaceAll("\n", "\\n");
    write(scrub(`${now().toISOString()} ${level.toUpperCase().padEnd(5)} ${scope}: ${oneLine}`));
  };
  return {
    debug: line("debug"),
    info: line("info"),
    warn: line("warn"),
    error: line("error"),
    child: (sub) => createLogger(`${scope}/${sub}`, options),
  };
}

/** A logger that drops everything (tests, dry runs). */
export function silentLogger(): Logger {
  return createLogger("silent", { write: () => {} });
}

const encoder = new TextEncoder();

function writeStderr(line: string): void {
  Deno.stderr.writeSync(encoder.encode(line + "\n"));
}
