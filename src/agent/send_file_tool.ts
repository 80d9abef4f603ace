/**
 * The LLM's `send_file` tool: a text file the model writes (a report, a CSV, some code) is
 * uploaded through the agent's XMPP server (XEP-0363) and sent to the conversation as a link
 * with an out-of-band attachment, as Conversations sends files. Refusals (no upload service,
 * a file too large) come back as error results the model can relay.
 *
 * @module
 */
import { mimeTypeFromFilename, sanitiseFilename } from "../attachments/mod.ts";
import type { ToolDefinition } from "../llm/mod.ts";
import { errorMessage } from "../log/mod.ts";
import type { UploadFile, XmppAction } from "../xmpp/mod.ts";
import type { ReplyTarget, ToolCall, ToolContext, ToolResult, ToolRunner } from "./turn.ts";

/** The tool's name. */
export const SEND_FILE_TOOL = "send_file";

/** What {@linkcode sendFileTool} needs. */
export interface SendFileOptions {
  /** Uploads a file; the URL it can be fetched from. Rejects with a reason to relay. */
  upload: (file: UploadFile) => Promise<string>;
  send: (action: XmppAction) => void;
}

const DEFINITION: ToolDefinition = {
  name: SEND_FILE_TOOL,
  description: "Send a file to the person (or room) you are answering: its text content is " +
    "uploaded and sent as a file they can open or save. Use it for documents, data or code " +
    "that are better as a file than in a message.",
  input_schema: {
    type: "object",
    properties: {
      name: { type: "string", description: 'The file name, with its extension, e.g. "report.md"' },
      content: { type: "string", description: "The file's content (text)" },
      media_type: {
        type: "string",
        description: 'The media type, e.g. "text/csv"; by default from the extension',
      },
    },
    required: ["name", "content"],
  },
};

/**
 * The `send_file` tool as a runner of its own (merged with the others by `toolSet`).
 *
 * @example
 * ```ts
 * const tools = toolSet(skills, sendFileTool({ upload, send }));
 * ```
 */
export function sendFileTool(options: SendFileOptions): ToolRunner {
  return {
    definitions: () => [DEFINITION],
    async call(call: ToolCall, context: ToolContext): Promise<ToolResult> {
      const result = (content: string, is_error = false) => ({
        tool_use_id: call.id,
        content,
        is_error,
      });
      const { name, content, media_type: mediaType } = call.input;
      if (typeof name !== "string" || name.trim() === "") {
        return result("send_file needs a file name", true);
      }
      if (typeof content !== "string") return result("send_file needs the content as text", true);
      if (
        mediaType !== undefined && (typeof mediaType !== "string" || !MEDIA_TYPE.test(mediaType))
      ) {
        return result('media_type must be a media type like "text/csv"', true);
      }
      const reply = context.reply;
      if (reply === undefined) return result("There is no conversation to send a file to", true);
      const filename = sanitiseFilename(name);
      const bytes = new TextEncoder().encode(content);
      const type = mediaType ?? textType(mimeTypeFromFilename(filename));
      let url: string;
      try {
        url = await uploadAndSend({ name: filename, bytes, type }, reply, options);
      } catch (error) {
        return result(
          `The file was not sent: ${errorMessage(error)}`,
          true,
        );
      }
      return result(`Sent "${filename}" (${bytes.length} bytes): ${url}`);
    },
  };
}

/**
 * Uploads a file and sends its URL, with an out-of-band link (XEP-0066), to `reply`.
 *
 * @returns The URL the file was sent as.
 * @throws What `options.upload` rejects with (nothing is sent then).
 */
export async function uploadAndSend(
  file: UploadFile,
  reply: ReplyTarget,
  options: SendFileOptions,
): Promise<string> {
  const url = await options.upload(file);
  options.send({ type: "message", body: url, oob: url, ...target(reply) });
  return url;
}

const MEDIA_TYPE = /^[\w.+-]+\/[\w.+-]+$/;

/** The content is text: a textual type gets its charset, anything unknown is plain text. */
function textType(type: string | undefined): string {
  if (type === undefined) return "text/plain; charset=utf-8";
  return type.startsWith("text/") ? `${type}; charset=utf-8` : type;
}

function target(reply: ReplyTarget) {
  return {
    to: reply.to,
    messageType: reply.messageType,
    ...(reply.from === undefined ? {} : { from: reply.from }),
    ...(reply.thread === undefined ? {} : { thread: reply.thread }),
  };
}
