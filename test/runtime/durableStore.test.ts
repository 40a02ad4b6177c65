import { describe, expect, it } from 'vitest';
import type { CompareAndSetStore } from '../../src/runtime/coordination.js';
import { durableStore } from '../../src/runtime/durableStore.js';
import { memoryTokenStore, type Token, type TokenStore } from '../../src/index.js';

const T0 = Date.UTC(2026, 5, 1);
const DAY = 86_400_000;
const token = (accessToken: string, days: number): Token => ({
  accessToken,
  expiresAt: new Date(T0 + days * DAY).toISOString().replace(/\.\d{3}Z$/, 'Z'),
});

/** A memory store whose set() fails while `failing` is true. */
function flaky(initial: Token | null) {
  const inner = memoryTokenStore(initial);
  const state = { failing: true, writes: 0 };
  const store: TokenStore = {
    get: () => inner.get(),
    set: (next) => {
      state.writes++;
      if (state.failing) throw new Error('down');
      return inner.set(next);
    },
    clear: () => inner.clear(),
  };
  return { store, state };
}

describe('durableStore', () => {
  it('keeps a refused write in memory, answers with it, and writes it on the next read', async () => {
    const a = token('A', 3);
    const b = token('B', 42);
    const { store, state } = flaky(a);
    const failures: string[] = [];
    const durable = durableStore(store, (m) => failures.push(m));
    await durable.replace(a, b);
    expect(failures).toEqual(['set']);
    expect(durable.pending).toBe(true);
    expect(await store.get()).toEqual(a);
    state.failing = false;
    expect(await durable.current(store.get())).toEqual(b);
    expect(await store.get()).toEqual(b);
    expect(durable.pending).toBe(false);
  });

  it('replaces the token it renewed even when the result does not expire later', async () => {
    const a = token('A', 3);
    const rotated = token('A2', 3);
    const store = memoryTokenStore(a);
    await durableStore(store, () => {}).replace(a, rotated);
    expect(await store.get()).toEqual(rotated);
  });

  it('never replaces another token, nor brings back a signed-out session', async () => {
    const a = token('A', 3);
    const signedInAgain = token('C', 42);
    const store = memoryTokenStore(signedInAgain);
    await durableStore(store, () => {}).replace(a, token('B', 42));
    expect(await store.get()).toEqual(signedInAgain);
    const empty = memoryTokenStore(null);
    await durableStore(empty, () => {}).replace(a, token('B', 42));
    expect(await empty.get()).toBeNull();
  });

  it('clears only the token it is told about, and says when the store moved on', async () => {
    const store = memoryTokenStore(token('C', 42));
    const durable = durableStore(store, () => {});
    expect(await durable.clearIf('A')).toBe(false);
    expect(await store.get()).toEqual(token('C', 42));
    expect(await durable.clearIf('C')).toBe(true);
    expect(await store.get()).toBeNull();
  });

  it('writes through compareAndSet when the store has it, expecting the token renewed', async () => {
    const a = token('A', 3);
    const calls: Array<[string | null, string | null]> = [];
    const inner = memoryTokenStore(token('other', 40));
    const store: TokenStore & CompareAndSetStore = {
      ...inner,
      async compareAndSet(expected, next) {
        calls.push([expected, next?.accessToken ?? null]);
        const held = (await inner.get())?.accessToken ?? null;
        if (held !== expected) return false;
        if (next) await inner.set(next);
        else await inner.clear();
        return true;
      },
    };
    const durable = durableStore(store, () => {});
    await durable.replace(a, token('B', 42));
    expect(calls).toEqual([['A', 'B']]);
    expect((await store.get())?.accessToken).toBe('other');
  });
});
