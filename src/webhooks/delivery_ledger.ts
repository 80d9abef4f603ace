/**
 * The delivery ids each route has accepted, on disk, so that a sender's retry — the same
 * delivery id again, after a timeout, a 5xx, or the agent's restart — is recognised and not
 * delivered twice. The inbox cannot tell: it forgets an event once it is handled.
 *
 * The file is JSON Lines, one `{"route":"/hooks/ci","delivery":"…","event":"…"}` per accepted
 * delivery, appended synchronously. Each route keeps its most recent `maxPerRoute` ids
 * (older ones are forgotten: senders retry within hours, not after thousands of newer
 * deliveries); the file is rewritten with only those once it holds twice as many lines. A
 * line torn by a crash is skipped.
 *
 * @module
 */

/** The file operations of the ledger. */
export interface LedgerFile {
  /**
   * Appends all of `data` before returning.
   * @throws {Error} When it cannot be written (disk full, permissions).
   */
  appendSync(data: Uint8Array): void;
  /**
   * Replaces the whole file; a crash meanwhile leaves either the old file or the new one.
   * @throws {Error} When it cannot be written.
   */
  replaceSync(data: Uint8Array): void;
  /** The whole file; `null` when it does not exist. */
  read(): Promise<string | null>;
  /** Lets go of what is held open (at shutdown); an append after it opens the file again. */
  close(): void;
}

/** Options for {@linkcode DeliveryLedger.open}. */
export interface DeliveryLedgerOptions {
  /**
   * How many recent delivery ids each route remembers.
   * @default {10000}
   */
  maxPerRoute?: number;
}

const encoder = new TextEncoder();

/**
 * Remembers accepted delivery ids per route, across restarts.
 *
 * @example
 * ```ts
 * const ledger = await DeliveryLedger.open(denoLedgerFile(`${dataDir}/webhooks/deliveries.jsonl`));
 * ledger.lookup("/hooks/ci", "d-1"); // undefined: new
 * ledger.remember("/hooks/ci", "d-1", eventId);
 * ledger.lookup("/hooks/ci", "d-1"); // eventId
 * ```
 */
export class DeliveryLedger {
  #file: LedgerFile;
  #max: number;
  // Per route, delivery id → event id, oldest first (a Map keeps insertion order).
  #routes = new Map<string, Map<string, string>>();
  #kept = 0;
  #lines = 0;

  private constructor(file: LedgerFile, max: number) {
    this.#file = file;
    this.#max = max;
  }

  /**
   * Reads the ledger file (a missing one is an empty ledger).
   *
   * @throws {RangeError} When `maxPerRoute` is not a positive integer.
   */
  static async open(
    file: LedgerFile,
    options: DeliveryLedgerOptions = {},
  ): Promise<DeliveryLedger> {
    const max = options.maxPerRoute ?? 10_000;
    if (!Number.isInteger(max) || max < 1) {
      throw new RangeError(`Expected a positive integer for maxPerRoute, got ${max}`);
    }
    const ledger = new DeliveryLedger(file, max);
    const text = await file.read() ?? "";
    for (const line of text.split("\n")) {
      if (line === "") continue;
      ledger.#lines++;
      let entry: { route?: unknown; delivery?: unknown; event?: unknown } | null;
      try {
        entry = JSON.parse(line);
      } catch {
        continue; // A line torn by a crash.
      }
      // An edited line may be any JSON: `null` stopped the listener from starting.
      if (typeof entry !== "object" || entry === null) continue;
      const { route, delivery, event } = entry;
      if (typeof route === "string" && typeof delivery === "string" && typeof event === "string") {
        ledger.#keep(route, delivery, event);
      }
    }
    return ledger;
  }

  /** How many delivery ids are remembered, all routes together. */
  get size(): number {
    return this.#kept;
  }

  /**
   * The event id a delivery was accepted as, or `undefined` when it was never seen.
   *
   * @param route The route's path.
   * @param deliveryId The sender's delivery id.
   */
  lookup(route: string, deliveryId: string): string | undefined {
    return this.#routes.get(route)?.get(deliveryId);
  }

  /**
   * Writes down that a delivery was accepted, before returning.
   *
   * @throws {Error} When the file cannot be written; the id is remembered in memory all the
   * same (until the process ends).
   */
  remember(route: string, deliveryId: string, eventId: string): void {
    this.#keep(route, deliveryId, eventId);
    const line = JSON.stringify({ route, delivery: deliveryId, event: eventId });
    this.#file.appendSync(encoder.encode(`${line}\n`));
    this.#lines++;
    if (this.#lines >= 1000 && this.#lines >= 2 * this.#kept) this.#compact();
  }

  /** Closes the file at shutdown, once no more deliveries are accepted. */
  close(): void {
    this.#file.close();
  }

  #keep(route: string, deliveryId: string, eventId: string): void {
    let ids = this.#routes.get(route);
    if (ids === undefined) this.#routes.set(route, ids = new Map());
    if (ids.has(deliveryId)) return;
    ids.set(deliveryId, eventId);
    this.#kept++;
    if (ids.size > this.#max) {
      ids.delete(ids.keys().next().value!);
      this.#kept--;
    }
  }

  #compact(): void {
    const lines: string[] = [];
    for (const [route, ids] of this.#routes) {
      for (const [delivery, event] of ids) {
        lines.push(`${JSON.stringify({ route, delivery, event })}\n`);
      }
    }
    this.#file.replaceSync(encoder.encode(lines.join("")));
    this.#lines = lines.length;
  }
}
