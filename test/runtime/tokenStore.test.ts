import { describe, expect, it } from 'vitest';
import { memoryTokenStore } from '../../src/index.js';
import { expiresAtMs, isNewer, isToken } from '../../src/runtime/tokenStore.js';

const A = { accessToken: 'tok-A', expiresAt: '2026-08-26T22:57:56Z' };
const B = { accessToken: 'tok-B', expiresAt: '2026-09-01T00:00:00Z' };

describe('memoryTokenStore', () => {
  it('starts empty, or with the initial token', () => {
    expect(memoryTokenStore().get()).toBeNull();
    expect(memoryTokenStore(A).get()).toEqual(A);
  });

  it('sets and clears the token', () => {
    const store = memoryTokenStore();
    store.set(B);
    expect(store.get()).toEqual(B);
    store.clear();
    expect(store.get()).toBeNull();
  });

  it('hands out copies, so a caller mutating one cannot change the stored token', () => {
    const initial = { ...A };
    const store = memoryTokenStore(initial);
    initial.accessToken = 'changed';
    (store.get() as typeof A).expiresAt = 'changed';
    expect(store.get()).toEqual(A);
  });

  it('keeps each store independent (one per request on a server)', () => {
    const one = memoryTokenStore(A);
    const two = memoryTokenStore(A);
    one.set(B);
    expect(two.get()).toEqual(A);
  });

  it('stores only the token fields', () => {
    const store = memoryTokenStore();
    store.set({ ...A, __typename: 'CustomerAccessToken' } as typeof A);
    expect(store.get()).toEqual(A);
  });
});

describe('token comparison', () => {
  it('compares on expiresAt', () => {
    expect(isNewer(B, A)).toBe(true);
    expect(isNewer(A, B)).toBe(false);
    expect(isNewer(A, { ...A, accessToken: 'other' })).toBe(false);
  });

  it('treats an unreadable expiresAt as never newer', () => {
    const bad = { accessToken: 'x', expiresAt: 'tomorrow' };
    expect(Number.isNaN(expiresAtMs(bad))).toBe(true);
    expect(isNewer(bad, A)).toBe(false);
  });

  it('recognises only well-formed tokens', () => {
    expect(isToken(A)).toBe(true);
    expect(isToken(null)).toBe(false);
    expect(isToken({ accessToken: '', expiresAt: A.expiresAt })).toBe(false);
    expect(isToken({ accessToken: 'x' })).toBe(false);
  });
});

describe('token sets of other kinds', () => {
  it('keeps every string field of a Customer Account token set, and drops __typename', async () => {
    const { memoryTokenStore: memory } = await import('../../src/runtime/tokenStore.js');
    const { localStorageTokenStore } = await import('../../src/runtime/localStorageTokenStore.js');
    const set = { accessToken: 'a', refreshToken: 'r', idToken: 'i', expiresAt: '2027-01-01T00:00:00Z' };
    const store = memory();
    store.set({ ...set, __typename: 'X' } as typeof set);
    expect(store.get()).toEqual(set);
    const items = new Map<string, string>();
    const storage = {
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
      removeItem: (k: string) => void items.delete(k),
    } as Storage;
    const shared = localStorageTokenStore('k', storage);
    shared.set(set);
    expect(shared.read()).toEqual(set);
  });
});
