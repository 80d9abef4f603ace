import { isAbsolute, normalize } from "node:path";
import { z } from "zod";
import { isBareJid, isDomain, normaliseBareJid, parseJid } from "../jid/mod.ts";
// The one list of default upload hosts and ports, and the one parser of name servers.
import { defaultAttachmentHosts } from "../attachments/default_attachment_hosts.ts";
import { parseNameServer } from "../net/name_servers.ts";
import { llmProvidersTable, llmSchema, llmTable, llmTiersTable } from "./_llm_schema.ts";
import { SCHEDULE_KEYS, schedulesSchema, scheduleTargetProblem } from "./_schedules_schema.ts";
import { PERSONA_RESTRICTION_KEYS, personasSchema, personasTable } from "./_personas_schema.ts";
import { llmAgentTable, subagentSettings } from "./_agents_schema.ts";
import { modelPriceTable, quotaSchema } from "./_quota_schema.ts";

import { bool, integer, oneOf, table, text } from "./_schema_parts.ts";
import {
  webhookRouteSchema,
  webhooksSchema,
  webhookTargetIssues,
  type WebhookTargets,
} from "./_webhooks_schema.ts";

// Every message a user can see starts with "expected …": the loader appends what it found.

/** Connection modes: a client account (C2S) or a server component (XEP-0114). */
export const SERVER_MODES = ["client", "component"] as const;

/** Default port by mode: the client port, or the server's component port. */
export const DEFAULT_PORTS = { client: 5222, component: 5347 } as const;

/** LLM providers the agent can talk to, and their default hosts. */
export { LLM_DEFAULT_HOSTS, LLM_PROVIDERS } from "../llm/model_id.ts";

/** Log levels, from the most to the least verbose. */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;

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

const BARE_JID = 'expected a bare JID like "bot@example.com"';
const DOMAIN = 'expected a domain like "agent.example.com"';

const serverTable = table({
  mode: z.enum(SERVER_MODES, { error: oneOf(SERVER_MODES) }).default("client"),
  host: text(HOST_ERROR).refine(isHost, { error: HOST_ERROR }),
  port: integer(1, 65535).optional(),
  jid: text(BARE_JID).refine(isBareJid, { error: BARE_JID })
    .transform((jid) => normaliseBareJid(jid)).optional(),
  password: text().optional(),
  resource: text().default("fluux-agent"),
  tls_verify: bool().default(true),
  allow_plaintext: bool().default(false),
  max_stanza_bytes: integer(4096).default(65_536),
  component_domain: text(DOMAIN).refine(isDomain, { error: DOMAIN })
    .transform((domain) => normaliseBareJid(domain)).optional(),
  component_secret: text().optional(),
});

/** Keys each mode needs, with what is expected when one is missing. */
const REQUIRED_BY_MODE = {
  client: { jid: BARE_JID, password: "expected a non-empty string" },
  component: { component_domain: DOMAIN, component_secret: "expected a non-empty string" },
} as const;

const serverSchema = serverTable.check((context) => {
  const server = context.value;
  for (const [key, expected] of Object.entries(REQUIRED_BY_MODE[server.mode])) {
    if (server[key as keyof typeof server] === undefined) {
      context.issues.push({
        code: "custom",
        path: [key],
        message: expected,
        input: undefined,
        // Reported even when other server keys are wrong, so every problem shows at once.
        continue: true,
      });
    }
  }
}).transform((server) => {
  const componentDomain = server.component_domain ?? "";
  return {
    ...server,
    port: server.port ?? DEFAULT_PORTS[server.mode],
    // In component mode the agent's address is the component domain itself.
    jid: server.jid ?? componentDomain,
    password: server.password ?? "",
  };
});

const JID_OR_STAR = 'expected a bare JID like "alice@example.com", or "*"';
const DOMAIN_OR_STAR = 'expected a domain like "example.com", or "*"';

/** A lone `"*"` is read as `["*"]`: writing the wildcard without brackets is a natural slip. */
const starAsList = (value: unknown) => value === "*" ? ["*"] : value;

/** How an answer is delivered while the LLM writes it (`stream_replies`). */
export const STREAM_REPLIES = ["paragraphs", "corrections", "off"] as const;

const streamReplies = () => z.enum(STREAM_REPLIES, { error: oneOf(STREAM_REPLIES) });

const agentSchema = table({
  name: text().default("Fluux Agent"),
  // A picture for the agent's vCard and avatar (a path, relative to the working directory).
  avatar: text().optional(),
  allowed_jids: z.preprocess(
    starAsList,
    z.array(
      z.string({ error: JID_OR_STAR }).refine((jid) => jid === "*" || isBareJid(jid), {
        error: JID_OR_STAR,
      }).transform((jid) => jid === "*" ? jid : normaliseBareJid(jid)),
      { error: 'expected an array of bare JIDs, or "*"' },
    ),
  ).default([]),
  allowed_domains: z.preprocess(
    starAsList,
    z.array(
      z.string({ error: DOMAIN_OR_STAR }).refine(
        (domain) => domain === "*" || isDomain(domain),
        { error: DOMAIN_OR_STAR },
      ).transform((domain) => domain === "*" ? domain : normaliseBareJid(domain)),
      { error: 'expected an array of domains, or "*"' },
    ),
  ).optional(),
  dev_command_jids: z.array(
    z.string({ error: BARE_JID }).refine(isBareJid, { error: BARE_JID })
      .transform((jid) => normaliseBareJid(jid)),
    { error: "expected an array of bare JIDs" },
  ).default([]),
  respond_to_reactions: bool().default(false),
  admin_jids: z.array(
    z.string({ error: BARE_JID }).refine(isBareJid, { error: BARE_JID })
      .transform((jid) => normaliseBareJid(jid)),
    { error: "expected an array of bare JIDs" },
  ).default([]),
  max_tool_rounds: integer(1, 100).default(10),
  max_message_chars: integer(1, 1_000_000).default(16_000),
  max_answer_chars: integer(100, 1_000_000).default(8_000),
  max_schedules: integer(0, 1000).default(20),
  missed_run_grace_mins: integer(0, 10_080).default(60),
  ...subagentSettings,
  stream_replies: streamReplies().default("paragraphs"),
});

/** Embedders of memory search: `"none"` searches by keywords only. */
export const SEARCH_PROVIDERS = ["none", "ollama", "openai"] as const;

/** What memory search indexes: profiles and notes, sessions, the shared folder. */
export const SEARCH_SOURCES = ["memory", "sessions", "shared"] as const;

/** The embedding endpoint used for each provider when `memory.search.host` is not set. */
export const SEARCH_DEFAULT_HOSTS: Readonly<
  Record<Exclude<(typeof SEARCH_PROVIDERS)[number], "none">, string>
> = {
  ollama: "http://localhost:11434",
  openai: "https://api.openai.com",
};

function fraction() {
  const error = "expected a number from 0 to 1";
  return z.number({ error }).min(0, { error }).max(1, { error });
}

const hybridSchema = table({
  vector_weight: fraction().default(0.7),
  keyword_weight: fraction().default(0.3),
});

const searchTable = table({
  enabled: bool().default(false),
  provider: z.enum(SEARCH_PROVIDERS, { error: oneOf(SEARCH_PROVIDERS) }).default("none"),
  model: text().default("nomic-embed-text"),
  host: text("expected an http:// or https:// URL")
    .refine(isHttpUrl, { error: "expected an http:// or https:// URL" }).optional(),
  api_key: text().optional(),
  sources: z.array(z.enum(SEARCH_SOURCES, { error: oneOf(SEARCH_SOURCES) }), {
    error: "expected an array of sources",
  }).default([...SEARCH_SOURCES]),
  recency_weight: fraction().default(0.1),
  recency_half_life_days: integer(1, 36_500).default(30),
  hybrid: hybridSchema.prefault({}),
});

const searchSchema = searchTable.refine(
  (search) => search.hybrid.vector_weight + search.hybrid.keyword_weight > 0,
  { path: ["hybrid"], error: "expected vector_weight or keyword_weight above 0" },
).transform((search) => ({
  ...search,
  sources: [...new Set(search.sources)],
  host: search.host ?? (search.provider === "none" ? "" : SEARCH_DEFAULT_HOSTS[search.provider]),
}));

const sharedSchema = table({
  path: text().optional(),
  contributors: z.array(
    z.string({ error: BARE_JID }).refine(isBareJid, { error: BARE_JID })
      .transform((jid) => jid.toLowerCase()),
    { error: "expected an array of bare JIDs" },
  ).default([]),
});

const memorySchema = table({
  path: text().default("./data/memory"),
  fsync: bool().default(false),
  compaction: bool().default(true),
  memory_flush: bool().default(true),
  // Tokens of memory.md the system prompt carries (newest lines first); past it, the notes are
  // consolidated by the LLM. Below 200 a consolidated list could hardly hold anything.
  notes_token_budget: integer(200, 100_000).default(4000),
  search: searchSchema.prefault({}),
  shared: sharedSchema.prefault({}),
}).check((context) => {
  const { path, shared } = context.value;
  const problem = shared.path === undefined ? undefined : sharedPathProblem(path, shared.path);
  if (problem !== undefined) {
    context.issues.push({
      code: "custom",
      path: ["shared", "path"],
      message: problem,
      input: shared.path,
      continue: true,
    });
  }
});

/**
 * Why a shared folder cannot be where it is: inside the data directory only its own
 * `shared` folder is, since any other folder there is a conversation's (or would be
 * searched by everyone); and a folder holding the data directory would share every
 * conversation's notes. Compared as written (the loader resolves both the same way).
 */
export function sharedPathProblem(dataDir: string, sharedDir: string): string | undefined {
  const data = normalize(dataDir).replace(/\/+$/, "");
  const shared = normalize(sharedDir).replace(/\/+$/, "");
  const inside = (child: string, parent: string) =>
    child === parent || child.startsWith(parent === "/" ? "/" : `${parent}/`) ||
    (parent === "." && !child.startsWith("../") && child !== ".." && !isAbsolute(child));
  if (inside(data, shared)) {
    return "expected a folder outside the data directory (memory.path), not one holding it";
  }
  if (inside(shared, data) && shared !== `${data === "." ? "" : `${data}/`}shared`) {
    return 'expected a folder outside the data directory, or its "shared" folder';
  }
  return undefined;
}

/** How a room activates the agent. */
export const ROOM_ACTIVATIONS = ["mention", "all"] as const;

const ROOM_JID = 'expected a room JID like "dev@conference.example.com"';

/** Who may have the LLM use tools (and attachments be downloaded) in a room. */
export const ROOM_TOOLS = ["allowed", "everyone"] as const;

/** Who may see occupants' real JIDs in a room the agent creates (`muc#roomconfig_whois`). */
export const ROOM_WHOIS = ["moderators", "anyone"] as const;

/** `[rooms.create]`: what the agent submits when its join creates the room. */
const roomCreateSchema = table({
  name: text().optional(),
  persistent: bool().optional(),
  public: bool().optional(),
  members_only: bool().optional(),
  whois: z.enum(ROOM_WHOIS, { error: oneOf(ROOM_WHOIS) }).optional(),
});

const roomSchema = table({
  jid: text(ROOM_JID).refine(isBareJid, { error: ROOM_JID }).transform((jid) =>
    normaliseBareJid(jid)
  ),
  nick: text().optional(),
  activation: z.enum(ROOM_ACTIVATIONS, { error: oneOf(ROOM_ACTIVATIONS) }).default("mention"),
  history_on_join: integer(0, 1000).default(0),
  password: text().optional(),
  download_attachments: bool().default(false),
  // Answer mentions the agent missed while away (read from the room's archive or history).
  answer_missed: bool().default(false),
  tools: z.enum(ROOM_TOOLS, { error: oneOf(ROOM_TOOLS) }).default("allowed"),
  history_token_budget: integer(1000).optional(),
  create: roomCreateSchema.optional(),
  /** A room's answers are delivered whole unless it says otherwise. */
  stream_replies: streamReplies().default("off"),
});

/** Web search providers of the built-in `web_search` skill. */
export const WEB_SEARCH_PROVIDERS = ["tavily", "perplexity"] as const;

const webSearchSchema = table({
  provider: z.enum(WEB_SEARCH_PROVIDERS, { error: oneOf(WEB_SEARCH_PROVIDERS) }),
  api_key: text().optional(),
  max_results: integer(1, 50).default(5),
  host: text("expected an http:// or https:// URL")
    .refine(isHttpUrl, { error: "expected an http:// or https:// URL" }).optional(),
  model: text().optional(),
});

const urlFetchSchema = table({
  enabled: bool().default(false),
  allow_private_hosts: bool().default(false),
  max_chars: integer(100, 1_000_000).default(20_000),
});

const skillsSchema = table({
  dir: text().optional(),
  allowed_paths: z.array(text(), { error: "expected an array of absolute paths" }).default([]),
  trusted: z.array(text(), { error: "expected an array of skill names" }).default([]),
  max_concurrent: integer(1, 64).default(4),
  memory_limit_mb: integer(16, 16_384).default(256),
  web_search: webSearchSchema.optional(),
  url_fetch: urlFetchSchema.optional(),
});

const HOST_OR_PORT = 'expected a host name like "upload.example.com" (optionally ":port")';

const attachmentsSchema = table({
  enabled: bool().default(true),
  hosts: z.array(
    text(HOST_OR_PORT).refine((value) => isHost(value.replace(/:\d+$/, "")), {
      error: HOST_OR_PORT,
    }).transform((value) => value.toLowerCase()),
    { error: "expected an array of host names" },
  ).optional(),
  allow_private_hosts: bool().default(false),
  max_size_mb: integer(1, 1024).default(25),
  max_concurrent: integer(1, 64).default(3),
  max_per_host: integer(1, 64).default(2),
  max_per_conversation: integer(1, 64).default(2),
  timeout_secs: integer(1, 3600).default(60),
});

// `[upload]`: files the agent sends (XEP-0363). Without `host`, the XMPP domain and its
// usual upload names (those of `attachments.hosts`' default) may take them.
const uploadSchema = table({
  enabled: bool().default(true),
  host: text(HOST_OR_PORT).refine((value) => isHost(value.replace(/:\d+$/, "")), {
    error: HOST_OR_PORT,
  }).transform((value) => value.toLowerCase()).optional(),
});

const NAME_SERVER = 'expected a name server address like "192.0.2.53" or "127.0.0.1:5353"';

const networkSchema = table({
  nameservers: z.array(
    text(NAME_SERVER).refine((value) => parseNameServer(value) !== undefined, {
      error: NAME_SERVER,
    }),
    { error: "expected an array of name server addresses" },
  ).default([]),
});
const keepaliveSchema = table({
  enabled: bool().default(true),
  ping_interval_secs: integer(1).default(60),
  ping_timeout_secs: integer(1).default(10),
});
const sessionSchema = table({
  idle_timeout_mins: integer(0).default(0),
  carry_over: bool().default(false),
});

const proactiveSchema = table({
  greet_on_login: bool().default(false),
  deliver_when_online: bool().default(true),
});
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
  proactive: proactiveSchema.prefault({}),
  log: logSchema.prefault({}),
  rooms: z.array(roomSchema, { error: "expected [[rooms]] tables" }).default([]),
  attachments: attachmentsSchema.prefault({}),
  upload: uploadSchema.prefault({}),
  skills: skillsSchema.prefault({}),
  network: networkSchema.prefault({}),
  schedules: schedulesSchema.default([]),
  webhooks: webhooksSchema.optional(),
  personas: personasSchema.prefault({}),
  quota: quotaSchema.prefault({}),
});

/**
 * Where schedules and webhooks speak must be a conversation the agent may have: an allowed
 * JID or a configured room.
 */
const checkedTable = configTable.check((context) => {
  const config = context.value;
  const allowed = {
    jids: config.agent.allowed_jids,
    domains: config.agent.allowed_domains ?? defaultDomains(config.server),
    rooms: config.rooms.map((room) => room.jid),
  };
  config.schedules.forEach((schedule, index) => {
    const problem = scheduleTargetProblem(schedule.to, allowed);
    if (problem === undefined) return;
    context.issues.push({
      code: "custom",
      path: ["schedules", index, "to"],
      message: problem,
      input: schedule.to,
    });
  });
  if (config.webhooks === undefined) return;
  const targets: WebhookTargets = {
    allowedJids: allowed.jids,
    allowedDomains: allowed.domains,
    rooms: allowed.rooms,
  };
  for (const issue of webhookTargetIssues(config.webhooks.routes, targets)) {
    context.issues.push({ code: "custom", input: undefined, ...issue });
  }
});

/**
 * The agent's configuration schema. Keys stay snake_case as in the TOML file; every section
 * but `[server]` and `[llm]` is optional, unknown keys are rejected and defaults are filled.
 */
export const configSchema = checkedTable.transform((config) => {
  const domain = serverDomain(config.server);
  return {
    ...config,
    agent: {
      ...config.agent,
      // Without a list, only people on the agent's own server may talk to it.
      allowed_domains: config.agent.allowed_domains ?? defaultDomains(config.server),
    },
    rooms: config.rooms.map((room) => ({ ...room, nick: room.nick ?? "fluux-agent" })),
    attachments: {
      ...config.attachments,
      hosts: config.attachments.hosts ?? defaultAttachmentHosts(domain),
    },
    upload: {
      ...config.upload,
      // Where files may be PUT: a client account's upload service (a component has none).
      hosts: !config.upload.enabled || config.server.mode !== "client"
        ? []
        : config.upload.host === undefined
        ? defaultAttachmentHosts(domain)
        : [config.upload.host],
    },
  };
});

/**
 * The XMPP domain the agent lives on: the account's, or the parent of the component's
 * (`agent.example.org` → `example.org`).
 */
export function serverDomain(server: { mode: string; jid: string }): string {
  if (server.mode === "client") return parseJid(server.jid).domain;
  const dot = server.jid.indexOf(".");
  return dot === -1 ? server.jid : server.jid.slice(dot + 1);
}

/**
 * The domains allowed by default: the agent's own. A component (`agent.example.org`)
 * also accepts its parent domain (`example.org`), where its users have their accounts.
 */
function defaultDomains(server: { mode: string; jid: string }): string[] {
  if (server.mode === "client") return [parseJid(server.jid).domain];
  const parent = serverDomain(server);
  return parent === server.jid ? [server.jid] : [server.jid, parent];
}

/** The validated configuration, with defaults filled in. */
export type Config = z.output<typeof configSchema>;

/** The keys each table of the config file accepts, by section (`""` for the top level). */
export const CONFIG_KEYS: Readonly<Record<string, readonly string[]>> = {
  "": Object.keys(configTable.shape),
  server: Object.keys(serverTable.shape),
  llm: Object.keys(llmTable.shape),
  "llm.tiers": Object.keys(llmTiersTable.shape),
  "llm.providers": Object.keys(llmProvidersTable.shape),
  "llm.providers.anthropic": ["api_key", "host"],
  "llm.providers.ollama": ["api_key", "host"],
  "llm.providers.openai": ["api_key", "host"],
  "llm.agents.*": Object.keys(llmAgentTable.shape),
  quota: Object.keys(quotaSchema.shape),
  "quota.cost.*": Object.keys(modelPriceTable.shape),
  agent: Object.keys(agentSchema.shape),
  memory: Object.keys(memorySchema.shape),
  "memory.search": Object.keys(searchTable.shape),
  "memory.search.hybrid": Object.keys(hybridSchema.shape),
  "memory.shared": Object.keys(sharedSchema.shape),
  keepalive: Object.keys(keepaliveSchema.shape),
  session: Object.keys(sessionSchema.shape),
  proactive: Object.keys(proactiveSchema.shape),
  log: Object.keys(logSchema.shape),
  rooms: Object.keys(roomSchema.shape),
  "rooms.create": Object.keys(roomCreateSchema.shape),
  attachments: Object.keys(attachmentsSchema.shape),
  upload: Object.keys(uploadSchema.shape),
  skills: Object.keys(skillsSchema.shape),
  "skills.web_search": Object.keys(webSearchSchema.shape),
  "skills.url_fetch": Object.keys(urlFetchSchema.shape),
  network: Object.keys(networkSchema.shape),
  schedules: SCHEDULE_KEYS,
  webhooks: Object.keys(webhooksSchema.shape),
  "webhooks.routes": Object.keys(webhookRouteSchema.shape),
  personas: Object.keys(personasTable.shape),
  "personas.restrictions": PERSONA_RESTRICTION_KEYS,
};

/** The `[webhooks]` section as validated; absent when the listener is off. */
export type WebhooksConfig = NonNullable<Config["webhooks"]>;

/** One `[[webhooks.routes]]` table as validated. */
export type WebhookRouteConfig = WebhooksConfig["routes"][number];
