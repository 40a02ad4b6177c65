import type { CompareAndSetStore } from './coordination.js';
import type { StoreFailure } from './signals.js';
import { isNewer, isToken, type Token, type TokenStore } from './tokenStore.js';

/**
 * A token store that loses nothing: a write the store refused is kept in memory, used, and written again on the
 * next read; writes that follow a renewal or a refused token only replace the token they are about.
 */
export interface DurableStore {
  /** The freshest token, from the store's answer `read` (a value or a promise); retries a refused write. */
  current(read: unknown): Promise<Token | null>;
  /** Whether a refused write is waiting to be retried. */
  readonly pending: boolean;
  /**
   * Stores `token`, the renewal of `from`, if the store still holds `from` (whatever the two `expiresAt`):
   * never over a token a newer sign-in stored, never after a sign-out.
   */
  replace(from: Token, token: Token): Promise<void>;
  /**
   * Clears the store if it still holds `accessToken` (or the token a refused write was replacing). Resolves
   * `true` when the store is signed out now, `false` when it holds another token (it moved on) or could not be
   * read or cleared (the failure is reported; the next read decides).
   */
  clearIf(accessToken: string): Promise<boolean>;
}

type Store = TokenStore & Partial<CompareAndSetStore>;

/**
 * Wraps `store` for one session. `onFailure` hears of every store call that threw or rejected.
 *
 * @remarks
 * When the store implements `compareAndSet`, writes go through it, so that several processes sharing the store
 * only move it forward; otherwise they read, compare and write.
 */
export function durableStore(store: Store, onFailure: (method: StoreFailure['method']) => void): DurableStore {
  /** A renewed token the store refused to take, and the token it replaces. */
  let unpersisted: { from: string; token: Token } | null = null;
  let writing: Promise<void> | null = null;

  /** Writes the token the store has not taken yet; concurrent callers share one write. */
  function persist(): Promise<void> {
    writing ??= (async () => {
      const pending = unpersisted;
      if (!pending) return;
      try {
        if (store.compareAndSet) await store.compareAndSet(pending.from, pending.token);
        else await store.set(pending.token);
        if (unpersisted === pending) unpersisted = null;
      } catch {
        onFailure('set');
      }
    })().finally(() => {
      writing = null;
    });
    return writing;
  }

  return {
    get pending() {
      return unpersisted !== null;
    },

    async current(read) {
      const raw: unknown = await read;
      const stored = isToken(raw) ? raw : null;
      const pending = unpersisted;
      const related = stored?.accessToken === pending?.from || stored?.accessToken === pending?.token.accessToken;
      if (pending && stored && related && (stored.accessToken === pending.from || isNewer(pending.token, stored))) {
        await persist();
        return pending.token;
      }
      if (pending === unpersisted) unpersisted = null; // the store moved on: cleared, replaced, or caught up
      return stored;
    },

    async replace(from, token) {
      if (store.compareAndSet) {
        unpersisted = { from: from.accessToken, token };
        return persist();
      }
      let stored: unknown;
      try {
        stored = await store.get();
      } catch {
        // Cannot compare: keep it in memory only; current() reconciles once the store answers.
        unpersisted = { from: from.accessToken, token };
        onFailure('get');
        return;
      }
      if (!isToken(stored) || stored.accessToken !== from.accessToken) return; // signed out, or a new sign-in
      // The same token string, renewed further by another client meanwhile: keep the longer life.
      if (stored.expiresAt !== from.expiresAt && isNewer(stored, token)) return;
      unpersisted = { from: from.accessToken, token };
      await persist();
    },

    async clearIf(accessToken) {
      const related =
        unpersisted && (unpersisted.token.accessToken === accessToken || unpersisted.from === accessToken)
          ? unpersisted
          : null;
      if (related) unpersisted = null;
      try {
        if (store.compareAndSet) {
          if (await store.compareAndSet(accessToken, null)) return true;
          if (related && (await store.compareAndSet(related.from, null))) return true;
          return !isToken(await store.get());
        }
        const stored = await store.get();
        if (!isToken(stored)) return true;
        if (stored.accessToken !== accessToken && stored.accessToken !== related?.from) return false;
        await store.clear();
        return true;
      } catch {
        // Unknown whether the store still holds it: not a sign-out yet; the next read finds out.
        onFailure('clear');
        return false;
      }
    },
  };
}
