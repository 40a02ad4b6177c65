import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/runtime/errors.js';
import { createEmulator, type FetchEmulator } from '../../src/testing/index.js';

const JUNE_2026 = Date.UTC(2026, 5, 15);
const SHOP = JSON.stringify({ query: 'query Shop { shop { name } }' });

/** A request to `em` whose body arrives in two parts: the second when `finish()` is called. */
function slowRequest(em: FetchEmulator) {
  let push!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (controller) => void (push = controller) });
  const answered = em.fetch(`${em.url}/api/2026-04/graphql.json`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Shopify-Storefront-Access-Token': em.publicAccessToken },
    body,
    duplex: 'half',
  } as RequestInit);
  push.enqueue(new TextEncoder().encode(SHOP.slice(0, 5)));
  const finish = () => {
    push.enqueue(new TextEncoder().encode(SHOP.slice(5)));
    push.close();
  };
  return { answered, finish };
}

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise.then(
      (response) => `answered ${(response as Response).status}`,
      (error: unknown) => `rejected ${(error as Error).name}`,
    ),
    new Promise<string>((resolve) => setTimeout(() => resolve('pending'), ms)),
  ]);

describe('close() with a request in flight (fetch handler)', () => {
  it.each([
    ['hang', { kind: 'hang' }],
    ['latency', { kind: 'latency', ms: 60_000 }],
  ] as const)(
    'drops a request whose body was still arriving, when its %s fault comes up after close()',
    async (_kind, fault) => {
      const em = createEmulator({ now: JUNE_2026 });
      em.faults.inject(fault);
      const { answered, finish } = slowRequest(em);
      await new Promise((resolve) => setTimeout(resolve, 10));
      await em.close();
      finish();
      await expect(within(answered, 1000)).resolves.toBe('rejected TypeError');
    },
  );
});

describe('a clock outside the version calendar', () => {
  it.each([Date.UTC(10000, 0, 1), 8.64e15, 1e300, Date.UTC(500, 0, 1)])(
    'is refused at set(%d) instead of failing every request with a 500',
    async (ms) => {
      const em = createEmulator({ now: JUNE_2026 });
      let refused = false;
      try {
        em.clock.set(ms);
      } catch (error) {
        refused = error instanceof ConfigurationError;
      }
      const response = await em.fetch(`${em.url}/api/2026-04/graphql.json`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Shopify-Storefront-Access-Token': em.publicAccessToken },
        body: SHOP,
      });
      expect({ refused, status: response.status }).toEqual({ refused: true, status: 200 });
      await em.close();
    },
  );
});

describe('a latency fault longer than a setTimeout can hold', () => {
  it('still delays the answer (2^31 ms and more do not fire at once)', async () => {
    const em = createEmulator({ now: JUNE_2026 });
    em.faults.inject({ kind: 'latency', ms: 2 ** 31 });
    const answered = em.fetch(`${em.url}/api/2026-04/graphql.json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Shopify-Storefront-Access-Token': em.publicAccessToken },
      body: SHOP,
    });
    await expect(within(answered, 200)).resolves.toBe('pending');
    await em.close();
    await expect(answered).rejects.toThrow(TypeError);
  });
});
