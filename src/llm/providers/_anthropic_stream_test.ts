import assert from "node:assert/strict";
import { LlmError } from "../llm_error.ts";
import { readMessageStream } from "./_anthropic_stream.ts";

const event = (type: string, data: object) =>
  `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
const START = event("message_start", {
  message: {
    id: "m1",
    type: "message",
    role: "assistant",
    model: "claude-test",
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 12, output_tokens: 1, cache_read_input_tokens: 5 },
  },
});
const END = event("message_delta", {
  delta: { stop_reason: "end_turn", stop_sequence: null },
  usage: { output_tokens: 9 },
}) + event("message_stop", {});

/** A streamed answer that arrives in the given pieces. */
function answer(...pieces: string[]): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(encoder.encode(piece));
      controller.close();
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
}

Deno.test("readMessageStream() hands on each piece of text and keeps the final usage", async () => {
  const text = (t: string) =>
    event("content_block_delta", { index: 0, delta: { type: "text_delta", text: t } });
  const whole = START +
    event("content_block_start", { index: 0, content_block: { type: "text", text: "" } }) +
    event("ping", {}) + text("Hello") + text(", wörld") +
    event("content_block_stop", { index: 0 }) +
    END;
  // Cut anywhere, CRLF line ends: the same message.
  const cut = whole.replaceAll("\n", "\r\n");
  const pieces: string[] = [];
  const message = await readMessageStream(
    "anthropic",
    answer(cut.slice(0, 7), cut.slice(7, 301), cut.slice(301)),
    (piece) => pieces.push(piece),
  );
  assert.deepEqual(pieces, ["Hello", ", wörld"]);
  assert.deepEqual(message.content, [{ type: "text", text: "Hello, wörld" }]);
  assert.equal(message.stop_reason, "end_turn");
  assert.equal(message.model, "claude-test");
  assert.deepEqual(message.usage, {
    input_tokens: 12,
    output_tokens: 9,
    cache_read_input_tokens: 5,
  });
});

Deno.test("readMessageStream() assembles a tool call's input from its pieces", async () => {
  const json = (partial_json: string) =>
    event("content_block_delta", { index: 0, delta: { type: "input_json_delta", partial_json } });
  const message = await readMessageStream(
    "anthropic",
    answer(
      START,
      event("content_block_start", {
        index: 0,
        content_block: { type: "tool_use", id: "t1", name: "get_time", input: {} },
      }),
      json('{"zo'),
      json('ne": "UTC"}'),
      event("content_block_stop", { index: 0 }),
      END,
    ),
    () => {},
  );
  assert.deepEqual(message.content, [
    { type: "tool_use", id: "t1", name: "get_time", input: { zone: "UTC" } },
  ]);
});

Deno.test("readMessageStream() fails on an error event, an event not JSON, or no end", async () => {
  const failure = (response: Response) =>
    readMessageStream("anthropic", response, () => {}).then(
      () => assert.fail("it resolved"),
      (error: unknown) => {
        assert.ok(error instanceof LlmError, String(error));
        return error;
      },
    );
  const overloaded = await failure(
    answer(START, event("error", { error: { type: "overloaded_error", message: "busy" } })),
  );
  assert.equal(overloaded.kind, "overloaded");
  assert.match(overloaded.message, /error in the middle of its answer \(overloaded_error\)/);

  const html = await failure(answer(START, "data: <html>secret page</html>\n\n"));
  assert.match(html.message, /not its API's answer \(event 2 is not JSON\)/);
  assert.ok(!html.message.includes("secret"));
  assert.equal(html.retryable, true);

  const short = await failure(answer(START));
  assert.match(short.message, /ended its answer before it was complete/);
});
