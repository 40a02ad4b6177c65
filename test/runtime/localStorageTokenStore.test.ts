import { afterEach, describe, expect, it, vi } from 'vitest';
import { localStorageTokenStore } from '../../src/index.js';
import { SIGNED_OUT } from '../../src/runtime/coordination.js';
import {
  DEFAULT_TOKEN_KEY,
  LOCAL_STORAGE_SETTLE_MS,
  LOCAL_STORAGE_SIGN_OUT_SETTLE_MS,
  NOT_A_RECORD,
} from '../../src/runtime/localStorageTokenStore.js';

const A = { accessToken: 'tok-A', expiresAt: '2026-08-26T22:57:56Z' };
const B = { accessToken: 'tok-B', expiresAt: '2026-09-01T00:00:00Z' };

/** A Map-backed Storage, like one origin's localStorage. */
function memoryStorage(): Storage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    get length() {
      return map.size;
    },
    key: (index) => [...map.keys()][index] ?? null,
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, String(value)),
    removeItem: (key) => void map.delete(key),
    clear: () => map.clear(),
  };
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('localStorageTokenStore', () => {
  it('keeps the token under its key, shared by every store on that storage (every tab)', () => {
    const storage = memoryStorage();
    const tab1 = localStorageTokenStore('customer', storage);
    const tab2 = localStorageTokenStore('customer', storage);
    expect(tab1.get()).toBeNull();
    // A cache's __typename is dropped; a token kind's own fields (a refresh token) are kept, see tokenStore.test.ts.
    tab1.set({ ...A, __typename: 'CustomerAccessToken' } as typeof A);
    expect(tab2.get()).toEqual(A);
    expect(JSON.parse(storage.map.get('customer')!)).toEqual(A);
    tab2.clear();
    expect(tab1.get()).toBeNull();
    // A sign-out is recorded as such, so that no tab takes it for lost data and writes its token back.
    expect(tab1.read()).toEqual(SIGNED_OUT);
    expect(storage.map.get('customer')).toBe('{"signedOut":true}');
  });

  it('uses globalThis.localStorage and a default key when given none', () => {
    const storage = memoryStorage();
    vi.stubGlobal('localStorage', storage);
    localStorageTokenStore().set(A);
    expect(storage.map.get(DEFAULT_TOKEN_KEY)).toBe(JSON.stringify(A));
  });

  it('reads a token, a sign-out mark, or nothing for anything else', () => {
    const storage = memoryStorage();
    const store = localStorageTokenStore('k', storage);
    expect(store.read()).toBeNull();
    for (const value of ['{not json', '"a string"', '{"accessToken":""}', '{"signedOut":1}', '42', 'null']) {
      storage.setItem('k', value);
      expect([store.read(), store.get()]).toEqual([null, null]);
    }
    storage.setItem('k', JSON.stringify({ ...A, __typename: 'CustomerAccessToken' }));
    expect([store.read(), store.get()]).toEqual([A, A]);
    storage.setItem('k', '{"signedOut":true,"at":1}');
    expect([store.read(), store.get()]).toEqual([SIGNED_OUT, null]);
  });

  it('refuses to write what is neither a token nor a mark (it would read back as nothing)', async () => {
    const storage = memoryStorage();
    const store = localStorageTokenStore('k', storage);
    store.set(A);
    expect(() => store.set({ accessToken: '', expiresAt: 'x' })).toThrow(NOT_A_RECORD);
    vi.useFakeTimers();
    const refused = expect(store.compareAndSet(A, { signedOut: false } as never)).rejects.toThrow(TypeError);
    await vi.advanceTimersByTimeAsync(LOCAL_STORAGE_SETTLE_MS);
    await refused;
    expect(store.read()).toEqual(A);
  });

  it('lets a storage failure through, for the exchange to report as a store failure', () => {
    const denied = Object.assign(new Error('The operation is insecure.'), { name: 'SecurityError' });
    const store = localStorageTokenStore('k', {
      ...memoryStorage(),
      getItem: () => {
        throw denied;
      },
      setItem: () => {
        throw Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
      },
    });
    expect(() => store.get()).toThrow(denied);
    expect(() => store.set(A)).toThrow('quota');
  });

  it('compares and sets the whole record: a token (both fields), any mark, or nothing', async () => {
    vi.useFakeTimers();
    const store = localStorageTokenStore('k', memoryStorage());
    const cas = async (expected: Parameters<typeof store.compareAndSet>[0], next: typeof A | typeof SIGNED_OUT) => {
      const answer = store.compareAndSet(expected, next);
      await vi.advanceTimersByTimeAsync(LOCAL_STORAGE_SIGN_OUT_SETTLE_MS);
      return answer;
    };
    expect(await cas(A, B)).toBe(false);
    expect(store.read()).toBeNull();
    expect(await cas(null, A)).toBe(true);
    expect(await cas(null, B)).toBe(false);
    expect(await cas({ ...A, expiresAt: '2026-08-27T00:00:00Z' }, B)).toBe(false); // same string, other expiry
    expect(await cas(SIGNED_OUT, B)).toBe(false);
    expect(await cas(A, B)).toBe(true);
    expect(store.get()).toEqual(B);
    expect(await cas(A, SIGNED_OUT)).toBe(false);
    expect(await cas(B, SIGNED_OUT)).toBe(true);
    expect(store.read()).toEqual(SIGNED_OUT);
    expect(await cas(null, A)).toBe(false); // a sign-out is not lost data
    expect(await cas({ signedOut: true }, A)).toBe(true);
    expect(store.get()).toEqual(A);
  });

  it('compares a token write 100 ms after the call, a sign-out 200 ms after, writing nothing before', async () => {
    vi.useFakeTimers();
    expect([LOCAL_STORAGE_SETTLE_MS, LOCAL_STORAGE_SIGN_OUT_SETTLE_MS]).toEqual([100, 200]);
    const storage = memoryStorage();
    const store = localStorageTokenStore('k', storage);
    store.set(A);
    const renewal = store.compareAndSet(A, B);
    await vi.advanceTimersByTimeAsync(LOCAL_STORAGE_SETTLE_MS - 1);
    expect(store.read()).toEqual(A);
    await vi.advanceTimersByTimeAsync(1);
    expect(await renewal).toBe(true);
    const signOut = store.compareAndSet(B, SIGNED_OUT);
    await vi.advanceTimersByTimeAsync(LOCAL_STORAGE_SIGN_OUT_SETTLE_MS - 1);
    expect(store.read()).toEqual(B);
    await vi.advanceTimersByTimeAsync(1);
    expect(await signOut).toBe(true);
    expect(store.read()).toEqual(SIGNED_OUT);
  });

  it('does not sign every tab out for a tab whose copy still shows the token another tab is replacing', async () => {
    vi.useFakeTimers();
    // Two tabs' copies of one origin's localStorage; a write reaches the other copy 9 ms later, as in Chromium.
    const [copy1, copy2] = [memoryStorage(), memoryStorage()];
    const propagate = (from: Storage, to: Storage) => ({
      ...from,
      setItem(key: string, value: string) {
        from.setItem(key, value);
        setTimeout(() => to.setItem(key, value), 9);
      },
    });
    const renewer = localStorageTokenStore('k', propagate(copy1, copy2));
    const bystander = localStorageTokenStore('k', propagate(copy2, copy1));
    renewer.set(A);
    await vi.advanceTimersByTimeAsync(9);
    // The server rotated A to B: the renewer was answered B and writes it; the bystander, answered
    // `customer: null` for A a moment later, signs out for A only if its copy still holds A when it compares.
    const renewal = renewer.compareAndSet(A, B);
    await vi.advanceTimersByTimeAsync(5);
    const signOut = bystander.compareAndSet(A, SIGNED_OUT);
    await vi.advanceTimersByTimeAsync(LOCAL_STORAGE_SIGN_OUT_SETTLE_MS);
    expect([await renewal, await signOut]).toEqual([true, false]);
    await vi.advanceTimersByTimeAsync(9);
    expect([renewer.read(), bystander.read()]).toEqual([B, B]); // every tab stays signed in
  });

  it('rejects a compare-and-set when the storage throws, writing nothing', async () => {
    vi.useFakeTimers();
    const quota = Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
    const storage = memoryStorage();
    const store = localStorageTokenStore('k', {
      ...storage,
      getItem: storage.getItem,
      setItem: () => {
        throw quota;
      },
    });
    const answer = expect(store.compareAndSet(null, A)).rejects.toBe(quota);
    await vi.advanceTimersByTimeAsync(LOCAL_STORAGE_SETTLE_MS);
    await answer;
    expect(storage.map.size).toBe(0);
  });
});
