import type { Chunk } from "./chunk.ts";
import type {
  Candidate,
  IndexBackend,
  IndexedFile,
  Scope,
  SearchRequest,
} from "./index_backend.ts";
import { encodeVector, type IndexAnswer } from "./_index_protocol.ts";
import { indexProcessCommand, indexProcessEnv, type IndexProcessOptions } from "./index_process.ts";

/** Options of {@linkcode ChildIndexBackend}. */
export interface ChildIndexBackendOptions extends IndexProcessOptions {
  /** Longest wait for one answer; the process is then stopped and started again. @default {120000} */
  timeoutMs?: number;
  /** Told when the process ends unexpectedly, with the end of what it wrote to stderr. */
  onExit?: (reason: string) => void;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

interface Running {
  process: Deno.ChildProcess;
  writer: WritableStreamDefaultWriter<Uint8Array>;
  ready: Promise<void>;
  stderr: { tail: string };
  /** Its requests not yet answered, by id. */
  pending: Map<number, Pending>;
}

const encoder = new TextEncoder();

/** The index process ended (a crash, a kill) before it answered. */
class IndexProcessEnded extends Error {}

/** Requests that change nothing: asked again, once, of a new process when one ends under them. */
const READ_ONLY = new Set(["files", "missingVectors", "search", "count"]);

/**
 * The index with vectors, in the index process (see `indexProcessFlags`): each method is a
 * request to that process, started on the first one and again after it ended. Requests are
 * answered in order. One that only reads and meets the process's end (a search sent just as it
 * crashed) is asked again of a new one; a change is not (the error says the process ended).
 */
export class ChildIndexBackend implements IndexBackend {
  readonly vectors = true;
  #options: ChildIndexBackendOptions;
  #running: Running | undefined;
  #nextId = 1;
  #closed = false;

  constructor(options: ChildIndexBackendOptions) {
    this.#options = options;
  }

  files(scope: Scope): Promise<IndexedFile[]> {
    return this.#call("files", [scope]) as Promise<IndexedFile[]>;
  }
  async begin(scope: Scope, source: string, fromLine: number): Promise<void> {
    await this.#call("begin", [scope, source, fromLine]);
  }
  async add(scope: Scope, source: string, chunks: readonly Chunk[]): Promise<void> {
    await this.#call("add", [scope, source, chunks]);
  }
  async commit(scope: Scope, file: IndexedFile): Promise<void> {
    await this.#call("commit", [scope, file]);
  }
  async remove(scope: Scope, source: string): Promise<void> {
    await this.#call("remove", [scope, source]);
  }
  async prune(scope: Scope): Promise<void> {
    await this.#call("prune", [scope]);
  }
  missingVectors(scope: Scope, limit: number): Promise<{ id: number; text: string }[]> {
    return this.#call("missingVectors", [scope, limit]) as Promise<{ id: number; text: string }[]>;
  }
  async setVectors(
    scope: Scope,
    items: readonly { id: number; vector: Float32Array }[],
  ): Promise<void> {
    const encoded = items.map(({ id, vector }) => ({ id, vector: encodeVector(vector) }));
    await this.#call("setVectors", [scope, encoded]);
  }
  search(scope: Scope, request: SearchRequest): Promise<Candidate[]> {
    const { vector, ...rest } = request;
    const sent = vector === undefined ? rest : { ...rest, vector: encodeVector(vector) };
    return this.#call("search", [scope, sent]) as Promise<Candidate[]>;
  }
  count(scope: Scope): Promise<number> {
    return this.#call("count", [scope]) as Promise<number>;
  }
  async drop(scope: Scope): Promise<void> {
    await this.#call("drop", [scope]);
  }

  /** The index process's id while it runs (for diagnostics). */
  get pid(): number | undefined {
    return this.#running?.process.pid;
  }

  /** Ends the process once it has answered what it was asked (it closes its databases). */
  async close(): Promise<void> {
    this.#closed = true;
    const running = this.#running;
    if (running === undefined) return;
    await running.writer.close().catch(() => {});
    // It ends once its input does; one stuck in a long write is stopped after a while.
    const timer = setTimeout(() => this.#kill(running), 5000);
    await running.process.status;
    clearTimeout(timer);
  }

  async #call(op: string, args: unknown[]): Promise<unknown> {
    try {
      return await this.#ask(op, args);
    } catch (error) {
      if (!(error instanceof IndexProcessEnded) || !READ_ONLY.has(op) || this.#closed) throw error;
      return await this.#ask(op, args);
    }
  }

  async #ask(op: string, args: unknown[]): Promise<unknown> {
    if (this.#closed) throw new Error("The search index is closed");
    const running = this.#start();
    await running.ready;
    const id = this.#nextId++;
    const answer = new Promise<unknown>((resolve, reject) => {
      const timeoutMs = this.#options.timeoutMs ?? 120_000;
      const timer = setTimeout(() => {
        running.pending.delete(id);
        reject(new Error(`The search index process did not answer within ${timeoutMs} ms`));
        this.#kill(running);
      }, timeoutMs);
      running.pending.set(id, { resolve, reject, timer });
    });
    // Settled below either way; this keeps an early end of the process from going unhandled.
    answer.catch(() => {});
    try {
      await running.writer.write(encoder.encode(JSON.stringify({ id, op, args }) + "\n"));
    } catch (error) {
      const pending = running.pending.get(id);
      if (pending !== undefined) clearTimeout(pending.timer);
      running.pending.delete(id);
      // Its input is gone: the next request starts a new process without waiting for the end.
      if (this.#running === running) this.#running = undefined;
      this.#kill(running);
      throw new IndexProcessEnded("The search index process is not running", { cause: error });
    }
    return await answer;
  }

  #start(): Running {
    if (this.#running !== undefined) return this.#running;
    const { command, args } = indexProcessCommand(this.#options);
    const process = new Deno.Command(command, {
      args,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
      clearEnv: true,
      env: indexProcessEnv(),
    }).spawn();
    const stderr = { tail: "" };
    let ready!: { resolve: () => void; reject: (error: Error) => void };
    const readyPromise = new Promise<void>((resolve, reject) => ready = { resolve, reject });
    // Nobody may be waiting for it yet: a start failure is reported through each call.
    readyPromise.catch(() => {});
    const running: Running = {
      process,
      writer: process.stdin.getWriter(),
      ready: readyPromise,
      stderr,
      pending: new Map(),
    };
    this.#running = running;
    void this.#read(process.stdout, (message) => {
      if (message.id === 0) {
        if (message.error === undefined) ready.resolve();
        else ready.reject(new Error(`The search index process cannot start: ${message.error}`));
        return;
      }
      const pending = running.pending.get(message.id);
      if (pending === undefined) return;
      running.pending.delete(message.id);
      clearTimeout(pending.timer);
      if (message.error === undefined) pending.resolve(message.result);
      else pending.reject(new Error(message.error));
    });
    void (async () => {
      for await (const text of process.stderr.pipeThrough(new TextDecoderStream())) {
        stderr.tail = (stderr.tail + text).slice(-4000);
      }
    })().catch(() => {});
    void process.status.then((status) => {
      if (this.#running === running) this.#running = undefined;
      const detail = stderr.tail.trim().split("\n").findLast((line) => line.trim() !== "");
      const reason = `exited with ${status.signal ?? `code ${status.code}`}` +
        (detail === undefined ? "" : `: ${detail.slice(0, 300)}`);
      ready.reject(new IndexProcessEnded(`The search index process ${reason}`));
      for (const pending of running.pending.values()) {
        clearTimeout(pending.timer);
        pending.reject(new IndexProcessEnded(`The search index process ${reason}`));
      }
      running.pending.clear();
      if (!this.#closed) this.#options.onExit?.(reason);
    });
    return running;
  }

  async #read(stream: ReadableStream<Uint8Array>, onMessage: (message: IndexAnswer) => void) {
    let carry = "";
    for await (const text of stream.pipeThrough(new TextDecoderStream())) {
      carry += text;
      let newline = carry.indexOf("\n");
      while (newline !== -1) {
        const line = carry.slice(0, newline);
        carry = carry.slice(newline + 1);
        newline = carry.indexOf("\n");
        try {
          onMessage(JSON.parse(line) as IndexAnswer);
        } catch {
          // Not a protocol line: ignored.
        }
      }
    }
  }

  #kill(running: Running): void {
    try {
      running.process.kill("SIGKILL");
    } catch {
      // Already gone.
    }
  }
}
