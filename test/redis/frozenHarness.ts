import { createClient } from 'redis';
import { redisSession, type RedisSessionOptions } from '../../src/redis/index.js';
import { createCustomerSession, type Renew } from '../../src/runtime/customerSession.js';
import { resolveCustomerOptions, type CustomerTokenExchangeOptions } from '../../src/runtime/customerTokenOptions.js';
import type { CustomerSessionSignal, Token } from '../../src/index.js';

export const MINUTE = 60_000;
export const DAY = 1440 * MINUTE;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export const connect = (url: string) =>
  createClient({ url, socket: { reconnectStrategy: 50 } })
    .on('error', () => undefined)
    .connect();

/** A tiny Shopify: rotates on renew (the old token is deleted), counts renew requests. */
export function shopify(now: () => number, mode: 'rotate' | 'new-token' = 'rotate') {
  let n = 0;
  const valid = new Set<string>();
  const calls: string[] = [];
  const issue = (expiresAt: number): Token => {
    const token = { accessToken: `tok-${++n}-${Math.random().toString(36).slice(2)}`, expiresAt: iso(expiresAt) };
    valid.add(token.accessToken);
    return token;
  };
  const renewNow = (from: Token) => {
    calls.push(from.accessToken);
    if (!valid.has(from.accessToken)) return { kind: 'invalid' as const, userErrors: [], error: undefined };
    if (mode === 'rotate') valid.delete(from.accessToken);
    return { kind: 'renewed' as const, token: issue(now() + 42 * DAY) };
  };
  return { issue, valid, calls, renewNow };
}

/** One "process": its own node-redis client, a redisSession and a customer session on it. */
export async function processOn(
  url: string,
  key: string,
  clock: { now: number },
  redisOptions: Partial<RedisSessionOptions> = {},
  options: Partial<CustomerTokenExchangeOptions> = {},
) {
  const client = await connect(url);
  const signals: CustomerSessionSignal[] = [];
  const redisErrors: string[] = [];
  const rs = redisSession({
    client,
    key,
    now: () => clock.now,
    onRedisError: (e) => redisErrors.push(String(e.message)),
    ...redisOptions,
  });
  const config = resolveCustomerOptions({
    ...rs,
    now: () => clock.now,
    onSignal: (s) => signals.push(s),
    ...options,
  });
  const session = createCustomerSession(config);
  return {
    client,
    rs,
    session,
    signals,
    redisErrors,
    decide: (renew: Renew) => Promise.resolve(session.decide(renew)),
  };
}
