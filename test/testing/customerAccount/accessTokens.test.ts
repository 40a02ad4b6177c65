import { describe, expect, it } from 'vitest';
import { createClock } from '../../../src/testing/clock.js';
import { createCustomerAccountTokens } from '../../../src/testing/customerAccount/accessTokens.js';

const ada = {
  customerId: 'gid://shopify/Customer/1',
  email: 'ada@example.com',
  firstName: 'Ada',
  lastName: 'Lovelace',
};

describe('createCustomerAccountTokens', () => {
  it('looks up an issued token until it expires, by the emulator clock', () => {
    const clock = createClock(1_000_000);
    const tokens = createCustomerAccountTokens(clock);
    const { accessToken, expiresAt } = tokens.issue(ada, 3_600_000);
    expect(accessToken).toMatch(/^shcat_[0-9a-f]{64}$/);
    expect(expiresAt).toBe(1_000_000 + 3_600_000);
    expect(tokens.lookup(accessToken)).toEqual({ ...ada, expiresAt });
    clock.advance(3_599_999);
    expect(tokens.lookup(accessToken)).not.toBeNull();
    clock.advance(1);
    expect(tokens.lookup(accessToken)).toBeNull();
  });

  it('answers null for an unknown or revoked token', () => {
    const tokens = createCustomerAccountTokens(createClock(0));
    const { accessToken } = tokens.issue(ada, 1000);
    expect(tokens.lookup('shcat_unknown')).toBeNull();
    expect(tokens.revoke(accessToken)).toBe(true);
    expect(tokens.revoke(accessToken)).toBe(false);
    expect(tokens.lookup(accessToken)).toBeNull();
  });

  it('holds at most maxTokens, dropping expired ones first, then the oldest', () => {
    const clock = createClock(0);
    const tokens = createCustomerAccountTokens(clock, { maxTokens: 3 });
    const short = tokens.issue(ada, 10).accessToken;
    const first = tokens.issue(ada, 1000).accessToken;
    const second = tokens.issue(ada, 1000).accessToken;
    clock.advance(20);
    const third = tokens.issue(ada, 1000).accessToken; // the expired one makes room
    expect(tokens.size()).toBe(3);
    expect([first, second, third].map((t) => tokens.lookup(t) !== null)).toEqual([true, true, true]);
    const fourth = tokens.issue(ada, 1000).accessToken; // the oldest live one goes
    expect(tokens.size()).toBe(3);
    expect(tokens.lookup(short)).toBeNull();
    expect(tokens.lookup(first)).toBeNull();
    expect(tokens.lookup(fourth)).not.toBeNull();
  });

  it('refuses a lifetime that is not a positive number, and a bound below 1', () => {
    const tokens = createCustomerAccountTokens(createClock(0));
    for (const ttl of [0, -1, Number.NaN, Infinity]) expect(() => tokens.issue(ada, ttl)).toThrow(/ttlMs/);
    expect(() => createCustomerAccountTokens(createClock(0), { maxTokens: 0 })).toThrow(/maxTokens/);
  });

  it('hands out a copy: changing a looked-up record changes nothing held', () => {
    const tokens = createCustomerAccountTokens(createClock(0));
    const { accessToken } = tokens.issue(ada, 1000);
    const record = tokens.lookup(accessToken)!;
    record.email = 'eve@example.com';
    expect(tokens.lookup(accessToken)!.email).toBe('ada@example.com');
  });
});
