import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/index.js';
import {
  DEFAULT_RETRY,
  isTransientStatus,
  parseRetryAfter,
  realSleep,
  resolveRetry,
  retryDelay,
  wasRefusedUnprocessed,
} from '../../src/runtime/storefrontRetry.js';

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);

describe('parseRetryAfter', () => {
  it('reads the value as seconds, not milliseconds', () => {
    expect(parseRetryAfter('2', NOW)).toBe(2000);
    expect(parseRetryAfter(' 1.5 ', NOW)).toBe(1500);
    expect(parseRetryAfter('0', NOW)).toBe(0);
  });

  it('reads an HTTP date relative to now', () => {
    expect(parseRetryAfter(new Date(NOW + 30_000).toUTCString(), NOW)).toBe(30_000);
    expect(parseRetryAfter(new Date(NOW - 30_000).toUTCString(), NOW)).toBe(0);
  });

  it('ignores a missing or unreadable value', () => {
    expect(parseRetryAfter(null, NOW)).toBeNull();
    expect(parseRetryAfter(undefined, NOW)).toBeNull();
    expect(parseRetryAfter('soon', NOW)).toBeNull();
    expect(parseRetryAfter('-5', NOW)).toBeNull();
    expect(parseRetryAfter('', NOW)).toBeNull();
  });
});

describe('retryDelay', () => {
  const policy = resolveRetry({ baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999 });

  it('doubles the ceiling every retry, with full jitter below it', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelay(policy, n, null))).toEqual([99, 199, 399, 799, 999, 999]);
    const low = resolveRetry({ baseDelayMs: 100, random: () => 0 });
    expect(retryDelay(low, 3, null)).toBe(0);
  });

  it('waits at least Retry-After, plus a little jitter', () => {
    expect(retryDelay(policy, 1, 5000)).toBe(5099);
  });

  it('gives up when Retry-After is longer than the policy allows', () => {
    expect(retryDelay(resolveRetry({ maxRetryAfterMs: 10_000 }), 1, 10_001)).toBeNull();
  });
});

describe('resolveRetry', () => {
  it('fills in the documented defaults', () => {
    expect(resolveRetry(undefined)).toMatchObject(DEFAULT_RETRY);
  });

  it('turns false into a single attempt', () => {
    expect(resolveRetry(false).maxAttempts).toBe(1);
  });

  it.each([{ maxAttempts: 0 }, { maxAttempts: 1.5 }, { baseDelayMs: -1 }, { maxDelayMs: Number.NaN }])(
    'rejects %o naming the option',
    (options) => {
      expect(() => resolveRetry(options)).toThrow(ConfigurationError);
      expect(() => resolveRetry(options)).toThrow(/storefront-customer-session: the provided retry\.\w+ \(/);
    },
  );
});

describe('status classification', () => {
  it('retries 429, 430 and 5xx, not other statuses', () => {
    expect([429, 430, 500, 502, 503, 504].every(isTransientStatus)).toBe(true);
    expect([200, 400, 401, 402, 403, 404, 423].some(isTransientStatus)).toBe(false);
  });

  it('knows which refusals happen before a mutation runs', () => {
    expect([429, 430, 503].every(wasRefusedUnprocessed)).toBe(true);
    expect([500, 502, null].some(wasRefusedUnprocessed)).toBe(false);
  });
});

describe('realSleep', () => {
  it('resolves early when aborted', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const sleeping = realSleep(60_000, controller.signal);
    controller.abort();
    await sleeping;
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('waits the given time', async () => {
    const started = Date.now();
    await realSleep(20, new AbortController().signal);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });
});
