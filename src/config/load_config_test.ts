import assert from "node:assert/strict";
import { ConfigError } from "./config_error.ts";
import { loadConfig } from "./load_config.ts";
import example from "../../config/agent.example.toml" with { type: "text" };
import { fixtureOptions, loadToml, MINIMAL_TOML, rejection } from "./_testing.ts";

const WITH_VARIABLES = `
# A comment mentioning \${NOT_A_VARIABLE} is never expanded
[server]
host = "localhost"
jid = "bot@localhost"
password = "\${BOT_PASSWORD}"

[llm]
provider = "anthropic"
model = "claude-sonnet-4-5"
api_key = "\${ANTHROPIC_API_KEY}"
`;

Deno.test("loadConfig() fills in every default", async () => {
  const loaded = await loadToml(MINIMAL_TOML);
  assert.deepEqual(loaded.config, {
    server: {
      mode: "client",
      host: "localhost",
      port: 5222,
      jid: "bot@localhost",
      password: "s3cret-pass",
      resource: "fluux-agent",
      tls_verify: true,
      allow_plaintext: false,
      max_stanza_bytes: 65_536,
    },
    llm: {
      provider: "ollama",
      model: "llama3",
      host: "http://localhost:11434",
      default: "ollama:llama3",
      fallback: [],
      fallback_cooldown_secs: 60,
      tiers: {},
      providers: { ollama: { host: "http://localhost:11434" } },
      max_tokens_per_request: 4096,
      dm_history_token_budget: 50_000,
      muc_history_token_budget: 80_000,
      context_windows: {},
      prompt_cache: true,
      timeout_secs: 120,
      max_retries: 2,
      agents: {},
    },
    agent: {
      name: "Fluux Agent",
      allowed_jids: [],
      allowed_domains: ["localhost"],
      dev_command_jids: [],
      respond_to_reactions: false,
      admin_jids: [],
      max_tool_rounds: 10,
      max_message_chars: 16_000,
      max_answer_chars: 8_000,
      max_schedules: 20,
      missed_run_grace_mins: 60,
      allow_subagents: false,
      max_concurrent_subagents: 3,
      subagent_timeout: 120,
      stream_replies: "paragraphs",
    },
    memory: {
      path: "./data/memory",
      fsync: false,
      compaction: true,
      memory_flush: true,
      notes_token_budget: 4000,
      search: {
        enabled: false,
        provider: "none",
        model: "nomic-embed-text",
        host: "",
        sources: ["memory", "sessions", "shared"],
        recency_weight: 0.1,
        recency_half_life_days: 30,
        hybrid: { vector_weight: 0.7, keyword_weight: 0.3 },
      },
      shared: { contributors: [] },
    },
    keepalive: { enabled: true, ping_interval_secs: 60, ping_timeout_secs: 10 },
    session: { idle_timeout_mins: 0, carry_over: false },
    proactive: { greet_on_login: false, deliver_when_online: true },
    log: { level: "info" },
    rooms: [],
    attachments: {
      enabled: true,
      hosts: [
        "localhost",
        "upload.localhost",
        "share.localhost",
        "xmpp.localhost",
        "files.localhost",
      ]
        .flatMap((host) => [443, 5281, 5443, 7443].map((port) => `${host}:${port}`)),
      allow_private_hosts: false,
      max_size_mb: 25,
      max_concurrent: 3,
      max_per_host: 2,
      max_per_conversation: 2,
      timeout_secs: 60,
    },
    upload: {
      enabled: true,
      hosts: [
        "localhost",
        "upload.localhost",
        "share.localhost",
        "xmpp.localhost",
        "files.localhost",
      ]
        .flatMap((host) => [443, 5281, 5443, 7443].map((port) => `${host}:${port}`)),
    },
    network: { nameservers: [] },
    skills: { allowed_paths: [], trusted: [], max_concurrent: 4, memory_limit_mb: 256 },
    schedules: [],
    personas: { allow_user_personas: false, max_user_personas: 5, restrictions: [] },
    quota: { daily_tokens: 0, monthly_tokens: 0, cost: {} },
  });
  assert.equal(loaded.path, "/srv/agent/config/agent.toml");
  assert.equal(loaded.dataDir, "/srv/agent/data/memory");
  assert.deepEqual(loaded.envFiles, ["/srv/agent/.env", "/home/bot/.fluux-agent/.env"]);
  assert.deepEqual(loaded.secrets, ["s3cret-pass"]);
});

Deno.test("loadConfig() defaults allowed_domains to the domain of server.jid", async () => {
  const loaded = await loadToml(MINIMAL_TOML.replace("bot@localhost", "Bot@Example.ORG"));
  assert.equal(loaded.config.server.jid, "bot@example.org");
  assert.deepEqual(loaded.config.agent.allowed_domains, ["example.org"]);
});

Deno.test("loadConfig() keeps an explicit allowed_domains, even an empty one", async () => {
  const any = await loadToml(`${MINIMAL_TOML}\n[agent]\nallowed_domains = ["*"]\n`);
  assert.deepEqual(any.config.agent.allowed_domains, ["*"]);
  const none = await loadToml(`${MINIMAL_TOML}\n[agent]\nallowed_domains = []\n`);
  assert.deepEqual(none.config.agent.allowed_domains, []);
});

Deno.test("loadConfig() lower-cases allowed JIDs and accepts *", async () => {
  const loaded = await loadToml(
    `${MINIMAL_TOML}\n[agent]\nallowed_jids = ["Admin@LocalHost", "*"]\n`,
  );
  assert.deepEqual(loaded.config.agent.allowed_jids, ["admin@localhost", "*"]);
});

Deno.test("loadConfig() normalises JIDs as the XMPP layer and the data directory do", async () => {
  const loaded = await loadToml(
    `${MINIMAL_TOML}\n[agent]\nallowed_jids = ["Bob@Example.ORG.", "jose\u0301@x.org"]\n`,
  );
  assert.deepEqual(loaded.config.agent.allowed_jids, ["bob@example.org", "jos\u00e9@x.org"]);
  // A zero-width space would pass a looser check here and then have no folder.
  const error = await rejection(
    loadToml(`${MINIMAL_TOML}\n[agent]\nallowed_jids = ["a\u200bb@x.org"]\n`),
  );
  assert.match(error.message, /agent\.allowed_jids/);
});

Deno.test('loadConfig() reads a lone "*" as ["*"] in allowed_jids and allowed_domains', async () => {
  const loaded = await loadToml(
    `${MINIMAL_TOML}\n[agent]\nallowed_jids = "*"\nallowed_domains = "*"\n`,
  );
  assert.deepEqual(loaded.config.agent.allowed_jids, ["*"]);
  assert.deepEqual(loaded.config.agent.allowed_domains, ["*"]);
  await assert.rejects(
    loadToml(`${MINIMAL_TOML}\n[agent]\nallowed_jids = "alice@example.com"\n`),
    /agent\.allowed_jids: expected an array of bare JIDs, or "\*"/,
  );
});

Deno.test("loadConfig() defaults the LLM host by provider", async () => {
  const loaded = await loadToml(WITH_VARIABLES, {
    env: { BOT_PASSWORD: "pw-1234", ANTHROPIC_API_KEY: "sk-ant-1" },
  });
  assert.equal(loaded.config.llm.host, "https://api.anthropic.com");
});

Deno.test("loadConfig() takes variables from the environment first, then ./.env, then ~/.fluux-agent/.env", async () => {
  const files = {
    "/srv/agent/.env": "BOT_PASSWORD=from-cwd-env\nANTHROPIC_API_KEY=key-from-cwd\n",
    "/home/bot/.fluux-agent/.env": "BOT_PASSWORD=from-home\nANTHROPIC_API_KEY=key-from-home\n",
  };
  const fromEnv = await loadToml(WITH_VARIABLES, { files, env: { BOT_PASSWORD: "from-process" } });
  assert.equal(fromEnv.config.server.password, "from-process");
  assert.equal(fromEnv.config.llm.api_key, "key-from-cwd");

  const fromHome = await loadToml(WITH_VARIABLES, {
    files: { "/home/bot/.fluux-agent/.env": files["/home/bot/.fluux-agent/.env"] },
  });
  assert.equal(fromHome.config.server.password, "from-home");
  assert.deepEqual(fromHome.variables, ["ANTHROPIC_API_KEY", "BOT_PASSWORD"]);
  assert.deepEqual(fromHome.secrets.sort(), ["from-home", "key-from-home"]);
});

Deno.test("loadConfig() names the key and the variable that is not set", async () => {
  const error = await rejection(loadToml(WITH_VARIABLES, { env: { ANTHROPIC_API_KEY: "k" } }));
  assert.ok(error instanceof ConfigError);
  assert.equal(
    error.message,
    'Invalid config "config/agent.toml": server.password: environment variable "BOT_PASSWORD" ' +
      "is not set (set it in the environment or in .env)",
  );
});

Deno.test("loadConfig() names the key of a bad value, what was expected and what was found", async () => {
  const error = await rejection(
    loadToml(MINIMAL_TOML.replace("[server]", '[server]\nport = "abc"')),
  );
  assert.ok(error instanceof ConfigError);
  assert.equal(error.name, "ConfigError");
  assert.equal(error.path, "/srv/agent/config/agent.toml");
  assert.equal(
    error.message,
    'Invalid config "config/agent.toml": server.port: expected an integer from 1 to 65535, found "abc"',
  );
});

Deno.test("loadConfig() lists every problem, one per line", async () => {
  const toml = `
[server]
host = "localhost:5222"
port = 0
jid = "bot"
password = "pw"
tls_verify = "no"

[llm]
provider = "gemini"
model = "m"

[agent]
allowed_jids = ["alice@example.com/phone"]
`;
  const error = await rejection(loadToml(toml));
  assert.ok(error instanceof ConfigError);
  assert.deepEqual(error.issues.map((issue) => issue.key), [
    "server.host",
    "server.port",
    "server.jid",
    "server.tls_verify",
    "llm.provider",
    "agent.allowed_jids[0]",
  ]);
  assert.equal(
    error.message,
    [
      'Invalid config "config/agent.toml" (6 problems):',
      '  server.host: expected a host name or IP address without scheme or port, like "example.com", found "localhost:5222"',
      "  server.port: expected an integer from 1 to 65535, found 0",
      '  server.jid: expected a bare JID like "bot@example.com", found "bot"',
      '  server.tls_verify: expected true or false, found "no"',
      '  llm.provider: expected one of "anthropic", "ollama", "openai", found "gemini"',
      '  agent.allowed_jids[0]: expected a bare JID like "alice@example.com", or "*", found "alice@example.com/phone"',
    ].join("\n"),
  );
});

Deno.test("loadConfig() suggests the key meant by a misspelt one", async () => {
  const toml = MINIMAL_TOML.replace("password", "pasword") +
    "\n[keepalive]\nping_intervall_secs = 5\n[logs]\n";
  const error = await rejection(loadToml(toml));
  assert.ok(error instanceof ConfigError);
  const byKey = (a: { key: string }, b: { key: string }) => a.key.localeCompare(b.key);
  assert.deepEqual([...error.issues].sort(byKey), [
    {
      key: "keepalive.ping_intervall_secs",
      message: 'unknown key; did you mean "ping_interval_secs"?',
    },
    { key: "logs", message: 'unknown key; did you mean "log"?' },
    { key: "server.password", message: "missing, expected a non-empty string" },
    { key: "server.pasword", message: 'unknown key; did you mean "password"?' },
  ]);
});

Deno.test("loadConfig() lists the allowed keys when no key is close", async () => {
  const error = await rejection(loadToml(`${MINIMAL_TOML}\n[memory]\ndirectory = "x"\n`));
  assert.equal(
    error.message,
    'Invalid config "config/agent.toml": memory.directory: unknown key; allowed keys: path, ' +
      "fsync, compaction, memory_flush, notes_token_budget, search, shared",
  );
});

Deno.test("loadConfig() names the key of a wrong token budget", async () => {
  const error = await rejection(
    loadToml(
      MINIMAL_TOML.replace("[llm]", "[llm]\ndm_history_token_budget = 10") +
        '\n[[rooms]]\njid = "dev@conference.localhost"\nhistory_token_budget = "big"\n',
    ),
  );
  assert.ok(error instanceof ConfigError);
  assert.deepEqual(error.issues.map((issue) => issue.key).sort(), [
    "llm.dm_history_token_budget",
    "rooms[0].history_token_budget",
  ]);
});

Deno.test("loadConfig() requires the component keys in component mode", async () => {
  const error = await rejection(
    loadToml(MINIMAL_TOML.replace("[server]", '[server]\nmode = "component"')),
  );
  assert.ok(error instanceof ConfigError);
  assert.deepEqual(error.issues.map((issue) => issue.key).sort(), [
    "server.component_domain",
    "server.component_secret",
  ]);
});

Deno.test("loadConfig() fills component defaults: port 5347, own and parent domain allowed", async () => {
  const toml = `[server]
mode = "component"
host = "localhost"
component_domain = "Agent.Localhost"
component_secret = "s3cret-component"
[llm]
provider = "ollama"
model = "llama3"
`;
  const { config } = await loadToml(toml);
  assert.equal(config.server.port, 5347);
  assert.equal(config.server.jid, "agent.localhost");
  assert.deepEqual(config.agent.allowed_domains, ["agent.localhost", "localhost"]);
  assert.deepEqual(config.attachments.hosts.slice(0, 2), ["localhost:443", "localhost:5281"]);
});

Deno.test("loadConfig() reads stream_replies for chats and rooms, and rejects another value", async () => {
  const { config } = await loadToml(
    `${MINIMAL_TOML}\n[agent]\nstream_replies = "corrections"\n` +
      `[[rooms]]\njid = "dev@conference.localhost"\nstream_replies = "paragraphs"\n`,
  );
  assert.equal(config.agent.stream_replies, "corrections");
  assert.equal(config.rooms[0]?.stream_replies, "paragraphs");
  const error = await rejection(
    loadToml(`${MINIMAL_TOML}\n[agent]\nstream_replies = "words"\n`),
  );
  assert.match(String(error), /stream_replies/);
  assert.match(String(error), /expected one of "paragraphs", "corrections", "off"/);
});

Deno.test("loadConfig() reads [[rooms]] with defaults and rejects a bad activation", async () => {
  const { config } = await loadToml(
    `${MINIMAL_TOML}\n[[rooms]]\njid = "Dev@Conference.Localhost"\n`,
  );
  assert.deepEqual(config.rooms, [{
    jid: "dev@conference.localhost",
    nick: "fluux-agent",
    activation: "mention",
    history_on_join: 0,
    download_attachments: false,
    answer_missed: false,
    tools: "allowed",
    stream_replies: "off",
  }]);
  const error = await rejection(
    loadToml(
      `${MINIMAL_TOML}\n[[rooms]]\njid = "dev@conference.localhost"\nactivation = "always"\n`,
    ),
  );
  assert.equal(
    error.message,
    'Invalid config "config/agent.toml": rooms[0].activation: expected one of "mention", "all", found "always"',
  );
});

Deno.test("loadConfig() reads [rooms.create] and names a misspelt key in it", async () => {
  const room = `${MINIMAL_TOML}\n[[rooms]]\njid = "dev@conference.localhost"\ntools = "everyone"\n`;
  const { config } = await loadToml(
    `${room}[rooms.create]\nname = "Dev"\npersistent = true\nwhois = "anyone"\n`,
  );
  assert.equal(config.rooms[0]?.tools, "everyone");
  assert.deepEqual(config.rooms[0]?.create, { name: "Dev", persistent: true, whois: "anyone" });
  const error = await rejection(loadToml(`${room}[rooms.create]\npersistant = true\n`));
  assert.equal(
    error.message,
    'Invalid config "config/agent.toml": rooms[0].create.persistant: unknown key; ' +
      'did you mean "persistent"?',
  );
  const whois = await rejection(loadToml(`${room}[rooms.create]\nwhois = "nobody"\n`));
  assert.match(whois.message, /rooms\[0\]\.create\.whois: expected one of "moderators", "anyone"/);
});

Deno.test("loadConfig() requires [server] and [llm]", async () => {
  const error = await rejection(loadToml('[log]\nlevel = "debug"\n'));
  assert.ok(error instanceof ConfigError);
  assert.deepEqual(error.issues, [
    { key: "server", message: "missing section [server]" },
    { key: "llm", message: "missing section [llm]" },
  ]);
});

Deno.test("loadConfig() requires an API key for anthropic, alongside other llm problems", async () => {
  const toml = MINIMAL_TOML.replace(
    'provider = "ollama"',
    'provider = "anthropic"\nmax_retries = -1',
  );
  const error = await rejection(loadToml(toml));
  assert.ok(error instanceof ConfigError);
  assert.deepEqual(error.issues.map((issue) => issue.key).sort(), [
    "llm.api_key",
    "llm.max_retries",
  ]);
  assert.match(error.message, /llm\.api_key: missing: required when provider is "anthropic"/);
});

Deno.test("loadConfig() never quotes a secret key's value in an error", async () => {
  const error = await rejection(loadToml(MINIMAL_TOML.replace('"s3cret-pass"', "12345678")));
  assert.equal(
    error.message,
    'Invalid config "config/agent.toml": server.password: expected a non-empty string, found a number',
  );
});

Deno.test("loadConfig() does not expand variables in comments", async () => {
  const loaded = await loadToml(WITH_VARIABLES, {
    env: { BOT_PASSWORD: "pw", ANTHROPIC_API_KEY: "k" },
  });
  assert.deepEqual(loaded.variables, ["ANTHROPIC_API_KEY", "BOT_PASSWORD"]);
});

Deno.test("loadConfig() resolves memory.path against the working directory", async () => {
  const relative = await loadToml(`${MINIMAL_TOML}\n[memory]\npath = "../state"\n`);
  assert.equal(relative.dataDir, "/srv/state");
  const absolute = await loadToml(`${MINIMAL_TOML}\n[memory]\npath = "/var/lib/agent"\n`);
  assert.equal(absolute.dataDir, "/var/lib/agent");
});

Deno.test("loadConfig() says where it looked and how to make a config when the file is missing", async () => {
  const error = await rejection(loadConfig("config/agent.toml", fixtureOptions({})));
  assert.ok(error instanceof ConfigError);
  assert.equal(error.path, "/srv/agent/config/agent.toml");
  assert.equal(
    error.message,
    'Config file not found: "/srv/agent/config/agent.toml". Copy config/agent.example.toml to ' +
      "config/agent.toml and edit it, or pass --config <path> (or set FLUUX_CONFIG)",
  );
});

Deno.test("loadConfig() gives the line and column of a TOML syntax error", async () => {
  const error = await rejection(loadToml('[server]\nhost = "localhost"\nport = \n'));
  assert.ok(error instanceof ConfigError);
  assert.match(
    error.message,
    /^Invalid config "config\/agent\.toml": TOML syntax error at line 3, column \d+: /,
  );
});

Deno.test("loadConfig() accepts config/agent.example.toml as shipped", async () => {
  const loaded = await loadToml(example, {
    env: { BOT_PASSWORD: "pw-example", ANTHROPIC_API_KEY: "sk-example" },
  });
  assert.equal(loaded.config.server.password, "pw-example");
  assert.deepEqual(loaded.config.agent.allowed_jids, ["admin@localhost"]);
  assert.deepEqual(loaded.variables, ["ANTHROPIC_API_KEY", "BOT_PASSWORD"]);
});

Deno.test("loadConfig() reads the skills sections and names a misspelt key in them", async () => {
  const { config, secrets } = await loadToml(
    `${MINIMAL_TOML}\n[skills.web_search]\nprovider = "tavily"\napi_key = "tvly-secret-123"\n` +
      `[skills.url_fetch]\nenabled = true\n`,
  );
  assert.equal(config.skills.web_search?.max_results, 5);
  assert.equal(config.skills.url_fetch?.enabled, true);
  assert.ok(secrets.includes("tvly-secret-123"));
  const error = await rejection(
    loadToml(`${MINIMAL_TOML}\n[skills.web_search]\nprovider = "tavily"\nmax_result = 3\n`),
  );
  assert.equal(
    error.message,
    'Invalid config "config/agent.toml": skills.web_search.max_result: unknown key; ' +
      'did you mean "max_results"?',
  );
});

Deno.test("loadConfig() reads [memory.search] with the provider's default host", async () => {
  const loaded = await loadToml(
    `${MINIMAL_TOML}\n[memory.search]\nenabled = true\nprovider = "openai"\n` +
      `model = "text-embedding-3-small"\napi_key = "\${OPENAI_API_KEY}"\nsources = ["memory", "memory"]\n` +
      `[memory.search.hybrid]\nvector_weight = 0.5\nkeyword_weight = 0.5\n` +
      `[memory.shared]\ncontributors = ["Admin@Localhost"]\n`,
    { env: { OPENAI_API_KEY: "sk-embed-secret" } },
  );
  const { search, shared } = loaded.config.memory;
  assert.equal(search.host, "https://api.openai.com");
  assert.deepEqual(search.sources, ["memory"]);
  assert.deepEqual(search.hybrid, { vector_weight: 0.5, keyword_weight: 0.5 });
  assert.deepEqual(shared.contributors, ["admin@localhost"]);
  assert.ok(loaded.secrets.includes("sk-embed-secret"), "the embedder's key is a secret");
  const ollama = await loadToml(`${MINIMAL_TOML}\n[memory.search]\nprovider = "ollama"\n`);
  assert.equal(ollama.config.memory.search.host, "http://localhost:11434");
});

Deno.test("loadConfig() reports every [memory.search] and [memory.shared] problem", async () => {
  const error = await rejection(loadToml(
    `${MINIMAL_TOML}\n[memory]\npath = "./data/memory"\n[memory.search]\nprovider = "bert"\n` +
      `sources = ["mail"]\nrecency_weight = 2\nhost = "localhost:11434"\nmodle = "x"\n` +
      `[memory.shared]\npath = "./data"\ncontributors = ["not a jid"]\n`,
  ));
  for (
    const part of [
      'memory.search.provider: expected one of "none", "ollama", "openai"',
      'memory.search.sources[0]: expected one of "memory", "sessions", "shared"',
      "memory.search.recency_weight: expected a number from 0 to 1",
      "memory.search.host: expected an http:// or https:// URL",
      'memory.search.modle: unknown key; did you mean "model"?',
      "memory.shared.contributors[0]: expected a bare JID",
    ]
  ) assert.ok(error.message.includes(part), `${part}\nin: ${error.message}`);
  const weights = await rejection(loadToml(
    `${MINIMAL_TOML}\n[memory.search.hybrid]\nvector_weight = 0\nkeyword_weight = 0\n`,
  ));
  assert.match(
    weights.message,
    /memory\.search\.hybrid: expected vector_weight or keyword_weight above 0/,
  );
});

Deno.test("loadConfig() refuses a shared folder that holds the data directory or sits in it", async () => {
  for (const path of ["./data", "./data/memory/alice@localhost", "."]) {
    const error = await rejection(
      loadToml(`${MINIMAL_TOML}\n[memory.shared]\npath = "${path}"\n`),
    );
    assert.match(
      error.message,
      /memory\.shared\.path: expected a folder outside the data directory/,
    );
  }
  const fine = await loadToml(`${MINIMAL_TOML}\n[memory.shared]\npath = "./data/memory/shared"\n`);
  assert.equal(fine.config.memory.shared.path, "./data/memory/shared");
});
