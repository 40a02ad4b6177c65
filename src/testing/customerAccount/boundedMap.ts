/**
 * Sets `key` in `map`, then drops the oldest entries (insertion order) until at most `limit` remain: every map the
 * Customer Account emulator keeps is bounded by size, so a load run cannot grow it without end. An entry dropped
 * so is forgotten: a token or code in it answers as unknown, as an expired one would.
 *
 * @param limit - the most entries `map` may hold (at least 1).
 * @param dropped - called with each entry dropped for room.
 */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, limit: number, dropped?: (value: V) => void): void {
  map.delete(key);
  map.set(key, value);
  for (const [oldest, old] of map) {
    if (map.size <= limit) break;
    map.delete(oldest);
    dropped?.(old);
  }
}
