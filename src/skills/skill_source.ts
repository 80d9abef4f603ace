import type { SkillManifest } from "./manifest.ts";

/** A skill offered to the registry: its manifest, its code, and what config gives it. */
export interface SkillSource {
  manifest: SkillManifest;
  /** The skill module (`mod.ts`) exporting `run`. */
  module: URL;
  builtin: boolean;
  /**
   * A user skill's folder, links resolved: its code may load files from it only, and the
   * sandbox may read it.
   */
  folder?: string;
  /**
   * The operator trusts this user skill (`skills.trusted`) to run as its manifest says,
   * a worker included; built-ins are trusted. @default {false}
   */
  trusted?: boolean;
  /** Why the skill may not load (its code reaches outside its folder); it never runs. */
  refused?: string;
  /** Non-secret settings handed to `run` in `context.settings`. @default {{}} */
  settings?: Record<string, unknown>;
  /** Credential values the config gives, by credential name. @default {{}} */
  credentialValues?: Record<string, string>;
  /**
   * With `network = ["*"]`, may the skill also reach private, loopback and link-local
   * addresses (only a built-in's config sets this). @default {false}
   */
  allowPrivateNetwork?: boolean;
}

/**
 * Where a skill runs. A skill the operator does not trust runs in its own process with a
 * heap limit, whatever its manifest asks: a Web Worker shares the agent's heap, so one
 * that allocates without bound would take the agent down with it.
 */
export function skillIsolation(
  source: Pick<SkillSource, "manifest" | "builtin" | "trusted">,
): "worker" | "process" {
  return source.builtin || source.trusted === true ? source.manifest.isolation : "process";
}
