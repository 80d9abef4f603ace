/**
 * A `Map` bounded by count that forgets the least recently used key first, so the
 * caches of a long-running agent stay bounded however many conversations it meets.
 *
 * @module
 */

/** A bounded map in least-recently-used order; `get` counts as a use. */
export class LruMap<K, V> {
  #map = new Map<K, V>();
  #capacity: number;

  /** @param capacity The most entries kept (0 keeps none). */
  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** Number of entries. */
  get size(): number {
    return this.#map.size;
  }

  /** The value of `key`, marked as most recently used. */
  get(key: K): V | undefined {
    const value = this.#map.get(key);
    if (value !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, value);
    }
    return value;
  }

  /**
   * Sets `key` as most recently used.
   *
   * @returns The entries pushed out to stay within the capacity, oldest first.
   */
  set(key: K, value: V): [K, V][] {
    this.#map.delete(key);
    this.#map.set(key, value);
    const evicted: [K, V][] = [];
    for (const entry of this.#map) {
      if (this.#map.size <= this.#capacity) break;
      this.#map.delete(entry[0]);
      evicted.push(entry);
    }
    return evicted;
  }

  /** Removes `key`; its value, if it had one. */
  delete(key: K): V | undefined {
    const value = this.#map.get(key);
    this.#map.delete(key);
    return value;
  }

  /** Removes every entry and returns them. */
  clear(): [K, V][] {
    const entries = [...this.#map];
    this.#map.clear();
    return entries;
  }
}
