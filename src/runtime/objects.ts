/**
 * A shallow copy of `base` with `entries` set on it. Not `{ ...base, key: value }`: V8 turns an object spread that then
 * adds a property `base` lacks into a dictionary (about 520 B for an urql context instead of 160, and slower reads in
 * every exchange after it), while `Object.assign` onto a fresh object keeps fast properties. Measured per operation by
 * the bench's overhead table (`npm run bench -- runtime`).
 */
export function extend<T extends object>(base: T | null | undefined, entries: object): T {
  return Object.assign(Object.assign({}, base), entries) as T;
}
