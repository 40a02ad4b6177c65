/**
 * A map that forgets its oldest entries to stay within a number of entries and an estimate of the bytes they hold.
 * Every cache of the emulator is one, so no sequence of requests (distinct huge queries included) can grow the
 * heap past the sum of their budgets; a count alone would not do (eight cached 1 MB queries hold about 2 GB).
 */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, { value: V; bytes: number }>();
  private held = 0;

  /**
   * @param maxEntries - the most entries kept.
   * @param maxBytes - the most bytes kept, as estimated by the caller of {@link BoundedCache.set}; an entry
   * heavier than this on its own is not kept at all.
   */
  constructor(
    readonly maxEntries: number,
    readonly maxBytes: number,
  ) {}

  get(key: K): V | undefined {
    return this.entries.get(key)?.value;
  }

  /** Remembers `value` as weighing `bytes`, then forgets the oldest entries until both budgets hold. */
  set(key: K, value: V, bytes: number): void {
    this.delete(key);
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { value, bytes });
    this.held += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.held <= this.maxBytes && this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
      this.held -= entry.bytes;
    }
  }

  delete(key: K): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.held -= entry.bytes;
  }

  clear(): void {
    this.entries.clear();
    this.held = 0;
  }

  /** How many entries are kept. */
  get size(): number {
    return this.entries.size;
  }

  /** The estimated bytes kept. */
  get bytes(): number {
    return this.held;
  }
}
