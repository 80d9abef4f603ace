/**
 * `session.carry_over`: the memory the agent uses, with its `archive` (a `/new`, or an idle
 * timeout) summarising the finished session into `context.md` first. A failed summary never
 * keeps the session from being archived: it is logged, and the archive goes ahead.
 *
 * @module
 */
import { errorMessage, type Logger } from "../log/mod.ts";
import type { ConversationRef } from "../memory/mod.ts";

/**
 * The same memory, with an archive that carries the session over first.
 *
 * @param memory The store (its other methods are untouched).
 * @param context Writes the summary (`ContextManager.carryOver`).
 * @param options Which conversations are rooms; where failures go.
 */
export function withCarryOver<T extends { archive(ref: ConversationRef): Promise<string | null> }>(
  memory: T,
  context: { carryOver(ref: ConversationRef, room: boolean): Promise<boolean> },
  options: { isRoom: (jid: string) => boolean; log: Logger },
): T {
  const archive = async (ref: ConversationRef): Promise<string | null> => {
    const jid = typeof ref === "string" ? ref : ref.jid;
    try {
      await context.carryOver(ref, options.isRoom(jid));
    } catch (error) {
      options.log.warn(
        `Could not carry the session of ${jid} over into context.md: ${errorMessage(error)}`,
      );
    }
    return await memory.archive(ref);
  };
  return new Proxy(memory, {
    get(target, property) {
      if (property === "archive") return archive;
      const value = Reflect.get(target, property, target);
      // The store's methods use its private fields: they run on the store itself.
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
