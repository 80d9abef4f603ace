/**
 * The built-in tool `spawn_agent`: the LLM hands a self-contained task to a sub-agent (one of
 * `[llm.agents]`, or a general one), which works on it with its own model, prompt and tools,
 * and whose answer is the tool's result. Several calls of one round run at once, up to the
 * conversation's limit; one that runs out of time is stopped and reported as an error.
 *
 * @module
 */
import type { ToolCall, ToolContext, ToolResult, ToolRunner } from "../agent/mod.ts";
import { UNTRUSTED_CONTENT_NOTICE } from "../agent/mod.ts";
import { LlmError, type ToolDefinition } from "../llm/mod.ts";
import { errorMessage, type Logger } from "../log/mod.ts";
import { type AuditSink, redactArguments } from "../skills/mod.ts";
import { emptyTotals } from "../usage/mod.ts";
import { KeyedSlots } from "./_slots.ts";
import { restrictTools } from "./restrict_tools.ts";
import { runSubagent, type SubagentLlm, type SubagentOutcome } from "./run_subagent.ts";

/** The tool's name. */
export const SPAWN_AGENT = "spawn_agent";

/** One named agent (`[llm.agents.<name>]`). */
export interface NamedAgent {
  /** A model id or a tier. @default {the default model} */
  model?: string | undefined;
  /** A persona id: its prompt files come first. */
  persona?: string | undefined;
  /** Appended to the persona's prompt, else to the parent's. */
  instructions?: string | undefined;
  /** The tools it may call; `[]` = none. @default {the parent's, but spawn_agent} */
  skills?: readonly string[] | undefined;
  /** Largest answer per call. @default {the agent's max_tokens_per_request} */
  max_tokens?: number | undefined;
}

/** Options of {@linkcode SpawnAgentTool}. */
export interface SpawnAgentOptions extends SubagentLlm {
  /** The named agents, by name. @default {{}} */
  agents?: Readonly<Record<string, NamedAgent>>;
  /**
   * The tools sub-agents may have, before each one's allowlist: the parent's, without
   * `spawn_agent` and without tools that write memory or message anyone.
   */
  tools?: ToolRunner | undefined;
  /** The parent's system prompt for a conversation. */
  parentPrompt: (conversation: string) => Promise<string>;
  /** A persona's prompt, `undefined` when it has no file. */
  personaPrompt?: (id: string) => Promise<string | undefined>;
  /** Sub-agents running at once in one conversation; more wait. @default {3} */
  maxConcurrent?: number;
  /** The longest a sub-agent may run, in seconds (a call may ask for less). @default {120} */
  timeoutSecs?: number;
  /** Largest answer per call, when the agent sets none. */
  maxTokens: number;
  /** Rounds of tool calls before a sub-agent must answer. @default {10} */
  maxRounds?: number;
  /** Why a conversation may not use the LLM now (its quota), if it may not. */
  refusal?: (conversation: string) => string | undefined;
  /** Where each run is recorded, with its tokens. @default {nowhere} */
  audit?: AuditSink;
  /** Hides secrets in the audit's arguments. @default {the identity} */
  scrub?: (text: string) => string;
  log?: Logger;
  /** @default {() => new Date()} */
  now?: () => Date;
}

/** Said to every sub-agent, after its prompt. */
export const SUBAGENT_NOTICE = "You are a sub-agent: another agent gave you the task in the " +
  "message. Do it and answer with the result; your answer goes back to that agent, not to a " +
  "person. You cannot send messages to anyone, and you can read memory but not change it.";

/** Stops a run that has used up its time. */
class SubagentTimeout extends Error {
  override name = "SubagentTimeout";
  constructor(readonly seconds: number) {
    super(`The sub-agent did not finish within ${seconds} s`);
  }
}

/** The `spawn_agent` tool, as a tool runner the agent's turns use. */
export class SpawnAgentTool implements ToolRunner {
  #options: SpawnAgentOptions;
  #slots: KeyedSlots;
  #now: () => Date;

  /** @param options See {@linkcode SpawnAgentOptions}. */
  constructor(options: SpawnAgentOptions) {
    this.#options = options;
    this.#slots = new KeyedSlots(options.maxConcurrent ?? 3);
    this.#now = options.now ?? (() => new Date());
  }

  /** The tool's definition; its description names the configured agents. */
  definitions(): ToolDefinition[] {
    const agents = Object.entries(this.#options.agents ?? {});
    const limit = this.#timeout();
    const listed = agents.map(([name, agent]) => `- ${name}${describeAgent(agent)}`);
    return [{
      name: SPAWN_AGENT,
      description: "Hands a self-contained task to a sub-agent and returns its answer. The " +
        "sub-agent sees only the task you write (not this conversation), so include " +
        "everything it needs. It cannot message anyone and cannot change memory. Several " +
        `calls in one round run at the same time (up to ${this.#options.maxConcurrent ?? 3}); ` +
        `each may run ${limit} s at most.` +
        (listed.length === 0
          ? " Without agent_name, a general sub-agent with your tools does the task."
          : `\nAgents (agent_name):\n${listed.join("\n")}\nWithout agent_name, a general ` +
            "sub-agent with your tools does the task."),
      input_schema: {
        type: "object",
        properties: {
          task: { type: "string", description: "The task, with everything needed to do it" },
          ...(agents.length === 0 ? {} : {
            agent_name: {
              type: "string",
              enum: agents.map(([name]) => name),
              description: "Which agent does it",
            },
          }),
          timeout_seconds: {
            type: "integer",
            minimum: 1,
            maximum: limit,
            description: `Time allowed, in seconds (at most ${limit})`,
          },
        },
        required: ["task"],
        additionalProperties: false,
      },
    }];
  }

  /** Runs one sub-agent; every failure comes back as an error result. */
  async call(call: ToolCall, context: ToolContext): Promise<ToolResult> {
    const error = (content: string): ToolResult => ({
      tool_use_id: call.id,
      content,
      is_error: true,
    });
    if (call.name !== SPAWN_AGENT) return error(`Unknown tool ${JSON.stringify(call.name)}`);
    const input = this.#parse(call.input);
    if (typeof input === "string") return error(input);
    const refusal = this.#options.refusal?.(context.conversation);
    if (refusal !== undefined) {
      return error(`No sub-agent was started: this conversation's token quota is used up.`);
    }
    const release = await this.#slots.acquire(context.conversation);
    try {
      return await this.#run(call, context, input);
    } finally {
      release();
    }
  }

  async #run(
    call: ToolCall,
    context: ToolContext,
    input: { task: string; name: string | undefined; seconds: number },
  ): Promise<ToolResult> {
    const options = this.#options;
    const agent: NamedAgent = input.name === undefined ? {} : options.agents![input.name]!;
    const label = input.name ?? "general";
    const started = this.#now();
    const spent: SubagentOutcome = { text: "", tokens: emptyTotals(), calls: 0, toolCalls: 0 };
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new SubagentTimeout(input.seconds)),
      input.seconds * 1000,
    );
    // The parent's turn may be stopped too: its sub-agents stop with it.
    const stop = () => controller.abort(context.signal?.reason);
    context.signal?.addEventListener("abort", stop, { once: true });
    let outcome: "ok" | "error" | "timeout" = "ok";
    let content: string;
    try {
      const tools = restrictTools(options.tools, { allow: agent.skills, deny: [SPAWN_AGENT] });
      const system = await this.#system(agent, context.conversation, tools !== undefined);
      await runSubagent(
        {
          task: input.task,
          system,
          tools,
          where: { conversation: context.conversation, sender: context.sender },
          model: agent.model,
          maxTokens: agent.max_tokens ?? options.maxTokens,
          maxRounds: options.maxRounds ?? 10,
          signal: controller.signal,
        },
        options,
        spent,
      );
      content = spent.text;
    } catch (failure) {
      const reason = controller.signal.aborted ? controller.signal.reason : failure;
      if (reason instanceof SubagentTimeout) {
        outcome = "timeout";
        content = `Sub-agent "${label}" did not finish within ${reason.seconds} s; it was ` +
          "stopped and its work is lost. Try a smaller task, or answer without it.";
      } else {
        outcome = "error";
        content = `Sub-agent "${label}" failed: ${describe(reason)}`;
      }
    } finally {
      clearTimeout(timer);
      context.signal?.removeEventListener("abort", stop);
    }
    const ms = Math.max(0, this.#now().getTime() - started.getTime());
    options.log?.info(
      `Sub-agent ${label} for ${context.conversation}: ${outcome} in ${ms} ms, ${spent.calls} ` +
        `LLM calls, ${spent.tokens.input} input / ${spent.tokens.output} output tokens`,
    );
    await options.audit?.record({
      time: started.toISOString(),
      conversation: context.conversation,
      tool_use_id: call.id,
      skill: SPAWN_AGENT,
      arguments: redactArguments(call.input, options.scrub),
      outcome,
      duration_ms: ms,
      ...(outcome === "ok" ? {} : { detail: content }),
      agent: label,
      llm_calls: spent.calls,
      tokens: { ...spent.tokens },
    }).catch((failure) => options.log?.error(`Cannot write the audit log: ${failure}`));
    return { tool_use_id: call.id, content, is_error: outcome !== "ok" };
  }

  /** The sub-agent's prompt: its persona's, else the parent's; then its instructions. */
  async #system(agent: NamedAgent, conversation: string, tools: boolean): Promise<string> {
    const persona = agent.persona === undefined
      ? undefined
      : await this.#options.personaPrompt?.(agent.persona);
    if (agent.persona !== undefined && persona === undefined) {
      this.#options.log?.warn(
        `Persona "${agent.persona}" has no prompt files: the sub-agent uses the agent's prompt`,
      );
    }
    const base = persona ?? await this.#options.parentPrompt(conversation);
    return [base, agent.instructions, SUBAGENT_NOTICE, tools ? UNTRUSTED_CONTENT_NOTICE : undefined]
      .filter((part) => part !== undefined).join("\n\n");
  }

  #timeout(): number {
    return this.#options.timeoutSecs ?? 120;
  }

  /** The call's input checked, or what is wrong with it. */
  #parse(input: Record<string, unknown>) {
    const { task, agent_name: name, timeout_seconds: seconds } = input;
    const names = Object.keys(this.#options.agents ?? {});
    const extra = Object.keys(input).filter((key) =>
      !["task", "agent_name", "timeout_seconds"].includes(key)
    );
    if (extra.length > 0) return `Unknown arguments: ${extra.join(", ")}`;
    if (typeof task !== "string" || task.trim() === "") return "task: expected the task as text";
    if (name !== undefined && (typeof name !== "string" || !names.includes(name))) {
      return `agent_name: unknown agent ${JSON.stringify(name)}; agents: ${
        names.join(", ") || "none (leave agent_name out)"
      }`;
    }
    if (
      seconds !== undefined &&
      (typeof seconds !== "number" || !Number.isInteger(seconds) || seconds < 1)
    ) {
      return "timeout_seconds: expected a whole number of seconds, 1 or more";
    }
    const limit = this.#timeout();
    return {
      task,
      name: name as string | undefined,
      seconds: Math.min(limit, (seconds as number | undefined) ?? limit),
    };
  }
}

/** ` (model …; tools …): instructions`, for the tool's description. */
function describeAgent(agent: NamedAgent): string {
  const facts = [
    agent.model === undefined ? undefined : `model ${agent.model}`,
    agent.skills === undefined
      ? undefined
      : agent.skills.length === 0
      ? "no tools"
      : `tools ${agent.skills.join(", ")}`,
  ].filter((fact) => fact !== undefined);
  const about = agent.instructions?.replace(/\s+/g, " ").slice(0, 160);
  return `${facts.length === 0 ? "" : ` (${facts.join("; ")})`}${about ? `: ${about}` : ""}`;
}

function describe(error: unknown): string {
  if (error instanceof LlmError) return `the language model failed (${error.kind})`;
  return errorMessage(error);
}
