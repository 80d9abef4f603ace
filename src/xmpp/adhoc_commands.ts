/**
 * The agent's commands offered as ad-hoc commands (XEP-0050), so XMPP clients list them in a
 * menu: the commands node of disco#items, disco#info of each command, and the command flow
 * with a data form (XEP-0004) for a command that takes arguments or asks for confirmation.
 * Which commands there are, who may run them and what they answer is the agent's
 * ({@linkcode CommandDirectory}); this file only speaks the protocol.
 *
 * @module
 */
import { type CommandItem, NS_COMMANDS, NS_DISCO_ITEMS } from "./xep_0050_commands.ts";
import { buildCommandAnswer, buildCommandList, parseCommandRequest } from "./xep_0050_commands.ts";
import { buildDiscoInfo } from "./xep_0030_disco.ts";
import { type Form, isTrue, NS_DATA_FORMS } from "./xep_0004_data_forms.ts";
import { stanzaError } from "./_stanza_error.ts";
import { xml, type XmlElement } from "./_xml.ts";
import type { IqContext, XmppJsEntity } from "./_xmpp_client.ts";

/** A command as the agent offers it. */
export interface OfferedCommand extends CommandItem {
  /** What follows the command name, when it takes something: asked for in a form. */
  args?: { label: string; required: boolean };
  /** A question to confirm before running it (e.g. before erasing memory). */
  confirm?: string;
}

/** The agent's side: which commands a requester may run, and running one. */
export interface CommandDirectory {
  /** The commands `from` (a full JID) may run; `undefined` when they may run none. */
  list(from: string): OfferedCommand[] | undefined;
  /**
   * Runs a command for `from` and resolves with its answer.
   *
   * @param request `to` is the agent's address the command was sent to.
   */
  run(request: { from: string; to?: string; node: string; args: string }): Promise<string>;
}

/** Options for {@linkcode AdhocCommands}. */
export interface AdhocCommandsOptions {
  /**
   * How long a command may run before the client is told it failed.
   * @default {120000}
   */
  timeoutMs?: number;
}

/** Answers the ad-hoc command IQs of one connection. */
export class AdhocCommands {
  #directory: CommandDirectory | undefined;
  #timeoutMs: number;

  constructor(options: AdhocCommandsOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 120_000;
  }

  /** Sets the agent's commands; until then none are offered. */
  offer(directory: CommandDirectory): void {
    this.#directory = directory;
  }

  /**
   * Registers the disco#items and command handlers on a fresh entity.
   *
   * @param self The agent's address for an IQ (what command items name as their `jid`).
   */
  register(entity: XmppJsEntity, self: (ctx: IqContext) => string): void {
    entity.iqCallee.get(NS_DISCO_ITEMS, "query", (ctx) => {
      if (ctx.element.attrs.node !== NS_COMMANDS) return emptyItems(ctx.element.attrs.node);
      const list = this.#list(ctx);
      return buildCommandList(self(ctx), list ?? []);
    });
    entity.iqCallee.set(NS_COMMANDS, "command", (ctx) => this.#execute(ctx));
  }

  /**
   * The disco#info of a command node (§2.3), or `undefined` when `node` is not one the
   * requester may run.
   */
  discoInfo(ctx: IqContext): XmlElement | undefined {
    const node = ctx.element.attrs.node;
    if (node === NS_COMMANDS) {
      return buildDiscoInfo({ category: "automation", type: "command-list", name: "Commands" }, [
        NS_COMMANDS,
      ], node);
    }
    const command = this.#list(ctx)?.find((item) => item.node === node);
    if (command === undefined) return undefined;
    return buildDiscoInfo(
      { category: "automation", type: "command-node", name: command.name },
      [NS_COMMANDS, NS_DATA_FORMS],
      node,
    );
  }

  #list(ctx: IqContext): OfferedCommand[] | undefined {
    const from = ctx.stanza.attrs.from;
    return from === undefined ? undefined : this.#directory?.list(from);
  }

  async #execute(ctx: IqContext): Promise<XmlElement> {
    const request = parseCommandRequest(ctx.element);
    if (request === undefined) return stanzaError("modify", "bad-request", "No command node");
    const from = ctx.stanza.attrs.from ?? "";
    const list = this.#list(ctx);
    if (list === undefined) {
      return stanzaError("auth", "forbidden", "You may not use this agent's commands");
    }
    const command = list.find((item) => item.node === request.node);
    if (command === undefined) return stanzaError("cancel", "item-not-found", "No such command");
    const sessionId = request.sessionId ?? crypto.randomUUID();
    const answer = (status: "executing" | "completed" | "canceled", form?: Form, note?: string) =>
      buildCommandAnswer({
        node: command.node,
        sessionId,
        status,
        ...(form === undefined ? {} : { form }),
        ...(note === undefined ? {} : { note: { type: "info" as const, text: note } }),
      });
    if (request.action === "cancel") return answer("canceled");
    const asks = command.args !== undefined || command.confirm !== undefined;
    if (asks && request.submitted === undefined) return answer("executing", askForm(command));
    const submitted = request.submitted ?? new Map<string, string>();
    if (command.confirm !== undefined && !isTrue(submitted.get("confirm"))) {
      return answer("canceled", undefined, "Not confirmed: nothing was done.");
    }
    const args = (submitted.get("args") ?? "").trim();
    if (command.args?.required === true && args === "") {
      return stanzaError("modify", "bad-request", `${command.args.label} is required`);
    }
    const to = ctx.stanza.attrs.to;
    const text = await this.#run({ from, node: command.node, args, ...(to ? { to } : {}) });
    if (text === undefined) {
      return stanzaError("wait", "resource-constraint", "The command did not finish in time");
    }
    return answer("completed", {
      type: "result",
      title: command.name,
      fields: [{ var: "answer", type: "text-multi", label: "Answer", value: text }],
    }, text);
  }

  async #run(request: Parameters<CommandDirectory["run"]>[0]): Promise<string | undefined> {
    const directory = this.#directory;
    if (directory === undefined) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.#timeoutMs);
    });
    try {
      return await Promise.race([directory.run(request), late]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The form of a command that asks before it runs. */
function askForm(command: OfferedCommand): Form {
  return {
    type: "form",
    title: command.name,
    fields: [
      ...(command.args === undefined ? [] : [{
        var: "args",
        type: "text-single" as const,
        label: command.args.label,
        required: command.args.required,
      }]),
      ...(command.confirm === undefined
        ? []
        : [{ var: "confirm", type: "boolean" as const, label: command.confirm, required: true }]),
    ],
  };
}

/** An empty disco#items answer for any other node (or none). */
function emptyItems(node: string | undefined): XmlElement {
  return xml("query", { xmlns: NS_DISCO_ITEMS, node });
}
