import { setBounded } from './boundedMap.js';

/** Sign-in request counters a test reads, e.g. to assert "exactly one refresh per refresh token". */
export interface CustomerAccountCounters {
  /** Token requests with `grant_type=refresh_token` (faulted and refused ones included). */
  refreshes(): number;
  /** Token requests with `grant_type=authorization_code` (faulted and refused ones included). */
  codeExchanges(): number;
  /** Token requests that sent this refresh token (a secret: pass the one your client holds, never log it). */
  refreshesOf(refreshToken: string): number;
  /** Authorize requests. */
  authorizations(): number;
  /** Logout requests. */
  logouts(): number;
  /** Sets every count back to zero. */
  reset(): void;
}

/** The most refresh tokens counted one by one; past it the oldest counts are forgotten. */
export const MAX_COUNTED_REFRESH_TOKENS = 10_000;

/** Longer strings are not counted one by one: no token the emulator issues is that long. */
const MAX_TOKEN_LENGTH = 256;

/** The events the endpoints record. */
export type CountedEvent = 'refresh' | 'code' | 'authorize' | 'logout';

/** Creates the counters plus the `record` hook the endpoints call once per request. */
export function createOAuthCounters(): CustomerAccountCounters & {
  record(event: CountedEvent, refreshToken?: string): void;
} {
  let counts = { refresh: 0, code: 0, authorize: 0, logout: 0 };
  let perToken = new Map<string, number>();
  return {
    record(event, refreshToken) {
      counts[event] += 1;
      if (event === 'refresh' && refreshToken !== undefined && refreshToken.length <= MAX_TOKEN_LENGTH)
        setBounded(perToken, refreshToken, (perToken.get(refreshToken) ?? 0) + 1, MAX_COUNTED_REFRESH_TOKENS);
    },
    refreshes: () => counts.refresh,
    codeExchanges: () => counts.code,
    refreshesOf: (refreshToken) => perToken.get(refreshToken) ?? 0,
    authorizations: () => counts.authorize,
    logouts: () => counts.logout,
    reset() {
      counts = { refresh: 0, code: 0, authorize: 0, logout: 0 };
      perToken = new Map();
    },
  };
}
