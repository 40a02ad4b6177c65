import type { CompareAndSetStore } from '../runtime/coordination.js';
import { expiresAtMs, isToken, type Token, type TokenStore } from '../runtime/tokenStore.js';
import { LIBRARY } from '../runtime/errors.js';
import type { RedisCommands } from './redisCommands.js';
import { COMPARE_AND_SET, SET_FORWARD } from './scripts.js';

/**
 * How long Redis keeps a token past its `expiresAt`: long enough for the exchange to see it expired (and say
 * so, `sign-in-required` with reason `expired`), short enough that abandoned sessions leave Redis by themselves.
 */
export const EXPIRED_TOKEN_GRACE_MS = 24 * 60 * 60 * 1000;

/** A {@link TokenStore} in Redis whose writes are atomic: every method answers asynchronously. */
export interface RedisTokenStore extends TokenStore, CompareAndSetStore {
  get(): Promise<Token | null>;
  /** Stores `token` unless Redis holds a token that expires strictly later (a newer sign-in or renewal). */
  set(token: Token): Promise<void>;
  clear(): Promise<void>;
  compareAndSet(expected: string | null, next: Token | null): Promise<boolean>;
}

/** The stored JSON: the token, plus its expiry in ms for the scripts to compare. */
function encode(token: Token): string {
  const ms = expiresAtMs(token);
  const value = { accessToken: token.accessToken, expiresAt: token.expiresAt };
  return JSON.stringify(Number.isFinite(ms) ? { ...value, ms } : value);
}

function decode(raw: unknown): Token | null {
  if (typeof raw !== 'string') return null;
  try {
    const value: unknown = JSON.parse(raw);
    return isToken(value) ? { accessToken: value.accessToken, expiresAt: value.expiresAt } : null;
  } catch {
    return null;
  }
}

/** When the key holding `token` should leave Redis (ms since the epoch), or '' to keep it. */
function expireAt(token: Token): string {
  const ms = expiresAtMs(token);
  return Number.isFinite(ms) ? String(ms + EXPIRED_TOKEN_GRACE_MS) : '';
}

/**
 * Creates the store. It remembers the last token Redis confirmed (read or written): when Redis cannot be
 * reached, `get` answers with it so operations go out with the token this process last knew, and the writes
 * reject so that the exchange keeps the token in memory and writes it again later (nothing is lost).
 */
export function createRedisTokenStore({ client, tokenKey, send }: RedisCommands): RedisTokenStore {
  let lastKnown: Token | null = null;
  // Replies on one connection come back in the order the commands were sent: never let an older reply win.
  let sent = 0;
  let applied = 0;
  const remember = (seq: number, token: Token | null) => {
    if (seq < applied) return;
    applied = seq;
    lastKnown = token;
  };

  const checkToken = (token: unknown): Token => {
    if (!isToken(token))
      throw new TypeError(`${LIBRARY}/redis: a token must be { accessToken: non-empty string, expiresAt: string }.`);
    if (tokenKey.includes(token.accessToken))
      throw new TypeError(`${LIBRARY}/redis: the key contains the customer token. Key sessions by a session id.`);
    return token;
  };

  /** Runs a write script; resolves with whether it wrote, and remembers what Redis holds afterwards. */
  async function write(operation: 'set' | 'compareAndSet', script: string, args: string[]): Promise<boolean> {
    const seq = ++sent;
    const reply = await send(operation, () => client.eval(script, { keys: [tokenKey], arguments: args }));
    const [wrote, held] = Array.isArray(reply) ? (reply as unknown[]) : [];
    remember(seq, decode(held));
    return wrote === 1;
  }

  return {
    async get() {
      const seq = ++sent;
      let raw: unknown;
      try {
        raw = await send('get', () => client.get(tokenKey));
      } catch (error) {
        if (lastKnown) return { ...lastKnown };
        throw error;
      }
      const token = decode(raw);
      remember(seq, token);
      return token && { ...token };
    },
    async set(token) {
      const next = checkToken(token);
      await write('set', SET_FORWARD, [encode(next), String(expiresAtMs(next) || 0), expireAt(next)]);
    },
    async clear() {
      const seq = ++sent;
      await send('clear', () => client.del(tokenKey));
      remember(seq, null);
    },
    compareAndSet(expected, next) {
      if (expected !== null && (typeof expected !== 'string' || expected === ''))
        return Promise.reject(new TypeError(`${LIBRARY}/redis: compareAndSet expects a token string or null.`));
      const value = next === null ? '' : encode(checkToken(next));
      return write('compareAndSet', COMPARE_AND_SET, [expected ?? '', value, next === null ? '' : expireAt(next)]);
    },
  };
}
