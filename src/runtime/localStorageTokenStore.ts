import {
  isSignedOutMark,
  SIGNED_OUT,
  type SharedTokenStore,
  type SignedOutMark,
  type TokenRecord,
} from './coordination.js';
import { LIBRARY } from './errors.js';
import { judgeRecord, sameRecord, STORED } from './sessionStore.js';
import { isToken, storedToken, type Token } from './tokenStore.js';

/** The localStorage key when none is given. */
export const DEFAULT_TOKEN_KEY = 'storefront-customer-session:token';

/**
 * How long `compareAndSet` waits before it compares a token write, so that the writes other tabs made before it
 * was called have reached this tab's copy of `localStorage`.
 *
 * @remarks
 * Chromium delivers another tab's write 4–9 ms after it was made (measured with three tabs); 100 ms leaves a
 * wide margin and costs nothing that matters, since the session writes only to renew, sign out or repair.
 * Without the wait, three tabs with rotating tokens and no Web Locks lost the session in Chromium (two tabs
 * told to sign in again in ten renewals: each compared a `customer: null` against its stale copy). A
 * hidden tab's timers may run later (browsers throttle them to about once a second), which only lengthens the
 * margin; the session's store timeout (2 s by default) bounds the call either way.
 */
export const LOCAL_STORAGE_SETTLE_MS = 100;

/**
 * How long `compareAndSet` waits before it compares a sign-out mark write: twice {@link LOCAL_STORAGE_SETTLE_MS}.
 *
 * @remarks
 * A tab answered "invalid" (or `customer: null`) for a token the server rotated learns it within milliseconds
 * of the tab that renewed it, which then waits {@link LOCAL_STORAGE_SETTLE_MS} before it writes the new token:
 * the sign-out compares only after that write has reached this tab, however close together the two answers
 * came, so it finds the new token and signs nobody out.
 */
export const LOCAL_STORAGE_SIGN_OUT_SETTLE_MS = 2 * LOCAL_STORAGE_SETTLE_MS;

/** What a store of this package throws at a write of something that is neither a token nor a sign-out mark. */
export const NOT_A_RECORD = `${LIBRARY}: a token store was asked to write something that is not a token.`;

/**
 * A token store in the browser's `localStorage`, shared by every tab of the origin and following the
 * shared-store protocol (`read`, `compareAndSet` on the whole record, sign-out marks). Prefer
 * `indexedDbTokenStore()` for tabs; this one suits a single tab, or tokens that renewals keep (no rotation).
 *
 * @param key - the storage key; give each customer session of an origin its own.
 * @param storage - where to keep it. @defaultValue `globalThis.localStorage`, looked up on each call
 * @returns a {@link SharedTokenStore}: `read`, `get`, `set` and `clear` answer synchronously, `compareAndSet`
 * after {@link LOCAL_STORAGE_SETTLE_MS} (a token) or {@link LOCAL_STORAGE_SIGN_OUT_SETTLE_MS} (a sign-out).
 *
 * @remarks
 * `localStorage` has no transaction across tabs (browsers never built the spec's storage mutex), and each tab
 * reads its own copy, which learns of another tab's write a few milliseconds late. So `compareAndSet` waits
 * (100 ms for a token, 200 ms for a sign-out mark), then compares and writes in one synchronous step: a copy
 * that lagged when it was called has caught up, a renewal does not undo a sign-out made just before it, and a
 * tab answered "invalid" for a token another tab is replacing sees the replacement instead of signing every tab
 * out. What stays unsafe: two tabs whose writes fall within a few milliseconds of each other can both succeed
 * (the later one wins), and a tab whose copy lags longer than the wait (a very busy machine) compares against
 * old data. With `webLocksCoordination()` the session writes only
 * holding the lock and hands each change over, which covers both in practice; where the server rotates tokens
 * (the old one stops working when renewed) use `indexedDbTokenStore()`, whose compare-and-set is one
 * transaction. `clear()` writes a sign-out mark, so that no tab takes the missing token for lost data. Any
 * script of the origin can read `localStorage`, as it can read a token held in memory: keep the page free of
 * untrusted scripts. A value that is neither a token nor a mark reads as nothing; a storage that throws (full,
 * disabled) makes the session report a `store-failure` and keep the token in memory.
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
    return judgeRecord(value, STORED);
  };
  const write = (record: Token | SignedOutMark) => area().setItem(key, JSON.stringify(storedRecord(record)));
  return {
    read,
    get: () => {
      const record = read();
      return isToken(record) ? record : null;
    },
    set: write,
    clear: () => write(SIGNED_OUT),
    compareAndSet: (expected, next) =>
      new Promise<boolean>((resolve, reject) => {
        const value = storedRecord(next); // a TypeError rejects at once
        const wait = isToken(value) ? LOCAL_STORAGE_SETTLE_MS : LOCAL_STORAGE_SIGN_OUT_SETTLE_MS;
        setTimeout(() => {
          try {
            // From the read to the write nothing else runs in this tab: atomic here, not across tabs.
            if (!sameRecord(read(), expected)) return resolve(false);
            write(value);
            resolve(true);
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        }, wait);
      }),
  };
}

/** A plain copy of a record to store, or a `TypeError` for what is neither a token nor a mark (shared by the stores). */
export function storedRecord(record: Token | SignedOutMark): Token | SignedOutMark {
  if (isToken(record)) return storedToken(record);
  if (isSignedOutMark(record)) return SIGNED_OUT;
  throw new TypeError(NOT_A_RECORD);
}
