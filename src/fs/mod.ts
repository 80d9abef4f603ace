/**
 * Small file helpers shared by the folders that keep files of their own in the data
 * directory (the usage ledger, the inbox, the webhook delivery ledger).
 *
 * @module
 */
export { AppendHandle, type AppendHandleOptions, endsWithNewline } from "./append_handle.ts";
