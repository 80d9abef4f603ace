/**
 * `run`: the agent in this process until SIGINT/SIGTERM — the composition root. It builds
 * the world from the config (and nothing else does), checks the LLM, takes up what the last
 * run left in the inbox, connects, and stops everything cleanly.
 *
 * @module
 */
import {
  Agent,
  ContactBook,
  RoomBook,
  sendFileTool,
  streamRepliesFor,
  toolSet,
  withSkillFiles,
} from "../agent/mod.ts";
import { AttachmentDownloader, AttachmentIntake } from "../attachments/mod.ts";
import { type LoadedConfig, secretScrubber, serverDomain } from "../config/mod.ts";
import { compactCommand, memoryCommands, scheduleCommands, tierCommands } from "../commands/mod.ts";
import { scheduleFile, Scheduler, scheduleTools } from "../scheduler/mod.ts";
import {
  checkAtStart,
  createLlmClient,
  type ModelRouter,
  TierOverrides,
  UsageMeter,
} from "../llm/mod.ts";
import {
  ContextManager,
  contextSettings,
  notesInPrompt,
  REMEMBER_HINT,
  rememberTool,
  withCarryOver,
} from "../context/mod.ts";
import { createLogger, errorMessage } from "../log/mod.ts";
import { conversationDir, denoMemoryFs, MemoryStore } from "../memory/mod.ts";
import { createResolver } from "../net/mod.ts";
import { VERSION } from "../version.ts";
import {
  ClientConnection,
  parseJid,
  type UploadFile,
  validateRawStanza,
  XmppFatalError,
} from "../xmpp/mod.ts";
import { connect, jsonFile, loadAvatar, newRoomConfig, openInbox, setUpSkills } from "./_parts.ts";
import { fail, heldOptions, STOP_SIGNALS } from "./_shared.ts";
import { setUpPersonas } from "./_personas.ts";
import { startWebhooks } from "./_webhooks.ts";
import { setUpSearch } from "./_search.ts";
import { setUpUsage, spawnAgentTool } from "./_usage.ts";
import { NOT_HELD, permissionReport } from "./permission_report.ts";

/** Runs the agent in this process until SIGINT/SIGTERM; the exit code. */
export async function run(loaded: LoadedConfig): Promise<number> {
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
  let avatar;
  try {
    avatar = await loadAvatar(loaded);
  } catch (error) {
    return fail(2, errorMessage(error));
  }
  const skills = await setUpSkills(loaded, log.child("skills"), secrets);
  scrub = secretScrubber(secrets);
  const usage = new UsageMeter();
  const llm = createLlmClient(config.llm, { usage, log: log.child("llm") });
  // With tiers and fallbacks configured the client is a model router, whose routes `/tier` shows.
  const routed = llm as { routes?: ModelRouter["routes"] };
  const tiers = new TierOverrides({ routes: () => routed.routes?.() ?? [] });
  const searchParts = await setUpSearch(loaded, log.child("search"));
  const search = searchParts?.search;
  const memory = new MemoryStore(loaded.dataDir, {
    fs: denoMemoryFs(),
    // The search index follows the files: a write re-indexes, /forget drops the index.
    ...(search === undefined ? {} : { onChange: (change) => search.onMemoryChange(change) }),
    durability: config.memory.fsync ? "datasync" : "none",
    // Room for the history a turn reads plus the tool entries between its messages.
    cacheEntries: Math.max(200, (config.llm.max_history_messages ?? 100) * 4),
    // The prompt carries memory.md's newest lines within its budget; the rest stays in the file.
    promptNotes: (text) =>
      notesInPrompt(text, {
        tokenBudget: config.memory.notes_token_budget,
        searchable: search !== undefined && config.memory.search.sources.includes("memory"),
      }),
  });
  const { settings, knownWindow } = contextSettings(config);
  if (!knownWindow) {
    log.warn(
      `The context window of ${config.llm.default} is not known: assuming ` +
        `${settings.contextWindow} tokens (set llm.context_windows to tell it)`,
    );
  }
  const usageParts = await setUpUsage(loaded, llm, log.child("usage"));
  // Summaries and flushes go through the usage ledger: they count against the quota too.
  const context = new ContextManager({
    memory,
    llm: usageParts.llm,
    log: log.child("context"),
    now: () => new Date(),
    settings,
  });
  const inbox = await openInbox(loaded);
  const personas = await setUpPersonas(loaded, log.child("personas"));
  if (typeof personas === "string") return fail(2, personas);
  const sent = { messages: 0 };
  const connection = connect(loaded, log, avatar);
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
  const scheduler = new Scheduler({
    store: scheduleFile(`${loaded.dataDir}/schedules.json`, { fsync: config.memory.fsync }),
    // Each firing enters the router like a message (agent exists by the time start() runs).
    fire: (firing) => agent.handle(firing),
    schedules: config.schedules,
    log: log.child("scheduler"),
    missedRunGraceMs: config.agent.missed_run_grace_mins * 60_000,
    maxPerConversation: config.agent.max_schedules,
  });
  const memoryTools = searchParts?.tools;
  // Files the LLM writes, and files skills return, go through the server's upload service.
  const files = connection instanceof ClientConnection && config.upload.hosts.length > 0
    ? {
      upload: (file: UploadFile) => connection.upload(file),
      send: connection.send.bind(connection),
    }
    : undefined;
  const skillTools = files === undefined ? skills.tools : withSkillFiles(skills.tools, files);
  const tools = toolSet(
    skillTools,
    memoryTools,
    config.agent.max_schedules > 0
      ? scheduleTools(scheduler, { log: log.child("scheduler") })
      : undefined,
    spawnAgentTool(loaded, {
      ...usageParts,
      memory,
      tools: toolSet(skillTools, memoryTools),
      audit: skills.audit,
      scrub: (text) => scrub(text),
      log: log.child("subagents"),
    }),
    files === undefined ? undefined : sendFileTool(files),
    rememberTool(context),
  );
  const agent = new Agent({
    ...(attachments === undefined ? {} : { attachments }),
    commands: [
      ...skills.commands,
      ...tierCommands(tiers),
      ...usageParts.commands,
      ...scheduleCommands(scheduler),
      ...memoryCommands(search, {
        warn: (line) => log.child("search").warn(line),
        notes: {
          read: (jid) => memory.readNote(jid, "memory.md"),
          // The archive of consolidated notes goes too: the person asked for the notes to go.
          clear: async (jid) =>
            [
              await memory.clearNote(jid, "memory.md"),
              await memory.clearNote(jid, "memory.archive.md"),
            ].some(Boolean),
        },
      }),
      compactCommand,
      ...personas.commands,
    ],
    persona: personas.persona,
    dialogue: personas.dialogue,
    conversation: context,
    toolNotes: {
      ...(searchParts === undefined ? {} : { memory_search: searchParts.hint }),
      remember: REMEMBER_HINT,
    },
    tierFor: (conversation, own) => tiers.tierFor(conversation, own),
    quota: usageParts.quota,
    ...(tools === undefined ? {} : { tools }),
    maxToolRounds: config.agent.max_tool_rounds,
    streamRepliesFor: streamRepliesFor(
      config.agent.stream_replies,
      new Map(config.rooms.map((room) => [room.jid, room.stream_replies])),
    ),
    maxMessageChars: config.agent.max_message_chars,
    maxAnswerChars: config.agent.max_answer_chars,
    name: config.agent.name,
    // With carry-over, a session that ends (/new, idle timeout) is summarised into context.md.
    memory: config.session.carry_over
      ? withCarryOver(memory, context, {
        isRoom: (jid) => config.rooms.some((room) => room.jid === jid),
        log: log.child("context"),
      })
      : memory,
    llm: usageParts.llm,
    xmpp: {
      send: (action) => {
        if (action.type === "message") sent.messages++;
        connection.send(action);
      },
      delivered: () => connection.delivered(),
      roster: () =>
        connection instanceof ClientConnection ? connection.roster() : Promise.resolve([]),
      validateRaw: (xml) => {
        try {
          validateRawStanza(xml);
          return undefined;
        } catch (error) {
          return errorMessage(error);
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
      answerMissed: room.answer_missed,
      tools: room.tools,
      ...(room.password === undefined ? {} : { password: room.password }),
      ...(room.create === undefined ? {} : { create: newRoomConfig(room.create) }),
    })),
    roomBook: new RoomBook(jsonFile(`${loaded.dataDir}/rooms.json`)),
    ...(config.server.mode === "component"
      ? { contactBook: new ContactBook(jsonFile(`${loaded.dataDir}/contacts.json`)) }
      : {}),
    devJids: config.agent.dev_command_jids,
    adminJids: config.agent.admin_jids,
    proactive: {
      greetOnLogin: config.proactive.greet_on_login,
      deliverWhenOnline: config.proactive.deliver_when_online,
    },
    respondToReactions: config.agent.respond_to_reactions,
    inbox: inbox.inbox,
    log: log.child("agent"),
    now: () => new Date(),
    maxHistoryMessages: config.llm.max_history_messages ?? 20,
    contextWindow: context,
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
  connection.offerCommands(agent.commandDirectory());
  const counts = { messagesIn: 0 };
  connection.onEvent((event) => {
    if (event.type === "message" || event.type === "groupchat") counts.messagesIn++;
    agent.handle(event);
  });

  let webhooks: { stop(): Promise<void> } | undefined;
  let stopping = false;
  /** The connection's own stop: it writes what it keeps (the catch-up positions) last. */
  let stopped: Promise<void> | undefined;
  const stop = () => {
    // One Ctrl-C reaches the launcher and this process both, and the launcher forwards it.
    if (stopping) return;
    stopping = true;
    log.info("Stopping");
    stopped = connection.stop();
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
    // The rooms are asked for first: a room answer queued before the connection is up must
    // reach the room after the agent's join, not before it.
    await agent.joinRooms();
    // What the last run received and did not finish goes first, before anything newer.
    agent.replay(inbox.left);
    // Catch-up runs fire as it starts: after the inbox, before anything new from the server.
    await scheduler.start();
    webhooks = await startWebhooks(loaded, {
      agent,
      log: log.child("webhooks"),
      left: inbox.left,
      health: () => ({
        xmpp: connection.online ? "online" : "offline",
        uptimeSecs: Math.floor((Date.now() - startedAt.getTime()) / 1000),
      }),
      metrics: () => {
        const totals = usage.totals();
        return {
          messagesIn: counts.messagesIn,
          messagesOut: sent.messages,
          llmCalls: totals.calls,
          llmTokensIn: totals.input_tokens,
          llmTokensOut: totals.output_tokens,
          errors: agent.stats.failed,
          queueDepth: agent.stats.pending,
        };
      },
    }).catch((error: unknown) => {
      throw new ListenError(error);
    });
    if (!stopping) await connection.run();
  } catch (error) {
    if (error instanceof XmppFatalError) return fail(1, error.message);
    if (error instanceof ListenError) return fail(1, error.message);
    throw error;
  } finally {
    scheduler.stop();
    await webhooks?.stop();
    for (const signal of STOP_SIGNALS) Deno.removeSignalListener(signal, stop);
  }
  await Promise.race([agent.idle(), new Promise((resolve) => setTimeout(resolve, 3000))]);
  await stopped;
  await memory.close();
  inbox.inbox.close();
  await usageParts.ledger.close();
  await search?.close();
  log.info("Stopped");
  return 0;
}

/** The webhook listener could not start: a one-line reason, exit code 1. */
class ListenError extends Error {
  override name = "ListenError";
  constructor(cause: unknown) {
    const why = errorMessage(cause);
    super(`Cannot start the webhook listener (webhooks.listen): ${why}`, { cause });
  }
}
