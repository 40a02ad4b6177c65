import { isSignedOutMark, SIGNED_OUT, type SharedTokenStore, type TokenRecord } from './coordination.js';
import { sameRecord } from './sessionStore.js';
import { isToken, type Token } from './tokenStore.js';

/** The localStorage key when none is given. */
export const DEFAULT_TOKEN_KEY = 'storefront-customer-session:token';

/**
 * A synchronous token store in the browser's `localStorage`, shared by every tab of the origin: pair it with
 * `webLocksCoordination()` so that the tabs renew once between them.
 *
 * @param key - the storage key; give each customer session of an origin its own.
 * @param storage - where to keep it. @defaultValue `globalThis.localStorage`, looked up on each call
 * @returns a store with `compareAndSet`, so a write does not replace a token stored meanwhile.
 *
 * @remarks
 * Any script of the origin can read `localStorage`, as it can read a token held in memory: keep the page
 * free of untrusted scripts. A value that is not a token reads as signed out; a storage that throws (full,
 * disabled) makes the exchange report a `store-failure` and keep the token in memory.
 * @example
 * ```ts
 * customerTokenExchange({ store: localStorageTokenStore(), coordination: webLocksCoordination() });
 * ```
 */
export function localStorageTokenStore(key: string = DEFAULT_TOKEN_KEY, storage?: Storage): SharedTokenStore {
  const area = () => storage ?? globalThis.localStorage;
  const read = (): TokenRecord => {
    let value: unknown = null;
    try {
      value = JSON.parse(area().getItem(key) ?? 'null');
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error; // an unreadable storage is a store failure
    }
    if (isSignedOutMark(value)) return SIGNED_OUT;
    return isToken(value) ? { accessToken: value.accessToken, expiresAt: value.expiresAt } : null;
  };
  const write = (record: Token | typeof SIGNED_OUT) =>
    area().setItem(
      key,
      JSON.stringify(isToken(record) ? { accessToken: record.accessToken, expiresAt: record.expiresAt } : SIGNED_OUT),
    );
  return {
    read,
    get: () => {
      const record = read();
      return isToken(record) ? record : null;
    },
    set: write,
    clear: () => write(SIGNED_OUT),
    // Atomic within a tab (synchronous from read to write). Across tabs localStorage has no transaction
    // (browsers never built the spec's storage mutex): there the renewal lock orders the writes.
    compareAndSet(expected, next) {
      if (!sameRecord(read(), expected)) return false;
      write(next);
      return true;
    },
  };
}
