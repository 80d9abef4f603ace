/**
 * Where the project's files are, and the bundle of the agent that `start` runs.
 *
 * @module
 */
export { SOURCE_ROOT, sourceUrl } from "./source_root.ts";
export {
  type AgentBundle,
  agentBundle,
  type AgentBundleOptions,
  BUNDLE_FLAGS,
  sourceVersion,
} from "./agent_bundle.ts";
