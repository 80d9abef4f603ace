/**
 * Skills: tools the LLM can call, each a manifest (TOML: name, description, JSON Schema
 * parameters, capabilities) plus code, run in a sandbox holding exactly the permissions
 * its manifest declares.
 *
 * @module
 */
export {
  type AuditEntry,
  type AuditOutcome,
  type AuditSink,
  JsonlAuditLog,
  redactArguments,
} from "./audit_log.ts";
export {
  credentialEnvName,
  credentialFilePath,
  type CredentialOrigin,
  type CredentialSources,
  resolveCredential,
  type ResolvedCredential,
  storeCredential,
  type StoreCredentialOptions,
} from "./credentials.ts";
export {
  checkSkillCode,
  type CheckSkillCodeOptions,
  SKILL_API_SPECIFIER,
  type SkillCode,
  type SkillCodeFs,
  SkillCodeRefused,
} from "./check_skill_code.ts";
export { type ImportReference, importReferences } from "./import_references.ts";
export { type JsonSchema, unsupportedSchemaKeywords, validateJsonSchema } from "./json_schema.ts";
export { loadUserSkills, type LoadUserSkillsOptions, type UserSkills } from "./load_user_skills.ts";
export { skillIsolation } from "./skill_source.ts";
export {
  ANY_HOST,
  ISOLATION_MODES,
  loadSkillManifest,
  type ManifestIssue,
  parseSkillManifest,
  type SkillCapabilities,
  type SkillManifest,
  SkillManifestError,
} from "./manifest.ts";
export {
  processPermissionFlags,
  type SkillGrant,
  skillGrant,
  type SkillGrantOptions,
  workerPermissions,
} from "./skill_grant.ts";
export type {
  FileMessage,
  HostMessage,
  SkillContext,
  SkillMessage,
  SkillOutput,
  SkillOutputFile,
  SkillRun,
} from "./skill_protocol.ts";
export { MAX_SKILL_FILE_BYTES } from "./skill_protocol.ts";
export { readSkillFile, type SkillFile } from "./skill_file.ts";
export {
  missingCredentialHint,
  type SkillEntry,
  SkillRegistry,
  type SkillRegistryOptions,
  type SkillSource,
  type SkillStatus,
} from "./skill_registry.ts";
export {
  type CallContext,
  SkillRunner,
  type SkillRunnerOptions,
  type ToolCall,
  type ToolResult,
} from "./skill_runner.ts";
export { skillRuntimeModules } from "./runtime_modules.ts";
export { serveStandaloneChild } from "./standalone_child.ts";
export { memorySkillState, skillStateFile, type SkillStateStore } from "./skill_state_file.ts";
export {
  ATTACHMENT_TAG,
  defuseMarkers,
  lookAlikeSkeleton,
  REMOVED_MARKER,
  UNTRUSTED_TAG,
  wrapUntrusted,
} from "./untrusted.ts";
export {
  type PermissionNeeds,
  permissionNeeds,
  type PermissionNeedsOptions,
} from "./permission_needs.ts";
export {
  type BuiltinSkillsConfig,
  builtinSkillSources,
  type UrlFetchConfig,
  WEB_SEARCH_DEFAULT_HOSTS,
  WEB_SEARCH_PROVIDERS,
  type WebSearchConfig,
  type WebSearchProvider,
} from "./builtin/mod.ts";
export { formatSkillInfo, formatSkillList, skillCommands } from "./skill_commands.ts";
export { loadCredentialSources, type LoadCredentialSourcesOptions } from "./credential_sources.ts";
export {
  agentPermissionFlags,
  agentPermissionSet,
  agentSkillPermissions,
  type ConfiguredSkills,
  configuredSkills,
  MODULE_LOADING_FLAGS,
  skillPermissions,
  type SkillPermissionsOptions,
} from "./configured_skills.ts";
