/**
 * The OpenAI Chat Completions wire format for the fake LLM server: a completion as JSON or
 * as server-sent chunks, the model object, and the API's error bodies.
 * https://platform.openai.com/docs/api-reference/chat
 *
 * @module
 */
import { sse, type StreamEvents, tokensOf } from "./_fake_stream.ts";

/** A tool call as the fake renders it. */
interface Call {
  id: string;
  name: string;
  input: Record<string, unknown>;
}

/** What one completion says. */
export interface OpenAiTurn {
  id: string;
  model: string;
  text: string;
  calls: Call[];
  stop_reason: string;
  usage: { input_tokens: number; output_tokens: number; cache_read_tokens?: number };
}

const FINISH: Record<string, string> = {
  tool_use: "tool_calls",
  max_tokens: "length",
  end_turn: "stop",
};

/** A `chat.completion` object. */
export function openAiCompletion(turn: OpenAiTurn): Record<string, unknown> {
  return {
    id: turn.id,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: turn.model,
    choices: [{
      index: 0,
      message: {
        role: "assistant",
        content: turn.text === "" && turn.calls.length > 0 ? null : turn.text,
        refusal: null,
        ...(turn.calls.length ? { tool_calls: turn.calls.map(wireCall) } : {}),
      },
      logprobs: null,
      finish_reason: FINISH[turn.stop_reason] ?? "stop",
    }],
    usage: usageOf(turn),
  };
}

/**
 * The same completion streamed: a role chunk, the text (one chunk per token when paced), each
 * tool call as its header then its arguments in two pieces (clients must join them), the
 * finish reason, the usage when the request asked for it (`stream_options.include_usage`),
 * then `[DONE]`.
 */
export function openAiStream(
  turn: OpenAiTurn,
  includeUsage: boolean,
  paced: boolean,
): StreamEvents {
  const base = {
    id: turn.id,
    object: "chat.completion.chunk",
    created: Math.floor(Date.now() / 1000),
    model: turn.model,
  };
  const chunk = (delta: unknown, finish_reason: string | null = null) =>
    sse(undefined, { ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason }] });
  const tokens = tokensOf(turn.text, paced).map((content) => chunk({ content }));
  const tail: string[] = [];
  turn.calls.forEach((call, index) => {
    const args = JSON.stringify(call.input);
    const half = Math.ceil(args.length / 2);
    tail.push(chunk({
      tool_calls: [{
        index,
        id: call.id,
        type: "function",
        function: { name: call.name, arguments: "" },
      }],
    }));
    for (const piece of [args.slice(0, half), args.slice(half)]) {
      tail.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  });
  tail.push(chunk({}, FINISH[turn.stop_reason] ?? "stop"));
  if (includeUsage) tail.push(sse(undefined, { ...base, choices: [], usage: usageOf(turn) }));
  tail.push("data: [DONE]\n\n");
  return {
    head: [chunk({ role: "assistant", content: "" })],
    tokens,
    tail,
    content_type: "text/event-stream",
  };
}

/** `GET /models/{model}`. */
export function openAiModel(model: string): Record<string, unknown> {
  return { id: model, object: "model", created: 1735689600, owned_by: "fake" };
}

const ERROR_TYPES: Record<number, [type: string, code: string | null]> = {
  400: ["invalid_request_error", null],
  401: ["invalid_request_error", "invalid_api_key"],
  403: ["invalid_request_error", "unsupported_country_region_territory"],
  404: ["invalid_request_error", "model_not_found"],
  429: ["requests", "rate_limit_exceeded"],
};

/** The API's error body for a status. */
export function openAiError(status: number, message: string): Record<string, unknown> {
  const [type, code] = ERROR_TYPES[status] ?? ["server_error", null];
  return { error: { message, type, param: null, code } };
}

function wireCall(call: Call) {
  return {
    id: call.id,
    type: "function",
    function: { name: call.name, arguments: JSON.stringify(call.input) },
  };
}

function usageOf(turn: OpenAiTurn) {
  // OpenAI counts cached tokens inside prompt_tokens, and says how many in the details.
  const cached = turn.usage.cache_read_tokens ?? 0;
  const prompt = turn.usage.input_tokens + cached;
  return {
    prompt_tokens: prompt,
    completion_tokens: turn.usage.output_tokens,
    total_tokens: prompt + turn.usage.output_tokens,
    ...(cached > 0 ? { prompt_tokens_details: { cached_tokens: cached } } : {}),
  };
}
