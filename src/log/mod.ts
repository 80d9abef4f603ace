/**
 * Logging for the agent.
 *
 * @module
 */
export { createLogger, silentLogger } from "./logger.ts";
export type { Logger, LoggerOptions, LogLevel } from "./logger.ts";
