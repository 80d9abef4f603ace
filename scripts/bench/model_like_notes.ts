/**
 * The fake LLM's answers to the context's own calls, as a model would give them: a memory
 * flush finds one fact, a summary is one line. The fake's echo returns the whole transcript to
 * both, so `memory.md`, which every prompt carries, takes every message as a fact and stays at
 * its token budget: the bench would measure its own echo (every request carrying 4,000 tokens
 * of "facts" a model would never note). Chat messages get the default echo.
 *
 * @module
 */
import type { FakeCall, FakeReply } from "../../tests/support/fake_llm.ts";

/** Give it to the fake's `script()`. */
export function modelLikeNotes({ request, last_user_text }: FakeCall): FakeReply {
  const system = JSON.stringify((request.body as { system?: unknown } | undefined)?.system ?? "");
  if (system.includes("durable facts")) {
    return { text: `- The person sent messages of ${last_user_text.length} characters in all` };
  }
  if (last_user_text.includes("Messages to add to the summary")) {
    return { text: "The person sent numbered messages; the assistant echoed each." };
  }
  return undefined;
}
