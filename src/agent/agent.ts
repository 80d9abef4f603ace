/**
 * The agent: takes XMPP events, applies the policy, routes each conversation through its
 * own serial queue, and answers with a command or an LLM turn.
 *
 * @module
 */
import {
  builtinCommands,
  type CommandMemory,
  CommandRegistry,
  parseCommandLine,
} from "../commands/mod.ts";
import type { AgentStatus } from "../commands/mod.ts";
import {
  isSubscribedTo,
  type MessageEvent,
  type RosterItem,
  type XmppAction,
  type XmppEvent,
} from "../xmpp/mod.ts";
import { ConversationQueue } from "./conversation_queue.ts";
import { checkSender, type PolicyRules } from "./policy.ts";
import { runTurn, type TurnContext, type TurnMemory } from "./turn.ts";

/** The XMPP operations the agent uses. */
export interface AgentXmpp {
  send(action: XmppAction): void;
  roster(): Promise<RosterItem[]>;
}

/** Options for {@linkcode Agent}. */
export interface AgentOptions extends Omit<TurnContext, "memory" | "send"> {
  memory: TurnMemory & CommandMemory;
  xmpp: AgentXmpp;
  rules: PolicyRules;
  /** Facts for `/status`. */
  status: () => AgentStatus;
}

/**
 * Routes events to commands and LLM turns.
 *
 * @example
 * ```ts
 * const agent = new Agent(options);
 * connection.onEvent((event) => agent.handle(event));
 * ```
 */
export class Agent {
  #options: AgentOptions;
  #queue = new ConversationQueue();
  #commands = new CommandRegistry(builtinCommands());

  constructor(options: AgentOptions) {
    this.#options = options;
  }

  /** Handles one event; the work it starts runs in the background (see {@linkcode idle}). */
  handle(event: XmppEvent): void {
    switch (event.type) {
      case "message":
        this.#onMessage(event);
        break;
      case "subscribe":
        this.#onSubscribe(event.bare);
        break;
      case "online":
        void this.#subscribeToAllowed();
        break;
      case "offline":
        break;
    }
  }

  /** Resolves when every queued conversation is done. */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  #onMessage(message: MessageEvent): void {
    const { log, rules } = this.#options;
    const decision = checkSender(message.bare, rules);
    if (!decision.allowed) {
      log.info(`Ignored a message from ${message.bare}: ${decision.reason}`);
      return;
    }
    this.#queue.run(message.bare, () => this.#answer(message)).catch((error) => {
      log.error(`Failed to handle a message from ${message.bare}: ${String(error)}`);
    });
  }

  async #answer(message: MessageEvent): Promise<void> {
    const options = this.#options;
    const line = parseCommandLine(message.body);
    if (line === undefined) {
      await runTurn(message, { ...options, send: (action) => options.xmpp.send(action) });
      return;
    }
    const body = await this.#commands.execute(line, {
      jid: message.bare,
      memory: options.memory,
      status: options.status,
      now: options.now,
    });
    options.xmpp.send({
      type: "message",
      to: message.from,
      body,
      ...(message.thread === undefined ? {} : { thread: message.thread }),
    });
  }

  #onSubscribe(bare: string): void {
    const { log, rules, xmpp } = this.#options;
    const decision = checkSender(bare, rules);
    if (!decision.allowed) {
      log.info(`Ignored a subscription request from ${bare}: ${decision.reason}`);
      return;
    }
    xmpp.send({ type: "subscribed", to: bare });
    log.info(`Accepted the subscription request of ${bare}`);
  }

  async #subscribeToAllowed(): Promise<void> {
    const { log, rules, xmpp } = this.#options;
    const wanted = rules.allowedJids.filter((jid) => jid !== "*");
    if (wanted.length === 0) return;
    try {
      const roster = new Map((await xmpp.roster()).map((item) => [item.jid, item]));
      for (const jid of wanted) {
        const item = roster.get(jid);
        if (item !== undefined && isSubscribedTo(item)) continue;
        xmpp.send({ type: "subscribe", to: jid });
        log.info(`Asked ${jid} to share presence`);
      }
    } catch (error) {
      log.warn(`Could not read the roster: ${String(error)}`);
    }
  }
}
