/**
 * Reads a streamed Messages API answer (server-sent events) into the message it carries,
 * handing each piece of text on as it arrives. The SDK's `MessageStream` does the same through
 * a checked copy of the body, an event emitter and a second parse of every event; this reads
 * the body once and parses each event once, checking it as it goes: an event that is not JSON
 * fails as {@linkcode notJsonEvent} says, quoting nothing of it.
 * https://docs.anthropic.com/en/docs/build-with-claude/streaming
 *
 * @module
 */
import type Anthropic from "@anthropic-ai/sdk";
import { LlmError } from "../llm_error.ts";
import { bodyChunks } from "./_body_chunks.ts";
import { notJsonEvent } from "./_checked_stream.ts";

/** The events read here; any other (`ping`, a future one) is skipped. */
type StreamEvent =
  | { type: "message_start"; message: Anthropic.Message }
  | { type: "content_block_start"; index: number; content_block: Anthropic.ContentBlock }
  | {
    type: "content_block_delta";
    index: number;
    delta: { type: string; text?: string; partial_json?: string };
  }
  | { type: "content_block_stop"; index: number }
  | {
    type: "message_delta";
    delta: { stop_reason?: Anthropic.StopReason | null; stop_sequence?: string | null };
    usage?: Record<string, unknown>;
  }
  | { type: "message_stop" }
  | { type: "error"; error?: { type?: unknown } };

/**
 * The message a streamed answer carries.
 *
 * @param provider The provider name used in messages
 * @param response A successful answer of content type `text/event-stream`
 * @param onText Called with each piece of text, in order
 * @throws {LlmError} When an event is not JSON, the server sends an `error` event, or the
 * stream ends before `message_stop`; a failure to read the body is thrown as it is.
 */
export async function readMessageStream(
  provider: string,
  response: Response,
  onText: (text: string) => void,
): Promise<Anthropic.Message> {
  const message = new MessageAssembly(provider, onText);
  if (response.body === null) return message.finish();
  const decoder = new TextDecoder();
  let carry = "";
  let data = "";
  let events = 0;
  const dispatch = () => {
    if (data === "") return;
    events++;
    let event: StreamEvent;
    try {
      event = JSON.parse(data);
    } catch {
      throw notJsonEvent(provider, events, response.status);
    }
    data = "";
    message.add(event);
  };
  const line = (text: string) => {
    // A blank line ends an event; `data:` lines add to it; `event:`, `id:` and comments are
    // not needed (each event's data names its type).
    if (text === "") return dispatch();
    if (!text.startsWith("data:")) return;
    const value = text.charCodeAt(5) === 32 ? text.slice(6) : text.slice(5);
    data = data === "" ? value : `${data}\n${value}`;
  };
  // Read to its end even after `message_stop`: a body left unread would cost the connection
  // (the next call would open, and handshake, a new one).
  for await (const chunk of bodyChunks(response.body)) {
    const lines = (carry + decoder.decode(chunk, { stream: true })).split("\n");
    carry = lines.pop() ?? "";
    for (const text of lines) line(text.endsWith("\r") ? text.slice(0, -1) : text);
  }
  line(carry + decoder.decode());
  dispatch();
  return message.finish();
}

/** A message built up from its events. */
class MessageAssembly {
  #provider: string;
  #onText: (text: string) => void;
  #message: Anthropic.Message | undefined;
  /** The input of each tool call so far, as the JSON text streamed. */
  #inputs = new Map<number, string>();
  stopped = false;

  constructor(provider: string, onText: (text: string) => void) {
    this.#provider = provider;
    this.#onText = onText;
  }

  add(event: StreamEvent): void {
    if (event.type === "error") throw this.#midwayError(event.error?.type);
    if (event.type === "message_start") {
      this.#message = { ...event.message, content: [...(event.message.content ?? [])] };
      return;
    }
    const message = this.#message;
    if (message === undefined) return;
    switch (event.type) {
      case "content_block_start":
        message.content[event.index] = { ...event.content_block };
        if (event.content_block.type === "tool_use") this.#inputs.set(event.index, "");
        return;
      case "content_block_delta": {
        const block = message.content[event.index];
        const { delta } = event;
        if (delta.type === "text_delta" && block?.type === "text" && delta.text !== undefined) {
          block.text += delta.text;
          this.#onText(delta.text);
        } else if (delta.type === "input_json_delta" && this.#inputs.has(event.index)) {
          this.#inputs.set(event.index, this.#inputs.get(event.index) + (delta.partial_json ?? ""));
        }
        return;
      }
      case "content_block_stop": {
        const block = message.content[event.index];
        const json = this.#inputs.get(event.index);
        if (block?.type === "tool_use" && json !== undefined) block.input = this.#input(json);
        return;
      }
      case "message_delta":
        if (event.delta.stop_reason !== undefined) message.stop_reason = event.delta.stop_reason;
        if (event.delta.stop_sequence !== undefined) {
          message.stop_sequence = event.delta.stop_sequence;
        }
        // The final counts: output tokens always, input and cache tokens when sent again.
        for (const [key, value] of Object.entries(event.usage ?? {})) {
          if (value !== null && value !== undefined) {
            (message.usage as unknown as Record<string, unknown>)[key] = value;
          }
        }
        return;
      case "message_stop":
        this.stopped = true;
        return;
    }
  }

  /** The whole message; an answer that stopped short is an error, not a message. */
  finish(): Anthropic.Message {
    if (this.#message === undefined || !this.stopped) {
      throw new LlmError(
        `LLM provider "${this.#provider}" ended its answer before it was complete`,
        { kind: "server" },
      );
    }
    return this.#message;
  }

  #input(json: string): Anthropic.ToolUseBlock["input"] {
    if (json === "") return {};
    try {
      return JSON.parse(json);
    } catch {
      throw new LlmError(
        `LLM provider "${this.#provider}" streamed a tool call whose input is not JSON`,
        { kind: "server", retryable: true },
      );
    }
  }

  #midwayError(type: unknown): LlmError {
    return new LlmError(
      `LLM provider "${this.#provider}" sent an error in the middle of its answer` +
        (typeof type === "string" && /^[a-z_]{1,64}$/.test(type) ? ` (${type})` : ""),
      { kind: type === "overloaded_error" ? "overloaded" : "server" },
    );
  }
}
