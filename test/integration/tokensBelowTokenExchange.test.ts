import { offlineExchange, type StorageAdapter } from '@urql/exchange-graphcache';
import { Client, fetchExchange, mapExchange, type OperationResult } from '@urql/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCustomerAccessToken,
  CustomerDocument,
  customerTokenExchange,
  deleteCustomerAccessToken,
  storefrontExchange,
} from '../../generated/2026-04/entry.js';
import { memoryTokenStore, type Token } from '../../src/index.js';
import { DEFAULT_CUSTOMER, startEmulator, type Emulator } from '../../src/testing/index.js';

let em: Emulator;
const nodeEnv = process.env.NODE_ENV;
beforeAll(async () => {
  process.env.NODE_ENV = 'development'; // graphcache persists nothing under NODE_ENV=test
  em = await startEmulator();
});
afterAll(async () => {
  process.env.NODE_ENV = nodeEnv;
  await em.close();
});

describe('customer tokens stay below the token exchange', () => {
  it(
    'never reach graphcache’s offline storage, nor an exchange above it, except in the ' + 'helpers’ own results',
    async () => {
      const writes: string[] = [];
      const storage: StorageAdapter = {
        readData: async () => ({}),
        writeData: async (delta) => void writes.push(JSON.stringify(delta)),
        readMetadata: async () => [],
        writeMetadata: (json) => void writes.push(JSON.stringify(json)),
        onOnline: () => {},
      };
      const seenAbove: string[] = [];
      const store = memoryTokenStore();
      const tokens = new Set<string>();
      const remember = (token: Token | null) => token && tokens.add(token.accessToken);
      const client = new Client({
        url: em.url,
        exchanges: [
          mapExchange({
            // The helpers (sign in, sign out) are the app's own mutations with the token as a variable: their job.
            onOperation: (op) => void (op.kind !== 'mutation' && seenAbove.push(JSON.stringify(op.variables ?? {}))),
            onResult: (result: OperationResult) => {
              // The helpers' own mutations answer with the token: that is their job. Everything else must not.
              const helper = /customerAccessToken(Create|Renew|Delete)/.test(JSON.stringify(result.data ?? {}));
              if (!helper) seenAbove.push(JSON.stringify({ data: result.data, operation: result.operation.variables }));
            },
          }),
          offlineExchange({ storage, keys: { CustomerAccessToken: () => null } }),
          customerTokenExchange({ store, now: em.clock.now }),
          storefrontExchange({
            storeDomain: em.storeDomain,
            publicAccessToken: em.publicAccessToken,
            now: em.clock.now,
          }),
          fetchExchange,
        ],
      });

      const created = await createCustomerAccessToken(client, DEFAULT_CUSTOMER);
      if (!created.ok) throw new Error(`sign-in failed: ${created.reason}`);
      remember(created.token);
      await store.set(created.token);
      expect((await client.query(CustomerDocument, {}).toPromise()).data?.customer?.email).toBe(DEFAULT_CUSTOMER.email);

      em.clock.set(Date.parse(created.token.expiresAt) - 3 * 86_400_000); // into the renewal window
      await client.query(CustomerDocument, {}, { requestPolicy: 'network-only' }).toPromise();
      remember(await store.get());
      expect(tokens.size).toBeGreaterThanOrEqual(1);
      expect(em.counters.byOperation()['CustomerAccessTokenRenew']).toBe(1);
      expect(await deleteCustomerAccessToken(client, { store })).toMatchObject({ ok: true });
      await new Promise((resolve) => setTimeout(resolve, 50)); // graphcache writes its storage in a microtask batch

      // The storage really received the customer's data, so a token in it would have been seen.
      expect(writes.some((w) => w.includes(DEFAULT_CUSTOMER.email))).toBe(true);
      for (const token of tokens) {
        expect(writes.filter((w) => w.includes(token))).toEqual([]);
        expect(seenAbove.filter((s) => s.includes(token))).toEqual([]);
      }
    },
  );
});
