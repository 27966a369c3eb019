/**
 * A Map bounded to `capacity` entries that evicts the least recently used one. Recency is the
 * Map's insertion order: `touch` re-inserts. Used for per-device state that must not grow without
 * limit when an area is full of random addresses.
 */
export class LruMap<K, V> {
  readonly #map = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`LRU capacity must be >= 1`);
  }

  get size(): number {
    return this.#map.size;
  }

  /** The value, without changing recency. */
  peek(key: K): V | undefined {
    return this.#map.get(key);
  }

  /** The value, marked most recently used. */
  get(key: K): V | undefined {
    const value = this.#map.get(key);
    if (value !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, value);
    }
    return value;
  }

  /** Stores `value` as most recently used, evicting the least recently used entry when full. */
  set(key: K, value: V): void {
    if (this.#map.has(key)) this.#map.delete(key);
    else if (this.#map.size >= this.capacity) {
      const oldest = this.#map.keys().next();
      if (!oldest.done) this.#map.delete(oldest.value);
    }
    this.#map.set(key, value);
  }

  delete(key: K): boolean {
    return this.#map.delete(key);
  }

  clear(): void {
    this.#map.clear();
  }
}
