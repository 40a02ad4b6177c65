/**
 * A customer access token as the Storefront API issues it. Treat it as a secret: never put it in a URL,
 * a log line or an error message.
 */
export interface Token {
  /** The opaque token string sent as `$customerAccessToken`. */
  accessToken: string;
  /** When it stops working, as the API prints it (ISO 8601, e.g. `2026-08-26T22:57:56Z`). */
  expiresAt: string;
}

/** A value, or a promise of it: every store method may be synchronous or asynchronous. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Where the customer's token lives between requests: memory, a cookie, a server session, a database.
 *
 * @remarks
 * The exchange reads the store for every operation that needs the token, so a store shared by several
 * clients (tabs, server instances) stays the source of truth. `set` and `clear` may reject: the exchange
 * then keeps the token in memory, keeps using it and retries the write (nothing is lost).
 */
export interface TokenStore {
  /** The current token, or `null` when the customer is signed out. */
  get(): MaybePromise<Token | null>;
  /** Replaces the current token. */
  set(token: Token): MaybePromise<void>;
  /** Forgets the token: the customer is signed out. */
  clear(): MaybePromise<void>;
}

/**
 * A token store that keeps the token in this object only: one per browser tab, or one per server request
 * (never share one across requests, or customers would share a session).
 *
 * @param initial - a token to start with, e.g. one read from a cookie when a request arrives.
 * @returns a new, independent store.
 * @example
 * ```ts
 * const store = memoryTokenStore();
 * const client = new Client({ url: '/', exchanges: [customerTokenExchange({ store }), storefront, fetchExchange] });
 * ```
 */
export function memoryTokenStore(initial: Token | null = null): TokenStore {
  let current = initial ? { ...initial } : null;
  return {
    get: () => (current ? { ...current } : null),
    set(token) {
      current = storedToken(token);
    },
    clear() {
      current = null;
    },
  };
}

/** `expiresAt` as ms since the epoch, or `NaN` when it is not a date (such a token is unusable). */
export function expiresAtMs(token: Token): number {
  const text = token.expiresAt;
  if (typeof text !== 'string') return Number.NaN;
  // Every operation asks about the same token: parse each string once.
  if (text !== parsedText) parsedMs = Date.parse((parsedText = text));
  return parsedMs;
}
let parsedText: string | undefined;
let parsedMs = Number.NaN;

/** Whether `candidate` expires strictly later than `current`. */
export function isNewer(candidate: Token, current: Token): boolean {
  return expiresAtMs(candidate) > expiresAtMs(current);
}

/** One token identity everywhere: two tokens are the same only when both `accessToken` and `expiresAt` are. */
export function sameToken(a: unknown, b: unknown): boolean {
  return isToken(a) && isToken(b) && a.accessToken === b.accessToken && a.expiresAt === b.expiresAt;
}

/**
 * A copy of a token to store: its string fields (`accessToken`, `expiresAt`, and those a token kind adds, such as
 * the Customer Account API's `refreshToken` and `idToken`), without `__typename` or other `__` fields.
 */
export function storedToken<T extends Token>(token: T): T {
  const copy: Record<string, string> = {};
  for (const [name, value] of Object.entries(token))
    if (typeof value === 'string' && !name.startsWith('__')) copy[name] = value;
  return copy as unknown as T;
}

/** A plain copy of a token's two fields (drops `__typename` and anything else a store or cache added). */
export function copyToken(token: Token): Token {
  return { accessToken: token.accessToken, expiresAt: token.expiresAt };
}

/** Whether a value has the shape of a {@link Token} (a store may hand back anything). */
export function isToken(value: unknown): value is Token {
  const token = value as Token | null;
  return (
    typeof token === 'object' &&
    token !== null &&
    typeof token.accessToken === 'string' &&
    token.accessToken !== '' &&
    typeof token.expiresAt === 'string'
  );
}

/**
 * What the session needs to know of a kind of token: how to judge a value as one (a store's or a server's, a
 * plain copy of the fields the kind keeps), and whether it can be renewed after it expired (an OAuth refresh
 * token can; a Storefront customer access token cannot).
 */
export interface TokenKind {
  judge(value: unknown): Token | null;
  renewsAfterExpiry: boolean;
}

/** The Storefront API's customer access token: `{ accessToken, expiresAt }`, dead once expired. */
export const STOREFRONT_TOKEN: TokenKind = {
  judge: (value) => (isToken(value) ? copyToken(value) : null),
  renewsAfterExpiry: false,
};
