/**
 * Fluux Agent: an AI agent that lives on XMPP.
 *
 * The command line and the composition root: parses arguments, loads the config, wires
 * the XMPP connection, memory, LLM and agent together, and stops them cleanly.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Agent, ContactBook, RoomBook } from "./src/agent/mod.ts";
import { compileCommand, NOT_HELD, permissionReport, splitCommand } from "./src/cli/mod.ts";
import {
  type Config,
  ConfigError,
  formatEffectiveConfig,
  loadConfig,
  type LoadedConfig,
  resolveConfigPath,
  secretScrubber,
  serverDomain,
} from "./src/config/mod.ts";
import { checkAtStart, createLlmClient, UsageMeter } from "./src/llm/mod.ts";
import { createLogger, type Logger } from "./src/log/mod.ts";
import { AttachmentDownloader, AttachmentIntake } from "./src/attachments/mod.ts";
import { createResolver } from "./src/net/mod.ts";
import { conversationDir, denoMemoryFs, MemoryStore } from "./src/memory/mod.ts";
import {
  agentPermissionFlags,
  configuredSkills,
  loadCredentialSources,
  serveStandaloneChild,
  skillCommands,
  SkillRegistry,
  SkillRunner,
  skillStateFile,
  type ToolCall,
} from "./src/skills/mod.ts";
import { VERSION } from "./src/version.ts";
import {
  ClientConnection,
  ComponentConnection,
  type NewRoomConfig,
  parseJid,
  validateRawStanza,
  XmppFatalError,
} from "./src/xmpp/mod.ts";

const USAGE = `Fluux Agent ${VERSION}: an AI agent that lives on XMPP

Usage: fluux-agent [command] [--config <path>]

Commands:
  run           Run the agent (the default). Give it the permissions \`permissions\` prints.
  start         Work out the permissions the config needs and run the agent under exactly them.
  check         Validate the config and print the effective settings, secrets hidden.
  permissions   Print the Deno permission flags the config needs.
  compile       Build one executable with those permissions baked in.
                Options: --output <file> (default dist/fluux-agent), --target <triple>,
                --dry-run (print the deno compile command instead of running it).
  help          Show this text.     version    Show the version.

--no-secrets (check, permissions, compile): secrets may be unset; check shows them "(unset)".
The config file is --config <path>, else $FLUUX_CONFIG, else config/agent.toml. Relative
paths (the config, ./.env, memory.path, skills.dir) resolve against the working directory.
Exit codes: 0 clean stop, 1 runtime failure (e.g. authentication), 2 config or usage error.`;

const COMMANDS = ["run", "start", "check", "permissions", "compile", "help", "version"];

/** The signals that stop the agent (Windows has no SIGTERM to listen to: Deno throws there). */
const STOP_SIGNALS: readonly Deno.Signal[] = Deno.build.os === "windows"
  ? ["SIGINT", "SIGBREAK"]
  : ["SIGINT", "SIGTERM"];

/** Commands that may run with secrets unset: they need the variables' names only. */
const NO_SECRETS_COMMANDS = ["check", "permissions", "compile"];

/** Runs the command line and returns the exit code. */
async function main(args: string[]): Promise<number> {
  const line = splitCommand(args);
  // The child of a process-isolated skill in a compiled executable (hidden: the agent
  // starts it; see src/skills/standalone_child.ts).
  if (line.command === "skill-child") return await serveStandaloneChild(line.after);
  const command = line.command ?? "run";
  const rest = line.rest;
  if (command === "help" || rest.includes("--help") || rest.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  if (command === "version" || rest.includes("--version")) {
    console.log(VERSION);
    return 0;
  }
  if (!COMMANDS.includes(command)) {
    return fail(2, `Unknown command "${command}". Run "fluux-agent help" for the commands`);
  }
  const noSecrets = rest.includes("--no-secrets");
  if (noSecrets && !NO_SECRETS_COMMANDS.includes(command)) {
    return fail(2, `"--no-secrets" is for check, permissions and compile: "${command}" needs them`);
  }
  if (Deno.build.standalone && (command === "start" || command === "compile")) {
    return fail(
      2,
      `"${command}" needs the Deno CLI (run it from a checkout, e.g. "deno task ${command}"); ` +
        'this executable runs the agent itself: "fluux-agent" or "fluux-agent run"',
    );
  }
  let path: string;
  try {
    path = resolveConfigPath(rest, (name) => Deno.env.get(name));
  } catch (error) {
    // A usage mistake such as `--config` with no path.
    return fail(2, error instanceof Error ? error.message : String(error));
  }
  let loaded: LoadedConfig;
  try {
    loaded = await loadConfig(path, { allowUnsetSecrets: noSecrets });
  } catch (error) {
    if (error instanceof ConfigError) return fail(2, error.message);
    throw error;
  }
  switch (command) {
    case "check":
      console.log(formatEffectiveConfig(loaded));
      return Deno.build.standalone ? await checkHeld(loaded) : 0;
    case "permissions":
      console.log((await agentPermissionFlags(loaded, skillOptions(loaded))).join(" "));
      return 0;
    case "compile":
      return await compile(loaded, rest);
    case "start":
      return await start(loaded);
    default:
      return await runAgent(loaded);
  }
}

/** Runs the agent in this process until SIGINT/SIGTERM. */
async function runAgent(loaded: LoadedConfig): Promise<number> {
  const { config } = loaded;
  const secrets = [...loaded.secrets];
  let scrub = secretScrubber(secrets);
  const log = createLogger("fluux-agent", {
    level: config.log.level,
    scrub: (text) => scrub(text),
  });
  const held = await permissionReport(loaded, heldOptions(loaded));
  if (held.essential.length > 0) {
    return fail(2, [NOT_HELD, ...held.essential, ...held.other].join("\n  "));
  }
  for (const flag of held.other) log.warn(`Not permitted: ${flag}; what needs it will be refused`);
  const skills = await setUpSkills(loaded, log.child("skills"), secrets);
  scrub = secretScrubber(secrets);
  const usage = new UsageMeter();
  const llm = createLlmClient(config.llm, { usage });
  const memory = new MemoryStore(loaded.dataDir, {
    fs: denoMemoryFs(),
    durability: config.memory.fsync ? "datasync" : "none",
    // Room for the history a turn reads plus the tool entries between its messages.
    cacheEntries: Math.max(200, config.llm.max_history_messages * 4),
  });
  const connection = connect(loaded, log);
  const startedAt = new Date();
  const attachments = config.attachments.enabled
    ? new AttachmentIntake(
      new AttachmentDownloader({
        allowedHosts: config.attachments.hosts,
        allowPrivateHosts: config.attachments.allow_private_hosts,
        maxBytes: config.attachments.max_size_mb * 1024 * 1024,
        maxConcurrent: config.attachments.max_concurrent,
        maxPerHost: config.attachments.max_per_host,
        maxPerConversation: config.attachments.max_per_conversation,
        totalTimeoutMs: config.attachments.timeout_secs * 1000,
        resolve: createResolver(config.network.nameservers),
      }),
      (jid) => `${conversationDir(loaded.dataDir, jid)}/files`,
    )
    : undefined;
  const agent = new Agent({
    ...(attachments === undefined ? {} : { attachments }),
    commands: skills.commands,
    ...(skills.tools === undefined ? {} : { tools: skills.tools }),
    maxToolRounds: config.agent.max_tool_rounds,
    maxMessageChars: config.agent.max_message_chars,
    name: config.agent.name,
    memory,
    llm,
    xmpp: {
      send: (action) => connection.send(action),
      roster: () =>
        connection instanceof ClientConnection ? connection.roster() : Promise.resolve([]),
      validateRaw: (xml) => {
        try {
          validateRawStanza(xml);
          return undefined;
        } catch (error) {
          return error instanceof Error ? error.message : String(error);
        }
      },
    },
    mode: config.server.mode,
    rules: {
      allowedJids: config.agent.allowed_jids,
      allowedDomains: config.agent.allowed_domains,
      ownDomain: parseJid(config.server.jid).domain,
      serverDomain: serverDomain(config.server),
    },
    rooms: config.rooms.map((room) => ({
      jid: room.jid,
      nick: room.nick,
      activation: room.activation,
      historyOnJoin: room.history_on_join,
      downloadAttachments: room.download_attachments,
      tools: room.tools,
      ...(room.password === undefined ? {} : { password: room.password }),
      ...(room.create === undefined ? {} : { create: newRoomConfig(room.create) }),
    })),
    roomBook: new RoomBook(jsonFile(`${loaded.dataDir}/rooms.json`)),
    ...(config.server.mode === "component"
      ? { contactBook: new ContactBook(jsonFile(`${loaded.dataDir}/contacts.json`)) }
      : {}),
    devJids: config.agent.dev_command_jids,
    respondToReactions: config.agent.respond_to_reactions,
    log: log.child("agent"),
    now: () => new Date(),
    maxHistoryMessages: config.llm.max_history_messages,
    maxTokens: config.llm.max_tokens_per_request,
    idleTimeoutMs: config.session.idle_timeout_mins * 60_000,
    status: () => ({
      startedAt,
      mode: config.server.mode,
      provider: config.llm.provider,
      model: config.llm.model,
      usage: usage.totals(),
    }),
  });
  connection.onEvent((event) => agent.handle(event));

  let stopping = false;
  const stop = () => {
    // One Ctrl-C reaches the launcher and this process both, and the launcher forwards it.
    if (stopping) return;
    stopping = true;
    log.info("Stopping");
    void connection.stop();
  };
  for (const signal of STOP_SIGNALS) Deno.addSignalListener(signal, stop);
  log.info(
    `Fluux Agent ${VERSION} starting: ${config.server.jid} via ${config.server.host}:` +
      `${config.server.port}, LLM ${config.llm.provider}/${config.llm.model}`,
  );
  try {
    // Before going online: a wrong key or an unknown model would fail every answer.
    const refused = await checkAtStart(llm, log.child("llm"));
    if (refused !== undefined) return fail(1, refused);
    if (!stopping) await connection.run();
  } catch (error) {
    if (error instanceof XmppFatalError) return fail(1, error.message);
    throw error;
  } finally {
    for (const signal of STOP_SIGNALS) Deno.removeSignalListener(signal, stop);
  }
  await Promise.race([agent.idle(), new Promise((resolve) => setTimeout(resolve, 3000))]);
  await memory.close();
  log.info("Stopped");
  return 0;
}

/**
 * How skills run here: the executable for process-isolated ones, and the home directory
 * (credential files) only when the config loader could read `~/.fluux-agent/.env` (a
 * compiled executable never can: its permissions cannot name that machine's home).
 */
function skillOptions(loaded: LoadedConfig) {
  const home = Deno.env.get("HOME");
  const readable = home !== undefined &&
    loaded.envFiles.includes(join(home, ".fluux-agent", ".env"));
  return { denoPath: Deno.execPath(), ...(readable ? { home } : {}) };
}

/**
 * What to check the held permissions against: in a compiled executable, the set `compile`
 * bakes (its process-isolated skills' children are itself and need what worker skills need).
 */
function heldOptions(loaded: LoadedConfig) {
  return Deno.build.standalone
    ? { ...skillOptions(loaded), portable: true, selfCommands: [Deno.execPath()] }
    : skillOptions(loaded);
}

/** In a compiled executable, `check` also says what the config needs that it does not hold. */
async function checkHeld(loaded: LoadedConfig): Promise<number> {
  const held = await permissionReport(loaded, heldOptions(loaded));
  const missing = [...held.essential, ...held.other];
  return missing.length === 0 ? 0 : fail(2, [NOT_HELD, ...missing].join("\n  "));
}

/** The skill registry and runner, with the tools adapter the agent's turns use. */
async function setUpSkills(loaded: LoadedConfig, log: Logger, scrub: string[]) {
  const { config, dataDir } = loaded;
  const { sources, problems } = await configuredSkills(config.skills);
  for (const problem of problems) log.warn(problem);
  const { home } = skillOptions(loaded);
  const registry = await SkillRegistry.create(sources, {
    state: skillStateFile(`${dataDir}/skills/state.json`),
    credentials: await loadCredentialSources({
      cwd: loaded.baseDir,
      ...(home === undefined ? {} : { home }),
    }),
    logger: log,
  });
  scrub.push(...registry.secrets());
  const runner = new SkillRunner(registry, {
    dataDir,
    maxConcurrent: config.skills.max_concurrent,
    memoryLimitMb: config.skills.memory_limit_mb,
    allowedAbsolutePaths: config.skills.allowed_paths,
    secrets: loaded.secrets,
    logger: log,
  });
  const admins = new Set(config.agent.admin_jids);
  return {
    commands: skillCommands(registry, { isAdmin: (jid) => admins.has(jid) }),
    tools: sources.length === 0 ? undefined : {
      definitions: () => registry.toolDefinitions(),
      call: (call: ToolCall, context: { conversation: string }) => runner.call(call, context),
    },
  };
}

/** `[rooms.create]` as the XMPP layer takes it (unset keys keep the service's defaults). */
function newRoomConfig(create: NonNullable<Config["rooms"][number]["create"]>): NewRoomConfig {
  return {
    ...(create.name === undefined ? {} : { name: create.name }),
    ...(create.persistent === undefined ? {} : { persistent: create.persistent }),
    ...(create.public === undefined ? {} : { public: create.public }),
    ...(create.members_only === undefined ? {} : { membersOnly: create.members_only }),
    ...(create.whois === undefined ? {} : { whois: create.whois }),
  };
}

/** The XMPP connection the config asks for: a client account or a component. */
function connect(loaded: LoadedConfig, log: Logger): ClientConnection | ComponentConnection {
  const { server, keepalive, agent } = loaded.config;
  const common = {
    host: server.host,
    port: server.port,
    keepalive: {
      intervalMs: keepalive.enabled ? keepalive.ping_interval_secs * 1000 : 0,
      timeoutMs: keepalive.ping_timeout_secs * 1000,
    },
    software: { name: agent.name, version: VERSION },
    logger: log.child("xmpp"),
    maxStanzaBytes: server.max_stanza_bytes,
  };
  if (server.mode === "component") {
    return new ComponentConnection({
      ...common,
      domain: server.jid,
      secret: server.component_secret ?? "",
    });
  }
  return new ClientConnection({
    ...common,
    jid: server.jid,
    password: server.password,
    resource: server.resource,
    allowPlaintext: server.allow_plaintext,
    tlsVerify: server.tls_verify,
  });
}

/** A small JSON file in the data directory (the invited rooms, the component's contacts). */
function jsonFile(path: string) {
  return {
    read: () => Deno.readTextFile(path).catch(() => undefined),
    write: async (text: string) => {
      await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
      await Deno.writeTextFile(`${path}.tmp`, text);
      await Deno.rename(`${path}.tmp`, path);
    },
  };
}

/** Runs `main.ts run` in a child process holding exactly the permissions the config needs. */
async function start(loaded: LoadedConfig): Promise<number> {
  const entry = fileURLToPath(import.meta.url);
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      ...await agentPermissionFlags(loaded, skillOptions(loaded)),
      entry,
      "run",
      "--config",
      loaded.path,
    ],
    stdin: "null",
  }).spawn();
  const forwards = STOP_SIGNALS.map((signal) => [signal, () => child.kill(signal)] as const);
  for (const [signal, forward] of forwards) Deno.addSignalListener(signal, forward);
  const status = await child.status;
  for (const [signal, forward] of forwards) Deno.removeSignalListener(signal, forward);
  return status.code;
}

/** Builds (or with --dry-run prints) the `deno compile` command for this config. */
async function compile(loaded: LoadedConfig, args: string[]): Promise<number> {
  const option = (name: string) => {
    const index = args.indexOf(name);
    return index === -1 ? undefined : args[index + 1];
  };
  const output = option("--output");
  const target = option("--target");
  const { args: compileArgs, warnings } = await compileCommand(loaded, {
    entry: fileURLToPath(import.meta.url),
    ...(output === undefined ? {} : { output }),
    ...(target === undefined ? {} : { target }),
  });
  for (const warning of warnings) console.error(`fluux-agent: warning: ${warning}`);
  if (args.includes("--dry-run")) {
    console.log(["deno", ...compileArgs].map(shellQuote).join(" "));
    return 0;
  }
  const { code } = await new Deno.Command(Deno.execPath(), { args: compileArgs }).spawn().status;
  return code;
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

function fail(code: number, message: string): number {
  console.error(`fluux-agent: ${message}`);
  return code;
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
