/**
 * Who of the agent's contacts is online, from the presence their servers send (RFC 6121 §4):
 * the resources each contact has available now. A contact the agent has heard nothing of is
 * neither online nor offline: unknown.
 *
 * @module
 */

/** What a presence changed for its contact. */
export type PresenceChange = "came online" | "went offline" | undefined;

/** The available resources of each contact. */
export class PresenceBook {
  #resources = new Map<string, Set<string>>();
  /** Contacts seen available since the last {@linkcode clear}. */
  #seen = new Set<string>();

  /**
   * Takes one presence.
   *
   * @param bare The contact's bare JID.
   * @param from The full JID (one resource).
   * @param available Whether that resource is available now.
   * @returns Whether the contact as a whole came online or went offline with it.
   */
  update(bare: string, from: string, available: boolean): PresenceChange {
    const known = this.#resources.get(bare);
    const before = known?.size ?? 0;
    const resources = known ?? new Set<string>();
    if (available) {
      resources.add(from);
      this.#seen.add(bare);
    } else resources.delete(from);
    this.#resources.set(bare, resources);
    if (before === 0 && resources.size > 0) return "came online";
    if ((before > 0 || known === undefined) && resources.size === 0) return "went offline";
    return undefined;
  }

  /** True only for a contact known to have no resource available (never for an unknown one). */
  isOffline(bare: string): boolean {
    const resources = this.#resources.get(bare);
    return resources !== undefined && resources.size === 0;
  }

  /** Whether `bare` was seen available since the last {@linkcode clear}. */
  seenAvailable(bare: string): boolean {
    return this.#seen.has(bare);
  }

  /** Forgets everything (the agent's own session went down: presence will be sent again). */
  clear(): void {
    this.#resources.clear();
    this.#seen.clear();
  }
}
