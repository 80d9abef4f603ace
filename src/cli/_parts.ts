/**
 * The parts the composition root builds from the config, one function each: the XMPP
 * connection, the skills, the inbox, the small JSON books.
 *
 * @module
 */
import { resolve } from "node:path";
import type { InboxEvent } from "../agent/mod.ts";
import type { Config, LoadedConfig } from "../config/mod.ts";
import { errorMessage, type Logger } from "../log/mod.ts";
import { denoInboxFile, Inbox, type InboxRecord } from "../memory/mod.ts";
import {
  type CallContext,
  configuredSkills,
  JsonlAuditLog,
  loadCredentialSources,
  skillCommands,
  SkillRegistry,
  SkillRunner,
  skillStateFile,
  type ToolCall,
} from "../skills/mod.ts";
import { VERSION } from "../version.ts";
import {
  AgentProfile,
  type Avatar,
  ClientConnection,
  ComponentConnection,
  type NewRoomConfig,
  readAvatar,
} from "../xmpp/mod.ts";
import { skillOptions } from "./_shared.ts";
import { snapshotFile } from "./snapshot_file.ts";

/** The XMPP connection the config asks for: a client account or a component. */
export function connect(
  loaded: LoadedConfig,
  log: Logger,
  avatar?: Avatar,
): ClientConnection | ComponentConnection {
  const { server, keepalive, agent } = loaded.config;
  const profile = new AgentProfile({ name: agent.name, mode: server.mode, avatar });
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
    profile,
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
    catchUp: snapshotFile(`${loaded.dataDir}/catchup.json`),
    ...(loaded.config.upload.hosts.length === 0 ? {} : { uploadHosts: loaded.config.upload.hosts }),
  });
}

/** The skill registry and runner, with the tools adapter the agent's turns use. */
export async function setUpSkills(loaded: LoadedConfig, log: Logger, scrub: string[]) {
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
  // One audit log for skill calls and sub-agent runs, so their lines never interleave.
  const audit = new JsonlAuditLog(`${dataDir}/audit/tools.jsonl`);
  const runner = new SkillRunner(registry, {
    dataDir,
    audit,
    maxConcurrent: config.skills.max_concurrent,
    memoryLimitMb: config.skills.memory_limit_mb,
    allowedAbsolutePaths: config.skills.allowed_paths,
    secrets: loaded.secrets,
    logger: log,
  });
  return {
    audit,
    commands: skillCommands(registry),
    tools: sources.length === 0 ? undefined : {
      definitions: () => registry.toolDefinitions(),
      call: (call: ToolCall, context: CallContext) => runner.call(call, context),
      tierOf: (name: string) => registry.get(name)?.manifest.tier,
    },
  };
}

/** `[rooms.create]` as the XMPP layer takes it (unset keys keep the service's defaults). */
export function newRoomConfig(
  create: NonNullable<Config["rooms"][number]["create"]>,
): NewRoomConfig {
  return {
    ...(create.name === undefined ? {} : { name: create.name }),
    ...(create.persistent === undefined ? {} : { persistent: create.persistent }),
    ...(create.public === undefined ? {} : { public: create.public }),
    ...(create.members_only === undefined ? {} : { membersOnly: create.members_only }),
    ...(create.whois === undefined ? {} : { whois: create.whois }),
  };
}

/**
 * The data directory's inbox, and what the last run left in it. Messages are written there
 * before they wait in a queue (`memory.fsync` flushes each to the device too).
 */
export async function openInbox(
  loaded: LoadedConfig,
): Promise<{ inbox: Inbox<InboxEvent>; left: InboxRecord<InboxEvent>[] }> {
  await Deno.mkdir(loaded.dataDir, { recursive: true });
  const file = denoInboxFile(`${loaded.dataDir}/inbox.jsonl`, {
    fsync: loaded.config.memory.fsync,
  });
  const inbox = new Inbox<InboxEvent>(file);
  return { inbox, left: await inbox.open() };
}

/** A small JSON file in the data directory (the invited rooms, the component's contacts). */
export function jsonFile(path: string) {
  return {
    read: () => Deno.readTextFile(path).catch(() => undefined),
    write: async (text: string) => {
      // The folder is made only when it is missing, not checked at every write.
      await Deno.writeTextFile(`${path}.tmp`, text).catch(async (error: unknown) => {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
        await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
        await Deno.writeTextFile(`${path}.tmp`, text);
      });
      await Deno.rename(`${path}.tmp`, path);
    },
  };
}

/**
 * Reads `agent.avatar` (relative to the working directory).
 *
 * @returns `undefined` when none is configured.
 * @throws {Error} With a one-line reason when the file cannot be read or is not a usable image.
 */
export async function loadAvatar(loaded: LoadedConfig): Promise<Avatar | undefined> {
  const written = loaded.config.agent.avatar;
  if (written === undefined) return undefined;
  const path = resolve(loaded.baseDir, written);
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    const why = errorMessage(error);
    throw new Error(`Cannot read agent.avatar "${path}": ${why}`, { cause: error });
  }
  return readAvatar(bytes, path);
}
