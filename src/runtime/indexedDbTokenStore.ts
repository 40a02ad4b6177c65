import { SIGNED_OUT, type SharedTokenStore, type SignedOutMark, type TokenRecord } from './coordination.js';
import { invalid, LIBRARY } from './errors.js';
import { storedRecord } from './localStorageTokenStore.js';
import { judgeRecord, sameRecord, STORED } from './sessionStore.js';
import { isToken, type Token } from './tokenStore.js';

/** The IndexedDB database name when none is given: one customer per origin. */
export const DEFAULT_DATABASE_NAME = 'storefront-customer-session';

/** The object store inside the database, and the key of the one record in it. */
const OBJECT_STORE = 'customer-token';
const RECORD_KEY = 'record';

/**
 * A token store in the browser's IndexedDB, shared by every tab of the origin: the store for tabs, paired with
 * `webLocksCoordination()`.
 *
 * @param name - the database name; give each customer session of an origin its own.
 * @returns a {@link SharedTokenStore} whose every method answers with a promise and never throws.
 *
 * @remarks
 * IndexedDB transactions are consistent across tabs (the browser runs them in one place, in order), which
 * `localStorage` is not: `compareAndSet` reads, compares and writes in one `readwrite` transaction, so no
 * other tab's write falls in between and no tab compares against a stale copy; `read` runs in a `readonly`
 * one, which sees every transaction committed before it. The record is a token, a sign-out mark
 * (`{ signedOut: true }`, which `clear()` writes) or absent. The database opens on first use; when it cannot
 * (a private window that refuses IndexedDB, an open blocked by another tab's old connection, no IndexedDB at
 * all) the call rejects, the session reports a `store-failure` and keeps the token in memory, and the next
 * call tries again. Another tab upgrading the database closes this tab's connection, which reopens on next use;
 * a database upgraded without this store's object store (another script, another release) gets it back with one
 * more upgrade, its record then nothing (lost data, which the session writes back).
 * Any script of the origin can read IndexedDB, as it can read a token held in memory: keep the page free of
 * untrusted scripts.
 * @example
 * ```ts
 * customerTokenExchange({ store: indexedDbTokenStore(), coordination: webLocksCoordination() });
 * ```
 */
export function indexedDbTokenStore(name: string = DEFAULT_DATABASE_NAME): SharedTokenStore {
  if (typeof name !== 'string' || name === '') throw invalid('name', name, 'Expected a non-empty database name.');
  let connection: Promise<IDBDatabase> | undefined;
  /** The open connection, opened on first use and again after it failed or ended. */
  const database = () => {
    if (connection) return connection;
    const opening = open(name, () => forget(opening));
    opening.catch(() => forget(opening));
    return (connection = opening);
  };
  const forget = (which: Promise<IDBDatabase>) => {
    if (connection === which) connection = undefined;
  };

  /** Runs `work` in one transaction; resolves with what it answered once the transaction committed. */
  const transaction = <T>(
    mode: IDBTransactionMode,
    work: (store: IDBObjectStore, answer: (value: T) => void) => void,
  ) => {
    const opened = database();
    return opened.then(
      (db) =>
        new Promise<T>((resolve, reject) => {
          let tx: IDBTransaction;
          try {
            tx = db.transaction(OBJECT_STORE, mode);
          } catch (error) {
            forget(opened); // e.g. closed under us: reopen next time
            throw failure('a transaction could not start', error);
          }
          let value: T;
          tx.oncomplete = () => resolve(value);
          tx.onerror = tx.onabort = () => reject(failure('a transaction failed', tx.error));
          work(tx.objectStore(OBJECT_STORE), (answer) => (value = answer));
        }),
    );
  };
  const read = () =>
    transaction<TokenRecord>('readonly', (store, answer) => {
      const request = store.get(RECORD_KEY);
      request.onsuccess = () => answer(judgeRecord(request.result, STORED));
    });
  const write = (record: Token | SignedOutMark) =>
    transaction<void>('readwrite', (store) => void store.put(storedRecord(record), RECORD_KEY));

  return {
    read,
    get: () => read().then((record) => (isToken(record) ? record : null)),
    set: (token) => write(token),
    clear: () => write(SIGNED_OUT),
    compareAndSet: (expected, next) =>
      transaction<boolean>('readwrite', (store, answer) => {
        const value = storedRecord(next); // throws before anything is read: the transaction commits empty
        const request = store.get(RECORD_KEY);
        request.onsuccess = () => {
          // Still inside the transaction: no other tab's write can come between this read and the put.
          const same = sameRecord(judgeRecord(request.result, STORED), expected);
          if (same) store.put(value, RECORD_KEY);
          answer(same);
        };
      }),
  };
}

/**
 * Opens (creating on first use) the database; `ended` is called when the browser or another tab closes it.
 * `version` is given only to add the object store to a database that lacks it (see below).
 */
function open(name: string, ended: () => void, version?: number): Promise<IDBDatabase> {
  return new Promise<IDBDatabase>((resolve, reject) => {
    const fail = (why: string, cause?: unknown) => reject(failure(why, cause));
    if (typeof indexedDB !== 'object' || indexedDB === null) return fail('IndexedDB is not available here');
    let request: IDBOpenDBRequest;
    try {
      // No version: a newer release that upgrades it must not lock this one out.
      request = version === undefined ? indexedDB.open(name) : indexedDB.open(name, version);
    } catch (error) {
      // An opaque origin (a sandboxed iframe without allow-same-origin, a data: URL) throws SecurityError here, on
      // every call: say what to change, not only that it failed. An old private window throws here too.
      if ((error as { name?: unknown } | null)?.name !== 'SecurityError')
        return fail('the database could not be opened', error);
      return reject(failure('the browser denies IndexedDB to this page', error, DENIED_FIX));
    }
    let settled = false;
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(OBJECT_STORE)) request.result.createObjectStore(OBJECT_STORE);
    };
    request.onsuccess = () => {
      const db = request.result;
      if (settled) return db.close(); // opened after all, once the caller had been told it was blocked
      settled = true;
      if (version === undefined && !db.objectStoreNames.contains(OBJECT_STORE)) {
        // Another script or release upgraded the database without this store (or made it under this name first):
        // every transaction would throw NotFoundError in every tab, for good. Upgrade it once more to add the
        // store; the record is then nothing (lost data), which the session writes back.
        db.close();
        return void open(name, ended, db.version + 1).then(resolve, reject);
      }
      db.onversionchange = () => {
        db.close(); // let another tab upgrade; this tab reopens on its next call
        ended();
      };
      db.onclose = ended; // closed by the browser (storage cleared, disk error)
      resolve(db);
    };
    request.onerror = () => {
      if (!settled) fail('the database could not be opened', request.error);
      settled = true;
    };
    request.onblocked = () => {
      if (!settled) fail('opening the database is blocked by another tab');
      settled = true;
    };
  });
}

/** What to change when the browser denies IndexedDB to the page (a `SecurityError` from `indexedDB.open`). */
const DENIED_FIX =
  'serve the page from its own origin (not a sandboxed iframe without allow-same-origin, nor a data: URL), ' +
  'or give customerTokenExchange another store there';

/**
 * A store failure naming the package, what failed and, when known, the fix (IndexedDB errors never carry the
 * record's values).
 */
function failure(why: string, cause?: unknown, fix?: string): Error {
  const { name, message } = (cause ?? {}) as { name?: unknown; message?: unknown };
  const detail = typeof name === 'string' && typeof message === 'string' ? ` (${name}: ${message})` : '';
  return new Error(`${LIBRARY}: indexedDbTokenStore: ${why}${detail}${fix ? `: ${fix}` : ''}.`, { cause });
}
