/**
 * Tiers forced per conversation by the `/tier` developer command. Kept in memory only: a
 * forced tier is a way to try a model, and one that silently outlived a restart (or a config
 * edit that removed the tier's model) would be a trap. A restart clears every choice.
 *
 * @module
 */
import type { TierRoute } from "./model_router.ts";
import { isTier, type Tier, TIERS } from "./tiers.ts";

/**
 * The tier each conversation is forced to, if any.
 *
 * @example
 * ```ts
 * const overrides = new TierOverrides(router);
 * overrides.force("alice@example.org", "light");
 * overrides.tierFor("alice@example.org", "vision"); // "light"
 * ```
 */
export class TierOverrides {
  #forced = new Map<string, Tier>();
  #routes: () => TierRoute[];

  /** @param router Where each tier's model comes from (for `/tier` to show) */
  constructor(router: { routes(): TierRoute[] }) {
    this.#routes = () => router.routes();
  }

  /**
   * The tier a call made to answer this conversation uses: the forced one, else its own.
   * Work that answers no one (compaction, memory flushes, summaries) keeps its own tier.
   *
   * @param conversation The conversation key: a bare JID or a room
   * @param own The tier the call site names
   */
  tierFor(conversation: string, own: string): string {
    return this.#forced.get(conversation) ?? own;
  }

  /** The tier forced for a conversation, if any. */
  forced(conversation: string): Tier | undefined {
    return this.#forced.get(conversation);
  }

  /**
   * Forces a tier for a conversation until {@linkcode TierOverrides.reset}.
   *
   * @throws {RangeError} when the name is not a tier
   */
  force(conversation: string, tier: string): void {
    if (!isTier(tier)) {
      throw new RangeError(
        `Unknown tier ${JSON.stringify(tier)}: expected one of ${TIERS.join(", ")}`,
      );
    }
    this.#forced.set(conversation, tier);
  }

  /** Lets each call use its own tier again; whether a tier was forced. */
  reset(conversation: string): boolean {
    return this.#forced.delete(conversation);
  }

  /** Every tier with its model and fallback chain. */
  routes(): TierRoute[] {
    return this.#routes();
  }
}
