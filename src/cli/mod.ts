/**
 * Parts of the command line that `main.ts` delegates: finding the command, building the
 * `deno compile` command, and comparing the permissions a config needs with those the
 * process holds.
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
