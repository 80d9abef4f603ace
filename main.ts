/**
 * Fluux Agent: an AI agent that lives on XMPP.
 *
 * The command line and the composition root: parses arguments, loads the config, wires
 * the XMPP connection, memory, LLM and agent together, and stops them cleanly.
 *
 * @module
 */
import { Agent, ContactBook, RoomBook } from "./src/agent/mod.ts";
import {
  compileArgs,
  ConfigError,
  formatEffectiveConfig,
  loadConfig,
  type LoadedConfig,
  resolveConfigPath,
  secretScrubber,
} from "./src/config/mod.ts";
import { createLlmClient, UsageMeter } from "./src/llm/mod.ts";
import { createLogger, type Logger } from "./src/log/mod.ts";
import { AttachmentDownloader, AttachmentIntake } from "./src/attachments/mod.ts";
import { conversationDir, denoMemoryFs, MemoryStore } from "./src/memory/mod.ts";
import {
  agentExtraPermissions,
  agentPermissionFlags,
  configuredSkills,
  loadCredentialSources,
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

The config file is --config <path>, else $FLUUX_CONFIG, else config/agent.toml.
Exit codes: 0 clean stop, 1 runtime failure (e.g. authentication), 2 config or usage error.`;

const COMMANDS = ["run", "start", "check", "permissions", "compile", "help", "version"];

/** Runs the command line and returns the exit code. */
async function main(args: string[]): Promise<number> {
  const first = args[0];
  const command = first === undefined || first.startsWith("-") ? "run" : first;
  const rest = command === first ? args.slice(1) : args;
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
  let path: string;
  try {
    path = resolveConfigPath(rest, (name) => Deno.env.get(name));
  } catch (error) {
    // A usage mistake such as `--config` with no path.
    return fail(2, error instanceof Error ? error.message : String(error));
  }
  let loaded: LoadedConfig;
  try {
    loaded = await loadConfig(path);
  } catch (error) {
    if (error instanceof ConfigError) return fail(2, error.message);
    throw error;
  }
  switch (command) {
    case "check":
      console.log(formatEffectiveConfig(loaded));
      return 0;
    case "permissions":
      console.log((await agentPermissionFlags(loaded, skillOptions())).join(" "));
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
      }),
      (jid) => `${conversationDir(loaded.dataDir, jid)}/files`,
    )
    : undefined;
  const agent = new Agent({
    ...(attachments === undefined ? {} : { attachments }),
    commands: skills.commands,
    ...(skills.tools === undefined ? {} : { tools: skills.tools }),
    maxToolRounds: config.agent.max_tool_rounds,
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
    },
    rooms: config.rooms.map((room) => ({
      jid: room.jid,
      nick: room.nick,
      activation: room.activation,
      historyOnJoin: room.history_on_join,
      downloadAttachments: room.download_attachments,
      ...(room.password === undefined ? {} : { password: room.password }),
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

  const stop = () => {
    log.info("Stopping");
    void connection.stop();
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(signal, stop);
  log.info(
    `Fluux Agent ${VERSION} starting: ${config.server.jid} via ${config.server.host}:` +
      `${config.server.port}, LLM ${config.llm.provider}/${config.llm.model}`,
  );
  try {
    await connection.run();
  } catch (error) {
    if (error instanceof XmppFatalError) return fail(1, error.message);
    throw error;
  } finally {
    for (const signal of ["SIGINT", "SIGTERM"] as const) Deno.removeSignalListener(signal, stop);
  }
  await Promise.race([agent.idle(), new Promise((resolve) => setTimeout(resolve, 3000))]);
  await memory.close();
  log.info("Stopped");
  return 0;
}

function skillOptions() {
  const home = Deno.env.get("HOME");
  return { denoPath: Deno.execPath(), ...(home === undefined ? {} : { home }) };
}

/** The skill registry and runner, with the tools adapter the agent's turns use. */
async function setUpSkills(loaded: LoadedConfig, log: Logger, scrub: string[]) {
  const { config, dataDir } = loaded;
  const { sources, problems } = await configuredSkills(config.skills);
  for (const problem of problems) log.warn(problem);
  const home = Deno.env.get("HOME");
  const registry = await SkillRegistry.create(sources, {
    state: skillStateFile(`${dataDir}/skills/state.json`),
    credentials: await loadCredentialSources(home === undefined ? {} : { home }),
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
  const entry = new URL(import.meta.url).pathname;
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      ...await agentPermissionFlags(loaded, skillOptions()),
      entry,
      "run",
      "--config",
      loaded.path,
    ],
    stdin: "null",
  }).spawn();
  const forward = (signal: Deno.Signal) => () => child.kill(signal);
  const onInt = forward("SIGINT");
  const onTerm = forward("SIGTERM");
  Deno.addSignalListener("SIGINT", onInt);
  Deno.addSignalListener("SIGTERM", onTerm);
  const status = await child.status;
  Deno.removeSignalListener("SIGINT", onInt);
  Deno.removeSignalListener("SIGTERM", onTerm);
  return status.code;
}

/** Builds (or with --dry-run prints) the `deno compile` command for this config. */
async function compile(loaded: LoadedConfig, args: string[]): Promise<number> {
  const option = (name: string) => {
    const index = args.indexOf(name);
    return index === -1 ? undefined : args[index + 1];
  };
  const target = option("--target");
  const compileCommand = compileArgs(loaded, {
    extra: await agentExtraPermissions(loaded, skillOptions()),
    output: option("--output") ?? "dist/fluux-agent",
    entry: new URL(import.meta.url).pathname,
    ...(target === undefined ? {} : { target }),
  });
  if (args.includes("--dry-run")) {
    console.log(["deno", ...compileCommand].map(shellQuote).join(" "));
    return 0;
  }
  const { code } = await new Deno.Command(Deno.execPath(), { args: compileCommand }).spawn().status;
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
