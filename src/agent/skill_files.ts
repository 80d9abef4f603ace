/**
 * Files that skills return, sent like the LLM's own `send_file`: a skill's result may carry a
 * file, which is uploaded through the server (XEP-0363) and sent to whom the turn answers,
 * while the LLM reads that it was sent, and where. The skill gains no permission for it: the
 * upload is the agent's, after the sandbox has ended.
 *
 * @module
 */
import { mimeTypeFromFilename, sanitiseFilename } from "../attachments/mod.ts";
import type { CallContext, SkillFile } from "../skills/mod.ts";
import { type SendFileOptions, uploadAndSend } from "./send_file_tool.ts";
import type { ToolCall, ToolContext, ToolResult, ToolRunner } from "./turn.ts";

/**
 * The skills' runner, able to send the files their results carry. Without this wrapper (or
 * in a turn that answers no one) a returned file is an error result, and nothing is sent.
 *
 * @param skills The skills' runner (absent when there are no skills).
 * @param options How files are uploaded and sent.
 * @returns The runner, or `undefined` when `skills` is.
 */
export function withSkillFiles(
  skills: ToolRunner | undefined,
  options: SendFileOptions,
): ToolRunner | undefined {
  if (skills === undefined) return undefined;
  return {
    definitions: () => skills.definitions(),
    ...(skills.tierOf === undefined ? {} : { tierOf: (name: string) => skills.tierOf?.(name) }),
    call(call: ToolCall, context: ToolContext): Promise<ToolResult> {
      const reply = context.reply;
      const sendFile = reply === undefined ? undefined : (file: SkillFile) =>
        uploadAndSend(
          {
            name: sanitiseFilename(file.name),
            bytes: file.bytes,
            type: file.mediaType ?? mimeTypeFromFilename(file.name) ?? "application/octet-stream",
          },
          reply,
          options,
        );
      const withFiles: ToolContext & CallContext = { ...context, sendFile };
      return skills.call(call, withFiles);
    },
  };
}
