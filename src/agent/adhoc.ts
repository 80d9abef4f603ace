/**
 * Slash commands in clients' command menus (XEP-0050 ad-hoc commands): the list a requester
 * sees (the commands their rights allow), and running one in the conversation's queue, where
 * a typed command would run, with the same rights and the same answer.
 *
 * @module
 */
import type { Command } from "../commands/mod.ts";
import { bareJid, type CommandDirectory, type OfferedCommand } from "../xmpp/mod.ts";
import type { Decision, Policy, Rights } from "./decide.ts";
import type { AdhocEvent, AgentEvent } from "./events.ts";
import { executeCommand, type HandlerContext } from "./_handler_context.ts";

/** What {@linkcode commandDirectory} needs from the agent. */
export interface CommandDirectoryOptions {
  policy: Pick<Policy, "decide">;
  commands: () => readonly Command[];
  route: (event: AgentEvent) => Decision;
}

/**
 * The agent's commands as a {@linkcode CommandDirectory}: a requester the policy refuses
 * gets none; developer commands are listed only to developers, and commands that erase
 * memory only to whom may erase it.
 */
export function commandDirectory(options: CommandDirectoryOptions): CommandDirectory {
  return {
    list(from) {
      const bare = bareJid(from);
      if (bare === undefined) return undefined;
      const decision = options.policy.decide(adhocEvent(from, bare, "", "", () => {}));
      if (decision.outcome !== "accept") return undefined;
      return options.commands().filter((command) => permitted(command, decision.rights))
        .map(offered);
    },
    run({ from, node, args }) {
      const bare = bareJid(from) ?? from;
      return new Promise((resolve) => {
        const decision = options.route(adhocEvent(from, bare, node, args, resolve));
        if (decision.outcome !== "accept") resolve("You may not use this agent's commands.");
      });
    },
  };
}

/** Runs a command from a menu in its conversation's queue and hands back the answer. */
export async function handleAdhoc(
  event: AdhocEvent,
  rights: Rights,
  context: HandlerContext,
): Promise<void> {
  try {
    const text = await executeCommand(context, { name: event.node, args: event.args }, {
      jid: event.bare,
      sender: event.bare,
      session: event.bare,
      rights,
    });
    event.answer(text);
    context.options.log.info(`${event.bare}: command /${event.node} from a command menu`);
  } catch (error) {
    event.answer("The command failed.");
    throw error;
  }
}

function adhocEvent(
  from: string,
  bare: string,
  node: string,
  args: string,
  answer: (text: string) => void,
): AdhocEvent {
  return { type: "adhoc", from, bare, node, args, answer };
}

function permitted(command: Command, rights: Rights): boolean {
  return (command.dev !== true || rights.dev) && (command.erases !== true || rights.erase);
}

function offered(command: Command): OfferedCommand {
  return {
    node: command.name,
    name: `/${command.name}: ${command.summary}`,
    ...(command.args === undefined ? {} : { args: command.args }),
    ...(command.confirm === undefined ? {} : { confirm: command.confirm }),
  };
}
