import type { Command } from "../commands/mod.ts";
import { errorMessage } from "../log/mod.ts";
import type { SkillEntry, SkillRegistry } from "./skill_registry.ts";

/**
 * The skill commands: `/skills` lists every skill with its status and capabilities;
 * `/skill info <name>` shows its manifest; `/skill enable <name>` and `/skill disable
 * <name>` (admins only: the sender's rights say so) switch it, persisted across restarts.
 */
export function skillCommands(registry: SkillRegistry): Command[] {
  return [
    {
      name: "skills",
      summary: "List the skills (tools) with their status and capabilities",
      run: () => Promise.resolve(formatSkillList(registry.list())),
    },
    {
      name: "skill",
      summary: "/skill info <name>; admins: /skill enable <name>, /skill disable <name>",
      args: { label: "info <name>, enable <name> or disable <name>", required: true },
      async run({ rights, args }) {
        const [action = "", name = "", ...rest] = args.split(/\s+/).filter((part) => part !== "");
        if (!["info", "enable", "disable"].includes(action) || name === "" || rest.length > 0) {
          return "Usage: /skill info <name> | /skill enable <name> | /skill disable <name>";
        }
        const entry = registry.get(name);
        if (entry === undefined) {
          const known = registry.list().map((skill) => skill.manifest.name).join(", ");
          return `Unknown skill ${JSON.stringify(name)}. Skills: ${known || "none"}`;
        }
        if (action === "info") return formatSkillInfo(entry);
        // The agent's policy decided who is an admin (`agent.admin_jids`), once.
        if (rights.admin !== true) {
          return `Only an admin can ${action} skills`;
        }
        try {
          if (action === "enable") await registry.enable(name);
          else await registry.disable(name);
        } catch (error) {
          return errorMessage(error);
        }
        return `Skill ${JSON.stringify(name)} ${action}d (kept across restarts)`;
      },
    },
  ];
}

/** `/skills`: one line per skill, status first, then its capabilities. */
export function formatSkillList(skills: readonly SkillEntry[]): string {
  if (skills.length === 0) return "No skills are configured";
  const enabled = skills.filter((skill) => skill.status === "enabled").length;
  const lines = skills.map((skill) => {
    const status = skill.status === "enabled" ? "enabled" : `${skill.status} (${skill.reason})`;
    return `- ${skill.manifest.name}: ${status}; ${formatCapabilities(skill)}`;
  });
  return [`Skills (${enabled} of ${skills.length} enabled):`, ...lines].join("\n");
}

/** `/skill info`: the manifest, readable. Credential values are never shown, only names. */
export function formatSkillInfo(skill: SkillEntry): string {
  const { manifest } = skill;
  return [
    `${manifest.name} (${skill.builtin ? "built-in" : "user skill"}): ${skill.status}` +
    (skill.reason === undefined ? "" : ` (${skill.reason})`),
    manifest.description,
    `Isolation: ${skill.isolation}` +
    (skill.isolation === manifest.isolation
      ? ""
      : ` (its manifest asks for a ${manifest.isolation}; skills.trusted does not list it)`) +
    (manifest.tier === undefined ? "" : `; tier: ${manifest.tier}`),
    `Capabilities: ${formatCapabilities(skill)}`,
    `Parameters: ${JSON.stringify(manifest.parameters)}`,
  ].join("\n");
}

function formatCapabilities({ manifest, isolation }: SkillEntry): string {
  const caps = manifest.capabilities;
  const parts = [
    `network: ${
      caps.network.includes("*") ? "any public host" : caps.network.join(", ") || "none"
    }`,
  ];
  if (caps.credentials.length > 0) parts.push(`credentials: ${caps.credentials.join(", ")}`);
  if (caps.read.length > 0) parts.push(`read: ${caps.read.join(", ")}`);
  if (caps.write.length > 0) parts.push(`write: ${caps.write.join(", ")}`);
  if (caps.env.length > 0) parts.push(`env: ${caps.env.join(", ")}`);
  parts.push(`timeout: ${caps.timeout_secs} s`);
  if (isolation === "process") parts.push(`process-isolated`);
  return parts.join("; ");
}
