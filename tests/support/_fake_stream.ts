/**
 * Streamed answers of the fake LLM server, in each provider's real wire format, written out at
 * a set token rate: Anthropic server-sent events, Ollama NDJSON lines, and (built in
 * `_fake_openai.ts`) OpenAI chunks. A stream can also break off after some tokens, the way a
 * connection lost midway ends one.
 *
 * @module
 */

/** A streamed answer in three parts: what precedes the text, one event per token, the rest. */
export interface StreamEvents {
  head: string[];
  tokens: string[];
  tail: string[];
  content_type: string;
}

/** How a streamed answer is written out. */
export interface PaceOptions {
  /** Text tokens per second; `undefined` writes everything at once. */
  tokens_per_second: number | undefined;
  /** Break the connection after this many text tokens. @default {never} */
  cut_after_tokens?: number | undefined;
  /** Ends the stream at once (the server is closing). */
  signal: AbortSignal;
}

/**
 * The text as the fake's tokens: a word with the spaces after it, or a run of line breaks
 * (so that paragraph breaks are tokens of their own, as they are for real models). Without a
 * rate, the whole text is one piece, as before streams had a pace.
 *
 * @param text The answer's text
 * @param paced Whether the answer is written out at a rate
 */
export function tokensOf(text: string, paced: boolean): string[] {
  if (text === "") return [];
  if (!paced) return [text];
  return text.match(/\n+|[^\s]+[ \t]*|[ \t]+/g) ?? [text];
}

/**
 * A response that writes the head at once, each token at its time (`i / rate` seconds after
 * the first, so a slow event loop does not slow the rate down), then the tail; or, with
 * `cut_after_tokens`, breaks the connection after that many tokens.
 *
 * @param events The answer's events
 * @param options Rate, break point and the server's closing signal
 */
export function pacedResponse(events: StreamEvents, options: PaceOptions): Response {
  const rate = options.tokens_per_second;
  const cut = options.cut_after_tokens;
  if ((rate === undefined || rate <= 0) && cut === undefined) {
    // One write: small writes one after another would each wait for the client's delayed ACK
    // (Nagle is on in Deno.serve), and an instant fake would measure the kernel, not the agent.
    const whole = [...events.head, ...events.tokens, ...events.tail].join("");
    return new Response(whole, { headers: { "content-type": events.content_type } });
  }
  const encoder = new TextEncoder();
  const tokens = cut === undefined ? events.tokens : events.tokens.slice(0, cut);
  let started = 0;
  let next = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(events.head.join("")));
      started = performance.now();
      options.signal.addEventListener("abort", () => {
        clearTimeout(timer);
        try {
          controller.close();
        } catch {
          // Already closed.
        }
      }, { once: true });
    },
    async pull(controller) {
      if (options.signal.aborted) return;
      if (next < tokens.length) {
        if (rate !== undefined && rate > 0) {
          const due = started + (next * 1000) / rate;
          const wait = due - performance.now();
          if (wait > 0) await new Promise((resolve) => timer = setTimeout(resolve, wait));
          if (options.signal.aborted) return;
        }
        controller.enqueue(encoder.encode(tokens[next++]!));
        return;
      }
      if (cut !== undefined) {
        // What a connection lost midway looks like to the client: the body stops, unfinished.
        controller.error(new Error("The fake LLM broke the stream off"));
        return;
      }
      controller.enqueue(encoder.encode(events.tail.join("")));
      controller.close();
    },
    cancel() {
      clearTimeout(timer);
    },
  });
  return new Response(body, { headers: { "content-type": events.content_type } });
}

/** One server-sent event. */
export function sse(type: string | undefined, data: unknown): string {
  return `${type === undefined ? "" : `event: ${type}\n`}data: ${JSON.stringify(data)}\n\n`;
}

/** An Anthropic message, as the fake renders it. */
export interface AnthropicMessage {
  id: string;
  type: string;
  role: string;
  model: string;
  content: (
    | { type: "text"; text: string }
    | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> }
  )[];
  stop_reason: string;
  stop_sequence: null;
  usage: { input_tokens: number; output_tokens: number };
}

/**
 * The Messages API stream of a message: `message_start`, each content block as its start, its
 * deltas (one `text_delta` per token; a tool's input as one `input_json_delta`) and its stop,
 * then `message_delta` with the stop reason and usage, and `message_stop`.
 */
export function anthropicEvents(message: AnthropicMessage, paced: boolean): StreamEvents {
  const event = (type: string, data: object) => sse(type, { type, ...data });
  const head = [event("message_start", {
    message: {
      ...message,
      content: [],
      stop_reason: null,
      usage: { ...message.usage, output_tokens: 0 },
    },
  })];
  let tokens: string[] = [];
  const tail: string[] = [];
  message.content.forEach((block, index) => {
    if (block.type === "text") {
      // The text block comes first: its start goes in the head, its deltas are the tokens.
      head.push(event("content_block_start", { index, content_block: { type: "text", text: "" } }));
      tokens = tokensOf(block.text, paced).map((text) =>
        event("content_block_delta", { index, delta: { type: "text_delta", text } })
      );
    } else {
      tail.push(event("content_block_start", { index, content_block: { ...block, input: {} } }));
      tail.push(event("content_block_delta", {
        index,
        delta: { type: "input_json_delta", partial_json: JSON.stringify(block.input) },
      }));
    }
    tail.push(event("content_block_stop", { index }));
  });
  tail.push(event("message_delta", {
    delta: { stop_reason: message.stop_reason, stop_sequence: null },
    usage: { output_tokens: message.usage.output_tokens },
  }));
  tail.push(event("message_stop", {}));
  return { head, tokens, tail, content_type: "text/event-stream" };
}

/** An Ollama `/api/chat` closing line, as the fake renders it. */
export interface OllamaDone {
  model: string;
  created_at: string;
  message: { role: string; content: string; tool_calls?: unknown[] };
  [field: string]: unknown;
}

/**
 * Ollama's NDJSON stream: one line per token (`done: false`), a line with the tool calls when
 * there are any, then the closing line with `done: true` and the counts.
 */
export function ollamaEvents(done: OllamaDone, paced: boolean): StreamEvents {
  const line = (value: unknown) => `${JSON.stringify(value)}\n`;
  const part = (message: unknown) =>
    line({ model: done.model, created_at: done.created_at, message, done: false });
  const tokens = tokensOf(done.message.content, paced).map((content) =>
    part({ role: "assistant", content })
  );
  const tail = [
    ...(done.message.tool_calls
      ? [part({ role: "assistant", content: "", tool_calls: done.message.tool_calls })]
      : []),
    line({ ...done, message: { role: "assistant", content: "" } }),
  ];
  return { head: [], tokens, tail, content_type: "application/x-ndjson" };
}
