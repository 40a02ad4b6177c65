import { bounded, type SetTimer } from './bounded.js';
import {
  isSignedOutMark,
  SIGNED_OUT,
  type SharedTokenStore,
  type SignedOutMark,
  type TokenRecord,
} from './coordination.js';
import type { StoreFailure } from './signals.js';
import {
  expiresAtMs,
  isToken,
  sameToken,
  storedToken,
  STOREFRONT_TOKEN,
  type Token,
  type TokenKind,
  type TokenStore,
} from './tokenStore.js';

/** What a store's read threw, when it threw synchronously (any other first answer is the value itself). */
export class Thrown {
  declare readonly error: unknown;
  constructor(error: unknown) {
    this.error = error;
  }
}

/**
 * The store as the session uses it: every call bounded in time, every answer judged, nothing thrown.
 * `undefined` means the store failed (threw, rejected, or did not answer in time); the failure was reported.
 */
export interface SessionStore {
  /** Whether the store is shared by several clients and follows the protocol (`read`, `compareAndSet`). */
  readonly shared: boolean;
  /**
   * Calls the store's read synchronously (for the fast path); never throws: what it threw comes back as a
   * {@link Thrown}. No allocation when the store answers.
   */
  first(): unknown;
  /** The record, judged; from `first` when `asked` (the answer already asked for), otherwise a new read. */
  read(first?: unknown, asked?: boolean): Promise<TokenRecord | undefined>;
  /**
   * Writes `next` only if the store holds `expected` (a shared store's compare-and-set; read, compare and write
   * for a plain one, where nothing stored reads as a sign-out mark and a mark is written as `clear()`).
   * Resolves `true` when written, `false` when the store holds something else.
   */
  write(expected: TokenRecord, next: Token | SignedOutMark): Promise<boolean | undefined>;
}

/** Whether two records are the same: both nothing, both sign-out marks, or the same token (both fields). */
export function sameRecord(a: TokenRecord, b: TokenRecord): boolean {
  if (a === null || b === null) return a === b;
  if (isSignedOutMark(a) || isSignedOutMark(b)) return isSignedOutMark(a) && isSignedOutMark(b);
  return sameToken(a, b);
}

/** A store's answer as a record: a token, a sign-out mark, or nothing. Anything else counts as nothing. */
export function judgeRecord(value: unknown, kind: TokenKind): TokenRecord {
  if (isSignedOutMark(value)) return SIGNED_OUT;
  return kind.judge(value);
}

/**
 * How a store itself judges what it holds: a token with every string field it was given (any token kind). Passed
 * explicitly (not a default of `judgeRecord`), so that an app without a durable store does not bundle it.
 */
export const STORED: TokenKind = {
  judge: (value) => (isToken(value) && !Number.isNaN(expiresAtMs(value)) ? storedToken(value) : null),
  renewsAfterExpiry: false,
};

/** Whether `store` follows the shared-store protocol. */
export function isShared(store: TokenStore): store is SharedTokenStore {
  const candidate = store as Partial<SharedTokenStore>;
  return typeof candidate.read === 'function' && typeof candidate.compareAndSet === 'function';
}

/**
 * Wraps `store` for one session: each call is limited to `timeoutMs`, and each failure is reported to
 * `onFailure` with the store's error (the caller removes any token from its message).
 */
export function sessionStore(
  store: TokenStore,
  timeoutMs: number,
  timer: SetTimer,
  onFailure: (method: StoreFailure['method'], error: unknown, involved: TokenRecord[]) => void,
  kind: TokenKind = STOREFRONT_TOKEN,
): SessionStore {
  const shared = isShared(store) ? store : null;
  const call = async <T>(
    method: StoreFailure['method'],
    effect: () => T | PromiseLike<T>,
    involved: TokenRecord[] = [],
  ) => {
    const outcome = await bounded(effect, timeoutMs, timer);
    if (outcome.ok) return outcome;
    onFailure(
      method,
      outcome.timedOut ? new Error(`the store's ${method}() did not answer in ${timeoutMs} ms`) : outcome.error,
      involved,
    );
    return undefined;
  };
  const first = (): unknown => {
    try {
      return shared ? shared.read() : store.get();
    } catch (error) {
      return new Thrown(error);
    }
  };
  const read = async (given?: unknown, asked = false) => {
    const answer = asked ? given : first();
    const outcome = await call('get', () => (answer instanceof Thrown ? Promise.reject(answer.error) : answer));
    if (!outcome) return undefined;
    const record = judgeRecord(outcome.value, kind);
    // A plain store is one client's: nothing in it means signed out (the app cleared it, or never signed in).
    if (!shared) return record ?? SIGNED_OUT;
    // A shared store's token whose expiresAt is no date is another writer's garbage: nothing (lost data, written
    // over with the last known token), never an expired token whose sign-out mark would sign every client out.
    return isToken(record) && Number.isNaN(expiresAtMs(record)) ? null : record;
  };
  return {
    shared: shared !== null,
    first,
    read,
    async write(expected, next) {
      const method = isToken(next) ? 'set' : 'clear';
      if (shared) {
        const outcome = await call(method, () => shared.compareAndSet(expected, next), [expected, next]);
        return outcome && outcome.value === true;
      }
      const held = await read();
      if (held === undefined) return undefined;
      if (!sameRecord(held, expected)) return false;
      const outcome = await call(method, () => (isToken(next) ? store.set(next) : store.clear()), [expected, next]);
      return outcome && true;
    },
  };
}

export function isThenable(value: unknown): boolean {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/** The message of a store's error, with every known token string replaced, so that no secret reaches a signal. */
export function messageOf(error: unknown, tokens: unknown[]): string | undefined {
  let message: string | undefined;
  try {
    message = error instanceof Error ? error.message : typeof error === 'string' ? error : undefined;
  } catch {
    return undefined;
  }
  if (!message) return undefined;
  // Every secret of a token: each string field but its expiry (the access token; a Customer Account token set's
  // refresh and ID tokens too).
  for (const token of tokens)
    if (isToken(token))
      for (const [field, secret] of Object.entries(token))
        if (field !== 'expiresAt' && typeof secret === 'string' && secret !== '')
          message = message.split(secret).join('[token]');
  return message.slice(0, 300);
}
