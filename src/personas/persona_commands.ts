/**
 * `/persona`: `/persona` shows the active persona, `/persona list` those this conversation may
 * use, `/persona <name>` chooses one (kept across restarts), `/persona reset` returns to the
 * default. With `[personas] allow_user_personas`, one-to-one: `/persona create <name>`,
 * `/persona edit <name>`, `/persona delete <name>`, `/persona export <name>`, `/persona import`.
 *
 * In a room the persona is the room's, for everyone in it: only an occupant whose real JID is
 * allowed may change it, and the room has no packages of its own.
 *
 * @module
 */
import type { Command, CommandContext } from "../commands/mod.ts";
import type { PersonaDialogues } from "./persona_dialogues.ts";
import { personaId } from "./persona_id.ts";
import { exportPackage } from "./persona_package.ts";
import type { ActivePersona, Persona, Personas } from "./personas.ts";

/**
 * The `/persona` command.
 *
 * @param personas The personas of every conversation.
 * @param dialogues Where create, edit and import wait for their answers.
 */
export function personaCommands(personas: Personas, dialogues: PersonaDialogues): Command[] {
  return [{
    name: "persona",
    summary: "Show the persona; /persona list, /persona <name>, /persona reset",
    async run(context) {
      const [word = "", ...rest] = context.args.split(/\s+/);
      const sub = word.toLowerCase();
      const arg = rest.join(" ");
      const { jid } = context;
      try {
        switch (sub) {
          case "":
            return describeActive(await personas.active(jid));
          case "list":
            return describeList(await personas.available(jid), await personas.active(jid));
          case "cancel":
            return dialogues.cancel(jid)
              ? "Stopped: nothing was saved."
              : "No /persona question is waiting for an answer.";
          case "reset": {
            const refused = roomChange(context);
            if (refused !== undefined) return refused;
            const now = await personas.reset(jid);
            return now.persona === undefined
              ? "Persona reset: the agent's own prompt is used here."
              : `Persona reset: the default, ${label(now.persona)}, is used here.`;
          }
          case "create":
          case "edit":
          case "delete":
          case "export":
          case "import":
            return await userPersona(sub, arg, context, personas, dialogues);
          default: {
            const refused = roomChange(context);
            if (refused !== undefined) return refused;
            // The whole text: a persona may be chosen by a name with spaces.
            const persona = await personas.choose(jid, context.args);
            return `Persona: ${label(persona)}, from your next message on.`;
          }
        }
      } catch (error) {
        if (error instanceof RangeError || error instanceof TypeError) return error.message;
        throw error;
      }
    },
  }];
}

/** A room's persona is everyone's: only an occupant whose real JID is allowed changes it. */
function roomChange(context: CommandContext): string | undefined {
  if (!isRoom(context) || context.rights.erase) return undefined;
  return "The persona of this room is everyone's: only an occupant whose real JID is allowed " +
    "(agent.allowed_jids, visible in a non-anonymous room) may change it.";
}

/** In a room the command's conversation is the room, not the person who sent it. */
function isRoom(context: CommandContext): boolean {
  return context.sender !== context.jid;
}

async function userPersona(
  sub: "create" | "edit" | "delete" | "export" | "import",
  arg: string,
  context: CommandContext,
  personas: Personas,
  dialogues: PersonaDialogues,
): Promise<string> {
  if (!personas.allowUserPersonas) {
    return "Personas of your own are turned off here (personas.allow_user_personas).";
  }
  if (isRoom(context)) return "Personas of your own are made one-to-one, not in a room.";
  const { jid } = context;
  if (sub === "import") {
    if (arg !== "") return "Usage: /persona import, then the TOML in your next message";
    return dialogues.expectImport(jid);
  }
  if (arg === "" || /\s/.test(arg)) return `Usage: /persona ${sub} <name>`;
  const id = personaId(arg);
  const own = await personas.userPackage(jid, id);
  if (sub === "create") {
    if (own !== undefined) {
      return `You already have a persona "${id}": /persona edit ${id} changes it.`;
    }
    const count = (await personas.userIds(jid)).length;
    if (count >= personas.maxUserPersonas) {
      return `You have ${count} personas of your own, the most allowed ` +
        `(personas.max_user_personas = ${personas.maxUserPersonas}): /persona delete one first.`;
    }
    const manifest = { id, name: arg, description: "", icon: "", defaults: {}, restrictions: {} };
    return dialogues.ask(jid, "create", { manifest, files: {} });
  }
  if (own === undefined) {
    return `You have no persona "${id}" of your own. /persona list shows the personas here.`;
  }
  if (sub === "edit") return dialogues.ask(jid, "edit", own);
  if (sub === "export") return exportPackage(own);
  await personas.deleteUserPackage(jid, id);
  const now = await personas.active(jid);
  if (now.ignored?.id === id) await personas.reset(jid);
  return `Persona "${id}" deleted.`;
}

function label(persona: Persona): string {
  const { icon, name } = persona.manifest;
  return `${icon === "" ? "" : `${icon} `}${name} (${persona.id})`;
}

function describeActive(active: ActivePersona): string {
  const lines: string[] = [];
  if (active.ignored !== undefined) {
    lines.push(
      `The persona chosen here, "${active.ignored.id}", is not used: ${active.ignored.why}.`,
    );
  }
  const { persona } = active;
  if (persona === undefined) {
    lines.push("No persona: the agent's own prompt is used. /persona list shows the personas.");
  } else {
    const what = persona.manifest.description === "" ? "" : ` — ${persona.manifest.description}`;
    lines.push(`Persona: ${label(persona)}${what}`);
    lines.push(
      active.chosen
        ? "Chosen here; /persona reset returns to the default."
        : "The default (personas.default); /persona <name> chooses another.",
    );
  }
  return lines.join("\n");
}

function describeList(personas: readonly Persona[], active: ActivePersona): string {
  if (personas.length === 0) return "No persona can be used here.";
  const lines = personas.map((persona) => {
    const mark = persona.id === active.persona?.id ? "*" : "-";
    const own = persona.source === "user" ? ", yours" : "";
    const what = persona.manifest.description === "" ? "" : `: ${persona.manifest.description}`;
    const { icon, name } = persona.manifest;
    return `${mark} ${icon === "" ? "" : `${icon} `}${name} (${persona.id}${own})${what}`;
  });
  return ["Personas (* = in use):", ...lines, "/persona <name> chooses one."].join("\n");
}
