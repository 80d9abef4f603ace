/**
 * The command line's commands, one module each (`run.ts` — the composition root —,
 * `start.ts`, `check.ts`, `permissions.ts`, `compile.ts`), which `main.ts` imports only
 * when their command runs; and what they share and export for tests: finding the command,
 * building the `deno compile` command, comparing the permissions a config needs with those
 * the process holds.
 *
 * @module
 */
export { type CommandLine, splitCommand } from "./command_line.ts";
export { compileCommand, type CompileCommandOptions } from "./compile_command.ts";
export {
  NOT_HELD,
  type PermissionReport,
  permissionReport,
  type PermissionReportOptions,
} from "./permission_report.ts";
