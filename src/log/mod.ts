/**
 * Logging for the agent.
 *
 * @module
 */
export { errorMessage } from "./error_message.ts";
export { createLogger, silentLogger } from "./logger.ts";
export type { Logger, LoggerOptions, LogLevel } from "./logger.ts";
