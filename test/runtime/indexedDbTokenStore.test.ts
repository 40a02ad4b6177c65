import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationError, indexedDbTokenStore } from '../../src/index.js';
import { SIGNED_OUT, type TokenRecord } from '../../src/runtime/coordination.js';
import { DEFAULT_DATABASE_NAME } from '../../src/runtime/indexedDbTokenStore.js';
import { NOT_A_RECORD } from '../../src/runtime/localStorageTokenStore.js';

// fake-indexeddb is IndexedDB as the spec describes it, in Node: transactions of several connections (one per
// tab here) are ordered the way a browser orders them. The real thing runs in Chromium in test/browser.

const A = { accessToken: 'tok-A', expiresAt: '2026-08-26T22:57:56Z' };
const B = { accessToken: 'tok-B', expiresAt: '2026-10-07T22:57:56Z' };
const C = { accessToken: 'tok-C', expiresAt: '2026-10-07T22:57:57Z' };

let factory: IDBFactory;

beforeEach(() => {
  factory = new IDBFactory(); // one origin's IndexedDB, fresh for each test
  vi.stubGlobal('indexedDB', factory);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

/** Writes `value` as the record, bypassing the store (another app, an older release, a corrupted value). */
async function putRaw(name: string, value: unknown): Promise<void> {
  await indexedDbTokenStore(name).read(); // creates the database and its object store
  const db = await new Promise<IDBDatabase>((resolve) => {
    const request = factory.open(name);
    request.onsuccess = () => resolve(request.result);
  });
  await new Promise<void>((resolve) => {
    const tx = db.transaction(db.objectStoreNames[0]!, 'readwrite');
    tx.objectStore(db.objectStoreNames[0]!).put(value, 'record');
    tx.oncomplete = () => resolve();
  });
  db.close();
}

describe('indexedDbTokenStore', () => {
  it('keeps one record shared by every store of that name (every tab), and clear() writes a sign-out mark', async () => {
    const [tab1, tab2] = [indexedDbTokenStore(), indexedDbTokenStore()];
    expect(await tab1.read()).toBeNull();
    expect(await tab1.get()).toBeNull();
    await tab1.set({ ...A, __typename: 'CustomerAccessToken' } as typeof A);
    expect(await tab2.read()).toEqual(A);
    expect(await tab2.get()).toEqual(A);
    await tab2.clear();
    expect(await tab1.read()).toEqual(SIGNED_OUT);
    expect(await tab1.get()).toBeNull();
    expect((await factory.databases()).map((db) => db.name)).toEqual([DEFAULT_DATABASE_NAME]);
    const other = indexedDbTokenStore('another-customer');
    expect(await other.read()).toBeNull();
  });

  it('compares and sets the whole record: a token (both fields), any mark, or nothing', async () => {
    const store = indexedDbTokenStore();
    expect(await store.compareAndSet(A, B)).toBe(false);
    expect(await store.read()).toBeNull();
    expect(await store.compareAndSet(null, A)).toBe(true);
    expect(await store.compareAndSet(null, B)).toBe(false);
    expect(await store.compareAndSet({ ...A, expiresAt: '2026-08-27T00:00:00Z' }, B)).toBe(false);
    expect(await store.compareAndSet(SIGNED_OUT, B)).toBe(false);
    expect(await store.compareAndSet(A, B)).toBe(true);
    expect(await store.get()).toEqual(B);
    expect(await store.compareAndSet(A, SIGNED_OUT)).toBe(false);
    expect(await store.compareAndSet(B, { signedOut: true })).toBe(true);
    expect(await store.read()).toEqual(SIGNED_OUT);
    expect(await store.compareAndSet(null, A)).toBe(false); // a sign-out is not lost data
    expect(await store.compareAndSet({ signedOut: true }, A)).toBe(true);
    expect(await store.read()).toEqual(A);
  });

  it('lets exactly one of many tabs racing from the same record win, whatever their interleaving', async () => {
    const tabs = Array.from({ length: 12 }, () => indexedDbTokenStore());
    await tabs[0]!.set(A);
    const nexts = tabs.map((_, i) => ({ accessToken: `tok-${i}`, expiresAt: B.expiresAt }));
    const won = await Promise.all(tabs.map((tab, i) => tab.compareAndSet(A, i % 3 === 0 ? SIGNED_OUT : nexts[i]!)));
    expect(won.filter(Boolean)).toHaveLength(1);
    const winner = won.indexOf(true);
    expect(await tabs[5]!.read()).toEqual(winner % 3 === 0 ? SIGNED_OUT : nexts[winner]);
  });

  it('does not sign every tab out for a tab that was answered "invalid" for a token another tab replaced', async () => {
    const [renewer, late] = [indexedDbTokenStore(), indexedDbTokenStore()];
    await renewer.set(A);
    expect(await late.read()).toEqual(A); // the late tab found A due and renewed it too
    expect(await renewer.compareAndSet(A, B)).toBe(true); // the server rotated A to B
    expect(await late.compareAndSet(A, SIGNED_OUT)).toBe(false); // "invalid" for A: but the store holds B
    expect(await late.read()).toEqual(B);
  });

  it('reads anything that is neither a token nor a mark as nothing', async () => {
    const store = indexedDbTokenStore('raw');
    const values: [unknown, TokenRecord][] = [
      ['tok-A', null],
      [{ accessToken: '', expiresAt: A.expiresAt }, null],
      [{ signedOut: 'true' }, null],
      [42, null],
      [{ ...C, extra: 1 }, C],
      [{ signedOut: true, at: 1 }, SIGNED_OUT],
    ];
    for (const [value, record] of values) {
      await putRaw('raw', value);
      expect(await store.read()).toEqual(record);
    }
  });

  it('refuses to write what is neither a token nor a mark, writing nothing', async () => {
    const store = indexedDbTokenStore();
    await store.set(A);
    await expect(store.set({ accessToken: '', expiresAt: 'x' })).rejects.toThrow(NOT_A_RECORD);
    await expect(store.compareAndSet(A, { signedOut: false } as never)).rejects.toThrow(TypeError);
    expect(await store.read()).toEqual(A);
  });

  it('never throws synchronously: without IndexedDB every call rejects, naming the package', async () => {
    vi.stubGlobal('indexedDB', undefined);
    const store = indexedDbTokenStore();
    const calls = [store.read(), store.get(), store.set(A), store.clear(), store.compareAndSet(null, A)];
    for (const call of calls) await expect(call).rejects.toThrow(/^storefront-customer-session: .*not available/);
  });

  it('rejects when the database cannot be opened, and tries again on the next call', async () => {
    const denied = new DOMException('The user denied permission to access the database.', 'InvalidStateError');
    let refuse = 2;
    vi.stubGlobal('indexedDB', {
      open(name: string) {
        if (refuse-- === 2) throw denied; // an old private window: open() throws
        if (refuse === 0) {
          const request = { error: denied } as { error: DOMException; onerror?: () => void };
          setTimeout(() => request.onerror?.());
          return request;
        }
        return factory.open(name);
      },
    });
    const store = indexedDbTokenStore();
    await expect(store.read()).rejects.toThrow('could not be opened (InvalidStateError');
    await expect(store.set(A)).rejects.toThrow(/InvalidStateError/);
    await store.set(A);
    expect(await store.read()).toEqual(A);
  });

  it('rejects an open blocked by another tab, and closes the connection if it opens after all', async () => {
    const close = vi.fn();
    const request = { result: { close } } as unknown as IDBOpenDBRequest;
    vi.stubGlobal('indexedDB', { open: () => request });
    const read = indexedDbTokenStore().read();
    request.onblocked!({} as IDBVersionChangeEvent);
    await expect(read).rejects.toThrow('blocked by another tab');
    request.onsuccess!({} as Event);
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('lets another tab upgrade the database, and reopens on its next call', async () => {
    const store = indexedDbTokenStore();
    await store.set(A);
    const upgraded = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open(DEFAULT_DATABASE_NAME, 2); // blocked unless this tab closes its connection
      request.onblocked = () => reject(new Error('blocked'));
      request.onsuccess = () => resolve(request.result);
    });
    upgraded.close();
    expect(await store.read()).toEqual(A);
  });

  it('adds its object store back when another script upgraded the database without it', async () => {
    const store = indexedDbTokenStore();
    await store.set(A);
    const upgraded = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = factory.open(DEFAULT_DATABASE_NAME, 5);
      request.onupgradeneeded = () => request.result.deleteObjectStore(request.result.objectStoreNames[0]!);
      request.onblocked = () => reject(new Error('blocked'));
      request.onsuccess = () => resolve(request.result);
    });
    upgraded.close();
    expect(await store.read()).toBeNull(); // lost data, which the session writes back
    expect(await store.compareAndSet(null, A)).toBe(true);
    expect(await indexedDbTokenStore().read()).toEqual(A);
  });

  it('names the fix when the browser denies IndexedDB to the page (an opaque origin)', async () => {
    const denied = new DOMException('access to the Indexed Database API is denied in this context.', 'SecurityError');
    vi.stubGlobal('indexedDB', {
      open: () => {
        throw denied;
      },
    });
    await expect(indexedDbTokenStore().read()).rejects.toThrow(
      /denies IndexedDB to this page \(SecurityError: .*\): serve the page from its own origin .*another store/,
    );
  });

  it('fails at construction on an empty name', () => {
    expect(() => indexedDbTokenStore('')).toThrow(ConfigurationError);
    expect(() => indexedDbTokenStore(42 as never)).toThrow(/non-empty database name/);
  });
});
