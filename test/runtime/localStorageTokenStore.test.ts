import { afterEach, describe, expect, it, vi } from 'vitest';
import { localStorageTokenStore } from '../../src/index.js';
import { DEFAULT_TOKEN_KEY } from '../../src/runtime/localStorageTokenStore.js';

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
  vi.unstubAllGlobals();
});

describe('localStorageTokenStore', () => {
  it('keeps the token under its key, shared by every store on that storage (every tab)', () => {
    const storage = memoryStorage();
    const tab1 = localStorageTokenStore('customer', storage);
    const tab2 = localStorageTokenStore('customer', storage);
    expect(tab1.get()).toBeNull();
    tab1.set({ ...A, extra: 'dropped' } as typeof A);
    expect(tab2.get()).toEqual(A);
    expect(JSON.parse(storage.map.get('customer')!)).toEqual(A);
    tab2.clear();
    expect(tab1.get()).toBeNull();
    expect(storage.map.size).toBe(0);
  });

  it('uses globalThis.localStorage and a default key when given none', () => {
    const storage = memoryStorage();
    vi.stubGlobal('localStorage', storage);
    localStorageTokenStore().set(A);
    expect(storage.map.get(DEFAULT_TOKEN_KEY)).toBe(JSON.stringify(A));
  });

  it('reads anything that is not a token as signed out', () => {
    const storage = memoryStorage();
    const store = localStorageTokenStore('k', storage);
    for (const value of ['{not json', '"a string"', '{"accessToken":""}', '42', 'null']) {
      storage.setItem('k', value);
      expect(store.get()).toBeNull();
    }
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

  it('compares and sets: writes only over the expected token', () => {
    const storage = memoryStorage();
    const store = localStorageTokenStore('k', storage);
    expect(store.compareAndSet('tok-A', B)).toBe(false);
    expect(store.get()).toBeNull();
    expect(store.compareAndSet(null, A)).toBe(true);
    expect(store.compareAndSet(null, B)).toBe(false);
    expect(store.compareAndSet('tok-A', B)).toBe(true);
    expect(store.get()).toEqual(B);
    expect(store.compareAndSet('tok-A', null)).toBe(false);
    expect(store.compareAndSet('tok-B', null)).toBe(true);
    expect(store.get()).toBeNull();
  });
});
