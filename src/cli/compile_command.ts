import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { compileArgs, type LoadedConfig } from "../config/mod.ts";
import {
  agentSkillPermissions,
  ANY_HOST,
  configuredSkills,
  skillRuntimeModules,
} from "../skills/mod.ts";

/** Options for {@linkcode compileCommand}. */
export interface CompileCommandOptions {
  /** The program's entry point (`main.ts`, absolute). */
  entry: string;
  /** `--output`. @default {"dist/fluux-agent"} */
  output?: string;
  /** `--target`. @default the host's */
  target?: string;
  /** The OS the build runs on (decides `.exe` when no target is given). @default {Deno.build.os} */
  os?: string;
}

/**
 * The `deno compile` arguments for this config, and warnings about what an executable
 * cannot do for it. The executable may re-run itself for process-isolated skills when it
 * is found on `PATH` under its name or started from its own directory (`./<name>`).
 *
 * @param loaded What `loadConfig` returned.
 * @returns The arguments (without `deno`) and warning lines.
 */
export async function compileCommand(
  loaded: LoadedConfig,
  options: CompileCommandOptions,
): Promise<{ args: string[]; warnings: string[] }> {
  const output = options.output ?? "dist/fluux-agent";
  const windows = options.target?.includes("windows") ??
    (options.os ?? Deno.build.os) === "windows";
  const name = basename(output) + (windows && !output.endsWith(".exe") ? ".exe" : "");
  const extra = await agentSkillPermissions(loaded, {
    denoPath: "deno",
    portable: true,
    selfCommands: [name, `./${name}`],
  });
  const args = compileArgs(loaded, {
    extra,
    output,
    entry: options.entry,
    include: skillRuntimeModules().map((url) => fileURLToPath(url)),
    ...(options.target === undefined ? {} : { target: options.target }),
  });
  const { sources } = await configuredSkills(loaded.config.skills);
  const warnings = sources
    .filter(({ manifest }) =>
      manifest.isolation === "process" && manifest.capabilities.network.includes(ANY_HOST)
    )
    .map(({ manifest }) =>
      `Skill "${manifest.name}" needs any host, which an executable cannot give its child ` +
      "alone (the child holds the executable's own permissions): its calls will be refused " +
      'there. Run the agent with "deno task start" to use it'
    );
  return { args, warnings };
}
