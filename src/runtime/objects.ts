/**
 * A shallow copy of `base` with `key` set to `value`. Not `{ ...base, [key]: value }`: V8 turns an object spread that
 * then adds a property `base` lacks into a dictionary (about 520 B for an urql context instead of 160, and slower reads
 * in every exchange after it), while `Object.assign` onto a fresh object keeps fast properties. Measured per operation
 * by the bench's overhead table (`npm run bench -- runtime`).
 */
export function withEntry<T extends object>(base: T | null | undefined, key: string, value: unknown): T {
  const copy = Object.assign({}, base) as Record<string, unknown>;
  copy[key] = value;
  return copy as T;
}

/**
 * Deletes `key` from `record`, an object this package made for one request (a token leaving it once the answer is
 * back), and says whether it could. Deleting the entry added last keeps V8's fast layout and allocates nothing, so this
 * is cheaper than a copy without it; `false` (no record, or one another exchange froze) means: copy instead.
 */
export function deleteEntry(record: object | null | undefined, key: string): boolean {
  try {
    return delete (record as Record<string, unknown>)[key];
  } catch {
    return false;
  }
}
