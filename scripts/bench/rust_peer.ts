/**
 * The Rust Fluux Agent (github.com/processone/fluux-agent) as a peer of the reply-overhead
 * figures: `--peer BINARY` starts that executable as an XEP-0114 component on the bench's
 * Prosody, its Ollama provider pointed at the fake LLM (its Anthropic client has the
 * API's address built in), logging at `warn` as the bench agent does.
 *
 * @module
 */
import { endProcess } from "../../tests/support/end_process.ts";
import type { ProsodyHandle } from "../../tests/support/prosody.ts";
import { onCleanUp } from "./cleanup.ts";
import type { Driver } from "./driver.ts";

/** What {@linkcode peerConfigToml} needs. */
export interface PeerConfig {
  host: string;
  componentPort: number;
  componentDomain: string;
  componentSecret: string;
  /** Base URL of the fake LLM. */
  llmUrl: string;
  /** The domain of the users who write to it (the peer accepts only its own by default). */
  userDomain: string;
  /** `[memory] path`; a directory the caller owns. */
  memoryDir: string;
}

/** The peer's `agent.toml`, in the format of its `config/agent.example.toml`. */
export function peerConfigToml(config: PeerConfig): string {
  return `[server]
host = ${JSON.stringify(config.host)}
port = ${config.componentPort}
mode = "component"
component_domain = ${JSON.stringify(config.componentDomain)}
component_secret = ${JSON.stringify(config.componentSecret)}

[llm]
provider = "ollama"
model = "bench-model"
host = ${JSON.stringify(config.llmUrl)}
max_tokens_per_request = 1024

[agent]
name = "Rust peer"
allowed_jids = ["*"]
allowed_domains = [${JSON.stringify(config.userDomain)}]

[memory]
backend = "markdown"
path = ${JSON.stringify(config.memoryDir)}
`;
}

/** A running peer. */
export interface RustPeer {
  /** Bare JID its answers come from: the component's domain. */
  readonly jid: string;
  /** Its stderr so far, for an error message. */
  output(): string;
  /** Stops it (SIGTERM, then SIGKILL after 3 s). Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Writes the peer's config into `dataDir` and spawns `binary` with it, on the component
 * connection of `prosody`. Returns as soon as the process exists (it is not online yet).
 */
export async function startRustPeer(
  prosody: ProsodyHandle,
  options: { binary: string; llmUrl: string; dataDir: string },
): Promise<RustPeer> {
  await Deno.mkdir(`${options.dataDir}/memory`, { recursive: true });
  const configFile = `${options.dataDir}/agent.toml`;
  await Deno.writeTextFile(
    configFile,
    peerConfigToml({
      host: prosody.host,
      componentPort: prosody.componentPort,
      componentDomain: prosody.componentDomain,
      componentSecret: prosody.componentSecret,
      llmUrl: options.llmUrl,
      userDomain: prosody.domain,
      memoryDir: `${options.dataDir}/memory`,
    }),
  );
  const child = new Deno.Command(options.binary, {
    args: [configFile],
    cwd: options.dataDir,
    env: { RUST_LOG: "fluux_agent=warn" },
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const lines: string[] = [];
  void (async () => {
    const text = child.stderr.pipeThrough(new TextDecoderStream());
    for await (const chunk of text) lines.push(chunk);
  })().catch(() => {});
  const stop = onCleanUp(async () => {
    await endProcess(child, { signal: "SIGTERM", graceMs: 3000 });
  });
  return { jid: prosody.componentDomain, output: () => lines.join(""), stop };
}

/**
 * Asks the peer until it answers (its first answers go through its LLM: it has no command
 * that skips it), then drops anything late.
 *
 * @throws {Error} When it does not answer within `timeoutMs` (the message carries its stderr).
 */
export async function waitPeerAnswering(
  peer: RustPeer,
  driver: Driver,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; Date.now() < deadline; i++) {
    try {
      await driver.ask(peer.jid, `online ${i}`, `echo: online ${i}`, 500);
      await new Promise((resolve) => setTimeout(resolve, 300));
      driver.drain();
      return;
    } catch {
      // Not connected yet: the server bounced the message or the answer is still to come.
    }
  }
  throw new Error(`The Rust peer did not answer in time:\n${peer.output()}`);
}
