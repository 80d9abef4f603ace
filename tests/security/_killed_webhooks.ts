/**
 * What the kill tests share: signed webhook deliveries, sending one, what the person read,
 * what the inbox holds, and (for the full-disk tests too) a small file system to fill.
 *
 * @module
 */
import type { AgentProcessOptions } from "../support/agent_process.ts";
import type { HumanMessage } from "../support/human.ts";
import { signWebhook } from "../../src/webhooks/mod.ts";

/** The secret of every route of these tests. */
export const SECRET = "killed-hook-secret-0123456789abcdef";

/** A route of {@linkcode webhookAgent}: signed as GitHub signs, to the person. */
export interface TestRoute {
  path: string;
  mode: "notify" | "agent";
  /** More TOML lines of the route (a template, a rate). @default {""} */
  extra?: string;
}

/**
 * The options of an agent on `xmpp` as `bot`, for `person` only, listening for webhooks on
 * `port` with `routes` (each with {@linkcode SECRET}).
 */
export function webhookAgent(options: {
  xmpp: AgentProcessOptions["prosody"];
  bot: { user: string; password: string };
  person: { jid: string };
  llmUrl: string;
  dataDir: string;
  port: number;
  routes: TestRoute[];
}): AgentProcessOptions {
  const { bot, person } = options;
  const routes = options.routes.map((route) => `
[[webhooks.routes]]
path = "${route.path}"
secret = "\${HOOK_SECRET}"
signature = "github"
to = "${person.jid}"
mode = "${route.mode}"
${route.extra ?? ""}`);
  return {
    prosody: options.xmpp,
    user: bot.user,
    password: bot.password,
    allowedJids: [person.jid],
    llmUrl: options.llmUrl,
    dataDir: options.dataDir,
    env: { HOOK_SECRET: SECRET },
    extraToml: `
[webhooks]
listen = "127.0.0.1:${options.port}"
${routes.join("")}`,
  };
}

/** A delivery as GitHub signs it, and where it goes. */
export interface Delivery {
  url: string;
  body: string;
  headers: Record<string, string>;
}

/** Delivery `n`, with `deliveryId`, for the route at `url`. */
export async function signed(url: string, deliveryId: string, n: number): Promise<Delivery> {
  const body = JSON.stringify({ n });
  const headers = await signWebhook("github", SECRET, body, { deliveryId });
  return { url, body, headers: { ...headers, "Content-Type": "application/json" } };
}

/** POSTs one delivery: its status, 0 when the connection was refused or cut. */
export async function post({ url, body, headers }: Delivery): Promise<number> {
  try {
    const response = await fetch(url, { method: "POST", body, headers });
    await response.body?.cancel();
    return response.status;
  } catch {
    return 0;
  }
}

/**
 * What the person read, one line a delivery: a template's text as is, the fake LLM's echo of
 * a delivery's payload as the template would have said it.
 */
export function bodies(events: readonly { kind: string }[], bot: string): string[] {
  return events
    .filter((e): e is HumanMessage => e.kind === "message")
    .filter((m) => m.from.startsWith(bot) && m.body !== undefined)
    .map((m) => {
      const echoed = m.body!.startsWith("echo: ") ? /"n":\s*(\d+)/.exec(m.body!) : null;
      return echoed === null ? m.body! : `Delivery ${echoed[1]}`;
    });
}

/** Records of the inbox not marked done. */
export async function pending(dataDir: string): Promise<number> {
  const text = await Deno.readTextFile(`${dataDir}/inbox.jsonl`).catch(() => "");
  const open = new Set<number>();
  for (const line of text.split("\n")) {
    try {
      const entry = JSON.parse(line);
      if (typeof entry.n === "number") open.add(entry.n);
      if (typeof entry.done === "number") open.delete(entry.done);
    } catch { /* a line being written: the next look sees it whole */ }
  }
  return open.size;
}

/** Runs a command; throws with its stderr when it fails. */
export async function run(command: string, args: string[]): Promise<void> {
  const output = await new Deno.Command(command, { args, stdout: "null", stderr: "piped" })
    .output();
  if (!output.success) {
    throw new Error(`${command} ${args.join(" ")}: ${new TextDecoder().decode(output.stderr)}`);
  }
}

/** Writes until the file system is full. */
export async function fill(path: string): Promise<void> {
  const file = await Deno.open(path, { write: true, create: true });
  const chunk = new Uint8Array(64 * 1024);
  try {
    for (;;) await file.write(chunk);
  } catch (error) {
    if (!/No space left|os error 28/.test(String(error))) throw error;
  } finally {
    file.close();
  }
}
