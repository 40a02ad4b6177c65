import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../examples/demo/demo.js';
import { DEFAULT_CUSTOMER, startEmulator, type Emulator } from '../../src/testing/index.js';

const TOKEN_LIKE = /\b[0-9a-f]{32}\b/;

async function capture(env: Record<string, string | undefined>) {
  const lines: string[] = [];
  const code = await runDemo(env, (line) => lines.push(line));
  return { code, text: lines.join('\n') };
}

describe('npm start (the demo)', () => {
  it(
    'walks sign in, read, renewal window, read, sign out on the embedded emulator with ' + 'exactly one renewal',
    async () => {
      const { code, text } = await capture({});
      expect(text).toContain('local Storefront emulator');
      expect(text).toMatch(/Signed in: .*expires at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ, in 42 days/);
      expect(text).toMatch(/inside the 7 days renewal window/);
      expect(text).toContain('renewed the token (1 renew request sent, the server counted 1)');
      expect(text).toContain('Signed out (server: deleted); the store holds no token.');
      expect(text).not.toMatch(TOKEN_LIKE);
      expect(code).toBe(0);
    },
  );

  it('refuses a partial real-store configuration and names the missing variables', async () => {
    await expect(
      runDemo({ SHOPIFY_STORE_DOMAIN: 'shop.example.com', SHOPIFY_STOREFRONT_TOKEN: 'secret-value' }, () => {}),
    ).rejects.toThrow(/missing SHOPIFY_CUSTOMER_EMAIL, SHOPIFY_CUSTOMER_PASSWORD/);
  });

  describe('against a store named by environment variables', () => {
    let em: Emulator;
    beforeAll(async () => {
      em = await startEmulator();
    });
    afterAll(() => em.close());

    it('renews by running the exchanges clock ahead, since a real store clock cannot move', async () => {
      const { code, text } = await capture({
        SHOPIFY_STORE_DOMAIN: em.storeDomain,
        SHOPIFY_STOREFRONT_TOKEN: em.publicAccessToken,
        SHOPIFY_CUSTOMER_EMAIL: DEFAULT_CUSTOMER.email,
        SHOPIFY_CUSTOMER_PASSWORD: DEFAULT_CUSTOMER.password,
      });
      expect(text).toContain(`against the store ${em.storeDomain}`);
      expect(text).toContain('renewed the token');
      expect(em.counters.count('CustomerAccessTokenRenew')).toBe(1);
      expect(text).not.toContain(em.publicAccessToken);
      expect(text).not.toMatch(TOKEN_LIKE);
      expect(code).toBe(0);
    });
  });
});
