import { describe, expect, it } from 'vitest';
import { BoundedCache } from '../../src/testing/boundedCache.js';
import { createCounters, MAX_NAME_LENGTH, MAX_NAMES, OTHER } from '../../src/testing/counters.js';
import { AST_BYTES_PER_CHAR, DOCUMENT_CACHE_BYTES, documentCaches } from '../../src/testing/documents.js';
import { createEmulator } from '../../src/testing/index.js';
import { CustomerStore, MAX_TOKENS } from '../../src/testing/state.js';

const JUNE_2026 = Date.UTC(2026, 5, 15);

describe('an emulator under requests it should not remember', () => {
  it('keeps no operation name of 300 requests without a storefront token, each naming a distinct 1 MB operation', async () => {
    const em = createEmulator({ now: JUNE_2026 });
    for (let i = 0; i < 300; i++) {
      const response = await em.fetch(`${em.url}/api/2026-04/graphql.json`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ query: '{ shop { name } }', operationName: `${i}`.padEnd(1_000_000, 'x') }),
      });
      expect(response.status).toBe(401);
    }
    expect(em.counters.byOperation()).toEqual({});
    expect(em.counters.requests()).toBe(300);
    await em.close();
  }, 60_000);

  it('counts a faulted request by name only when it carries a storefront token the emulator accepts', async () => {
    const em = createEmulator({ now: JUNE_2026 });
    em.faults.inject({ kind: 'status', status: 503 }, { times: 2 });
    const post = (headers: Record<string, string>) =>
      em.fetch(`${em.url}/api/2026-04/graphql.json`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify({ query: 'query Shop { shop { name } }' }),
      });
    expect((await post({})).status).toBe(503);
    expect((await post({ 'X-Shopify-Storefront-Access-Token': em.publicAccessToken })).status).toBe(503);
    expect(em.counters.byOperation()).toEqual({ Shop: 1 });
    expect(em.counters.requests()).toBe(2);
    await em.close();
  });

  it('keeps the parse and validation caches within their byte budget whatever the queries', async () => {
    const em = createEmulator({ now: JUNE_2026 });
    const { parsed, prepared } = documentCaches();
    parsed.clear();
    prepared.clear();
    // Each weighs about 25 MB by the estimate: the budget holds two of them, never all six.
    for (let i = 0; i < 6; i++) {
      const query = `query Q${i} { shop { name } } # ${'x'.repeat(100_000)}`;
      const response = await em.fetch(`${em.url}/api/2026-04/graphql.json`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Shopify-Storefront-Access-Token': em.publicAccessToken },
        body: JSON.stringify({ query }),
      });
      expect(response.status).toBe(200);
      expect(parsed.bytes).toBeLessThanOrEqual(DOCUMENT_CACHE_BYTES);
      expect(prepared.bytes).toBeLessThanOrEqual(DOCUMENT_CACHE_BYTES);
    }
    expect(parsed.size).toBe(Math.floor(DOCUMENT_CACHE_BYTES / (100_031 * AST_BYTES_PER_CHAR)));
    expect(prepared.size).toBe(parsed.size);
    // A query too heavy for the budget on its own is answered, never cached.
    const huge = `query Huge { shop { name } } # ${'x'.repeat(DOCUMENT_CACHE_BYTES / AST_BYTES_PER_CHAR)}`;
    const before = parsed.size;
    const response = await em.fetch(`${em.url}/api/2026-04/graphql.json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Shopify-Storefront-Access-Token': em.publicAccessToken },
      body: JSON.stringify({ query: huge }),
    });
    expect(response.status).toBe(200);
    expect(parsed.size).toBe(before);
    await em.close();
  });

  it('forgets the oldest customer token past MAX_TOKENS', () => {
    const store = new CustomerStore(() => JUNE_2026);
    store.add({ email: 'a@example.com', password: 'p' });
    const first = store.signIn('a@example.com', 'p')!;
    for (let i = 0; i < MAX_TOKENS; i++) store.signIn('a@example.com', 'p');
    expect(store.live(first.accessToken)).toBeUndefined();
    expect(store.tokens('a@example.com')).toHaveLength(MAX_TOKENS);
  });
});

describe('createCounters', () => {
  it('counts overlong names, and names past MAX_NAMES distinct ones, under (other)', () => {
    const counters = createCounters();
    counters.record('x'.repeat(MAX_NAME_LENGTH + 1), true);
    expect(counters.byOperation()).toEqual({ [OTHER]: 1 });
    for (let i = 0; i < MAX_NAMES; i++) counters.record(`Op${i}`, true);
    expect(counters.count(`Op${MAX_NAMES - 2}`)).toBe(1);
    expect(counters.count(`Op${MAX_NAMES - 1}`)).toBe(0);
    expect(counters.count(OTHER)).toBe(2);
    counters.record('Op0', true);
    expect(counters.count('Op0')).toBe(2);
    expect(Object.keys(counters.byOperation())).toHaveLength(MAX_NAMES);
  });
});

describe('BoundedCache', () => {
  it('forgets the oldest entries to stay within its entries and its bytes', () => {
    const cache = new BoundedCache<string, number>(3, 100);
    cache.set('a', 1, 10);
    cache.set('b', 2, 10);
    cache.set('c', 3, 10);
    cache.set('d', 4, 10);
    expect([cache.get('a'), cache.get('b'), cache.get('d')]).toEqual([undefined, 2, 4]);
    cache.set('e', 5, 85);
    expect([cache.get('b'), cache.get('c'), cache.get('d'), cache.get('e')]).toEqual([undefined, undefined, 4, 5]);
    expect(cache.bytes).toBe(95);
  });

  it('keeps nothing heavier than its budget, and replaces an entry with its new weight', () => {
    const cache = new BoundedCache<string, string>(10, 100);
    cache.set('big', 'x', 101);
    expect(cache.get('big')).toBeUndefined();
    cache.set('a', 'one', 60);
    cache.set('a', 'two', 30);
    expect(cache.get('a')).toBe('two');
    expect(cache.bytes).toBe(30);
    cache.set('a', 'three', 200);
    expect(cache.get('a')).toBeUndefined();
    expect([cache.size, cache.bytes]).toEqual([0, 0]);
  });
});
