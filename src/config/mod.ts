/**
 * The agent's configuration: loads the TOML file, expands `${VAR}` from the environment and
 * .env files, validates it, hides its secrets, and derives the Deno permissions it needs.
 * The only module that reads the environment.
 *
 * @example
 * ```ts
 * import { loadConfig, permissionFlags, resolveConfigPath } from "./src/config/mod.ts";
 *
 * const loaded = await loadConfig(resolveConfigPath(Deno.args, Deno.env.get));
 * console.log(permissionFlags(loaded).join(" "));
 * ```
 *
 * @module
 */
export { compileArgs, type CompileArgsOptions } from "./compile_args.ts";
export { AGENT_V8_FLAGS } from "./v8_flags.ts";
export { ConfigError, type ConfigErrorOptions, type ConfigIssue } from "./config_error.ts";
export {
  type EnvLookup,
  type ExpandedTree,
  type ExpandOptions,
  expandVariables,
  SECRET_NAME,
  type UnsetVariable,
} from "./expand_variables.ts";
export { formatEffectiveConfig } from "./format_effective_config.ts";
export {
  loadConfig,
  type LoadConfigOptions,
  type LoadedConfig,
  type PortablePaths,
} from "./load_config.ts";
export { missingPermissions, type MissingPermissionsOptions } from "./missing_permissions.ts";
export {
  type ExtraPermissions,
  formatPermissionFlags,
  LIBRARY_ENV,
  netGrant,
  permissionFlags,
  type PermissionFlagsOptions,
  type PermissionInput,
  type PermissionSet,
  permissionSet,
  SEARCH_CHILD_ENV,
} from "./permission_flags.ts";
export { redactConfig, type RedactConfigOptions } from "./redact_config.ts";
export { UNSET } from "./_unset.ts";
export { DEFAULT_CONFIG_PATH, resolveConfigPath } from "./resolve_config_path.ts";
export {
  type ListenAddress,
  parseListenAddress,
  type ParseListenAddressOptions,
} from "./listen_address.ts";
export {
  DEFAULT_WEBHOOK_LISTEN,
  isStandardSecret,
  MIN_WEBHOOK_SECRET_LENGTH,
  RESERVED_WEBHOOK_PATHS,
  SIGNATURE_SCHEMES,
  STANDARD_SECRET_PREFIX,
  WEBHOOK_MODES,
} from "./_webhooks_schema.ts";
export {
  type Config,
  configSchema,
  LLM_DEFAULT_HOSTS,
  LLM_PROVIDERS,
  LOG_LEVELS,
  SEARCH_DEFAULT_HOSTS,
  SEARCH_PROVIDERS,
  SEARCH_SOURCES,
  SERVER_MODES,
  serverDomain,
  sharedPathProblem,
  type WebhookRouteConfig,
  type WebhooksConfig,
} from "./schema.ts";
export { REDACTED, secretScrubber } from "./secret_scrubber.ts";
