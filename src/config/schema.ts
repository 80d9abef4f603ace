import { z } from "zod";
import { isBareJid, isDomain, jidDomain } from "./_jid.ts";

// Every message a user can see starts with "expected …": the loader appends what it found.

/** Connection modes the agent runs in. `component` (XEP-0114) is planned, not built yet. */
export const SERVER_MODES = ["client"] as const;
const PLANNED_SERVER_MODES: readonly string[] = ["component"];

/** LLM providers the agent can talk to. */
export const LLM_PROVIDERS = ["anthropic", "ollama"] as const;

/** The API endpoint used for each provider when `llm.host` is not set. */
export const LLM_DEFAULT_HOSTS: Readonly<Record<(typeof LLM_PROVIDERS)[number], string>> = {
  anthropic: "https://api.anthropic.com",
  ollama: "http://localhost:11434",
};

/** Log levels, from the most to the least verbose. */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;

function oneOf(values: readonly string[]): string {
  return `expected one of ${values.map((value) => JSON.stringify(value)).join(", ")}`;
}

function integer(min: number, max?: number) {
  const error = max === undefined
    ? `expected an integer of at least ${min}`
    : `expected an integer from ${min} to ${max}`;
  const base = z.number({ error }).int({ error }).min(min, { error });
  return max === undefined ? base : base.max(max, { error });
}

function text(error = "expected a non-empty string") {
  return z.string({ error }).min(1, { error });
}

const bool = () => z.boolean({ error: "expected true or false" });

function table<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.strictObject(shape, { error: "expected a table" });
}

const HOST_ERROR = 'expected a host name or IP address without scheme or port, like "example.com"';

function isHost(value: string): boolean {
  if (/[\s/@]/.test(value)) return false;
  // A colon only belongs in an IPv6 address; "host:5222" means the port was put here.
  return !value.includes(":") || /^\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*\]?$/.test(value);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

const serverSchema = table({
  mode: z.enum(SERVER_MODES, {
    error: (issue) =>
      PLANNED_SERVER_MODES.includes(String(issue.input))
        ? `${JSON.stringify(issue.input)} mode is not available yet; use "client"`
        : oneOf(SERVER_MODES),
  }).default("client"),
  host: text(HOST_ERROR).refine(isHost, { error: HOST_ERROR }),
  port: integer(1, 65535).default(5222),
  jid: text('expected a bare JID like "bot@example.com"')
    .refine(isBareJid, { error: 'expected a bare JID like "bot@example.com"' })
    .transform((jid) => jid.toLowerCase()),
  password: text(),
  resource: text().default("fluux-agent"),
  tls_verify: bool().default(true),
  allow_plaintext: bool().default(false),
});

const llmTable = table({
  provider: z.enum(LLM_PROVIDERS, { error: oneOf(LLM_PROVIDERS) }),
  model: text(),
  api_key: text().optional(),
  host: text("expected an http:// or https:// URL")
    .refine(isHttpUrl, { error: "expected an http:// or https:// URL" })
    .optional(),
  max_tokens_per_request: integer(1).default(4096),
  max_history_messages: integer(1).default(20),
  timeout_secs: integer(1).default(120),
  max_retries: integer(0, 10).default(2),
});

const llmSchema = llmTable.refine(
  (llm) => llm.provider !== "anthropic" || llm.api_key !== undefined,
  {
    path: ["api_key"],
    error: 'missing: required when provider is "anthropic" (api_key = "${ANTHROPIC_API_KEY}")',
    // Checked even when other llm keys are wrong, so every problem shows at once.
    when: (payload) => typeof payload.value === "object" && payload.value !== null,
  },
).transform((llm) => ({ ...llm, host: llm.host ?? LLM_DEFAULT_HOSTS[llm.provider] }));

const JID_OR_STAR = 'expected a bare JID like "alice@example.com", or "*"';
const DOMAIN_OR_STAR = 'expected a domain like "example.com", or "*"';

const agentSchema = table({
  name: text().default("Fluux Agent"),
  allowed_jids: z.array(
    z.string({ error: JID_OR_STAR }).refine((jid) => jid === "*" || isBareJid(jid), {
      error: JID_OR_STAR,
    }).transform((jid) => jid.toLowerCase()),
    { error: "expected an array of bare JIDs" },
  ).default([]),
  allowed_domains: z.array(
    z.string({ error: DOMAIN_OR_STAR }).refine((domain) => domain === "*" || isDomain(domain), {
      error: DOMAIN_OR_STAR,
    }).transform((domain) => domain.toLowerCase()),
    { error: "expected an array of domains" },
  ).optional(),
});

const memorySchema = table({ path: text().default("./data/memory") });
const keepaliveSchema = table({
  enabled: bool().default(true),
  ping_interval_secs: integer(1).default(60),
  ping_timeout_secs: integer(1).default(10),
});
const sessionSchema = table({ idle_timeout_mins: integer(0).default(0) });
const logSchema = table({
  level: z.enum(LOG_LEVELS, { error: oneOf(LOG_LEVELS) }).default("info"),
});

const configTable = table({
  server: serverSchema,
  llm: llmSchema,
  agent: agentSchema.prefault({}),
  memory: memorySchema.prefault({}),
  keepalive: keepaliveSchema.prefault({}),
  session: sessionSchema.prefault({}),
  log: logSchema.prefault({}),
});

/**
 * The agent's configuration schema. Keys stay snake_case as in the TOML file; every section
 * but `[server]` and `[llm]` is optional, unknown keys are rejected and defaults are filled.
 */
export const configSchema = configTable.transform((config) => ({
  ...config,
  agent: {
    ...config.agent,
    // Without a list, only people on the agent's own server may talk to it.
    allowed_domains: config.agent.allowed_domains ?? [jidDomain(config.server.jid)],
  },
}));

/** The validated configuration, with defaults filled in. */
export type Config = z.output<typeof configSchema>;

/** The keys each table of the config file accepts, by section (`""` for the top level). */
export const CONFIG_KEYS: Readonly<Record<string, readonly string[]>> = {
  "": Object.keys(configTable.shape),
  server: Object.keys(serverSchema.shape),
  llm: Object.keys(llmTable.shape),
  agent: Object.keys(agentSchema.shape),
  memory: Object.keys(memorySchema.shape),
  keepalive: Object.keys(keepaliveSchema.shape),
  session: Object.keys(sessionSchema.shape),
  log: Object.keys(logSchema.shape),
};
