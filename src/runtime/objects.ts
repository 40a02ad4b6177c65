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
