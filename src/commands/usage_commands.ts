/**
 * `/usage`: this conversation's tokens today and this month, their estimated cost and what
 * its quota leaves; admins (`agent.admin_jids`) may ask `/usage <jid>` about another one.
 *
 * @module
 */
import { isBareJid, normaliseBareJid } from "../jid/mod.ts";
import type { Command } from "./command.ts";

/** What `/usage` reports from (the usage module's report). */
export interface UsageSource {
  /** The report of a conversation: a bare JID, or a room. */
  report(conversation: string): string;
}

/**
 * The `/usage` command.
 *
 * @param source The usage report
 */
export function usageCommands(source: UsageSource): Command[] {
  return [{
    name: "usage",
    summary: "Show the tokens used today and this month, their cost and what the quota leaves",
    run({ jid, args, rights }) {
      if (args === "") return Promise.resolve(source.report(jid));
      if (!isBareJid(args)) {
        return Promise.resolve(`"${args}" is not a bare JID. Usage: /usage [<jid>]`);
      }
      const other = normaliseBareJid(args);
      if (other !== jid && rights.admin !== true) {
        return Promise.resolve(
          "Only admins (agent.admin_jids) may see another conversation's usage. " +
            "Send /usage for this one.",
        );
      }
      return Promise.resolve(source.report(other));
    },
  }];
}
