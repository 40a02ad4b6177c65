import { inspect } from 'node:util';
import { Client, fetchExchange, type OperationResult } from '@urql/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as v2025 from '../../generated/2025-07/entry.js';
import {
  createCustomerAccessToken,
  CustomerDocument,
  customerTokenExchange,
  deleteCustomerAccessToken,
  renewCustomerAccessToken,
  storefrontExchange,
} from '../../generated/2026-04/entry.js';
import { memoryTokenStore, type CustomerSessionSignal, type Token, type TokenStore } from '../../src/index.js';
import {
  DEFAULT_CUSTOMER,
  formatExpiresAt,
  startEmulator,
  type Emulator,
  type Fault,
} from '../../src/testing/index.js';

const DAY = 86_400_000;
const BAD_STOREFRONT_TOKEN = 'shpat_bad_storefront_token_0123456789';
const WRONG_PASSWORD = 'wrong-password-that-must-not-leak';
let em: Emulator;

/** Everything the app could print: results, signals, helper answers, thrown errors, console output. */
const seen: unknown[] = [];
const METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

beforeAll(async () => {
  em = await startEmulator();
  for (const method of METHODS)
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void seen.push(args));
});
afterAll(async () => {
  vi.restoreAllMocks();
  await em.close();
});

function session(token: Token | null, options: { store?: TokenStore; publicAccessToken?: string } = {}) {
  const store = options.store ?? memoryTokenStore(token);
  const client = new Client({
    url: em.url,
    exchanges: [
      customerTokenExchange({ store, now: em.clock.now, onSignal: (s: CustomerSessionSignal) => seen.push(s) }),
      storefrontExchange({
        storeDomain: em.storeDomain,
        publicAccessToken: options.publicAccessToken ?? em.publicAccessToken,
        now: em.clock.now,
        onVersionMismatch: (s) => seen.push(s),
        onDeprecation: (s) => seen.push(s),
        retry: { sleep: async () => {}, random: () => 0.5 },
      }),
      fetchExchange,
    ],
  });
  return { client, store };
}

const issue = (): Token => {
  const t = em.customers.issue(DEFAULT_CUSTOMER.email);
  return { accessToken: t.accessToken, expiresAt: formatExpiresAt(t.expiresAt) };
};
const read = async (client: Client, n = 0): Promise<OperationResult> => {
  const result = await client.query(CustomerDocument, { n } as never, { requestPolicy: 'network-only' }).toPromise();
  seen.push(result);
  return result;
};
/** A helper's answer: a failure is collected; a success carries the token the app asked for, which is the point. */
const answer = (result: { ok: boolean }) => void (result.ok || seen.push(result));
const attempt = (fn: () => unknown) => {
  try {
    seen.push(fn());
  } catch (error) {
    seen.push(error);
  }
};

/** Every way the app might log a value: JSON (errors expanded), String, util.inspect, and error stacks. */
function renderings(value: unknown): string[] {
  const expand = (_key: string, v: unknown) =>
    v instanceof Error
      ? {
          name: v.name,
          message: v.message,
          stack: v.stack,
          cause: v.cause,
          ...(v as unknown as Record<string, unknown>),
        }
      : v;
  const out = [String(value), inspect(value, { depth: 8, showHidden: false }), JSON.stringify(value, expand) ?? ''];
  if (value instanceof Error) out.push(value.stack ?? '');
  const networkError = (value as OperationResult | undefined)?.error?.networkError;
  if (networkError) out.push(networkError.stack ?? '', String(networkError.cause));
  return out;
}

describe('secrets', () => {
  it(
    'never shows a token, storefront token or password in any result, error, signal or ' +
      'console line across the failure matrix',
    async () => {
      // Misconfiguration: thrown errors.
      attempt(() =>
        storefrontExchange({
          storeDomain: em.storeDomain,
          publicAccessToken: em.publicAccessToken,
          privateAccessToken: em.privateAccessToken,
        }),
      );
      attempt(() => storefrontExchange({ storeDomain: 'bad domain', publicAccessToken: em.publicAccessToken }));
      attempt(() => storefrontExchange({ storeDomain: em.storeDomain, publicAccessToken: '   ' }));
      vi.stubGlobal('window', {});
      attempt(() => storefrontExchange({ storeDomain: em.storeDomain, privateAccessToken: em.privateAccessToken }));
      vi.unstubAllGlobals();

      // Sign in: right and wrong password.
      const { client: signInClient } = session(null);
      answer(
        await createCustomerAccessToken(signInClient, { email: DEFAULT_CUSTOMER.email, password: WRONG_PASSWORD }),
      );
      const signedIn = await createCustomerAccessToken(signInClient, DEFAULT_CUSTOMER);
      if (!signedIn.ok) throw new Error('sign-in failed');

      // Healthy read, then no token at all.
      await read(session(issue()).client);
      await read(session(null).client);

      // Expired and inside the skew margin.
      for (const left of [-DAY, 60_000]) {
        const token = issue();
        em.clock.set(Date.parse(token.expiresAt) - left);
        await read(session(token).client);
      }

      // Renew answered with userErrors or ACCESS_DENIED.
      for (const shape of ['user-errors', 'access-denied'] as const) {
        em.settings.invalidRenewShape = shape;
        const token = issue();
        answer(
          await deleteCustomerAccessToken(signInClient, { store: memoryTokenStore(token) }, { now: em.clock.now }),
        );
        em.clock.set(Date.parse(token.expiresAt) - 2 * DAY);
        await Promise.all([read(session(token).client, 1), read(session(token).client, 2)]);
        answer(await renewCustomerAccessToken(signInClient, token, { now: em.clock.now }));
      }

      // Every transient fault, on renew and on the read itself.
      const faults: Fault[] = [
        { kind: 'reset' },
        { kind: 'truncated-body' },
        { kind: 'non-json-body' },
        ...([429, 430, 500, 502, 503] as const).map((status) => ({ kind: 'status' as const, status, retryAfter: 1 })),
        ...([401, 402, 403, 423] as const).map((status) => ({ kind: 'status' as const, status })),
      ];
      for (const fault of faults) {
        for (const operationName of ['CustomerAccessTokenRenew', 'Customer']) {
          em.faults.clear();
          em.faults.inject(fault, { times: Infinity, operationName });
          const token = issue();
          em.clock.set(Date.parse(token.expiresAt) - 2 * DAY);
          await read(session(token).client);
          answer(await renewCustomerAccessToken(signInClient, token, { now: em.clock.now }));
          answer(
            await deleteCustomerAccessToken(signInClient, { store: memoryTokenStore(token) }, { now: em.clock.now }),
          );
        }
      }
      em.faults.clear();

      // A rejected storefront token, a store that cannot write or read, a revoked token, a document of another version.
      await read(session(issue(), { publicAccessToken: BAD_STOREFRONT_TOKEN }).client);
      const inner = memoryTokenStore(issue());
      em.clock.set(Date.parse((inner.get() as Token).expiresAt) - 2 * DAY);
      await read(
        session(null, {
          store: { get: inner.get, clear: inner.clear, set: () => Promise.reject(new Error('quota exceeded')) },
        }).client,
      );
      await read(
        session(null, {
          store: { get: () => Promise.reject(new Error('store down')), set: inner.set, clear: inner.clear },
        }).client,
      );
      const revoked = issue();
      await deleteCustomerAccessToken(signInClient, { store: memoryTokenStore(revoked) }, { now: em.clock.now });
      await read(session(revoked).client);
      const foreign = await session(issue())
        .client.query(v2025.CustomerDocument, {} as never)
        .toPromise();
      seen.push(foreign);

      // The secrets: every customer token the emulator ever issued, both storefront tokens, the passwords.
      const secrets = [
        ...em.customers.tokens(DEFAULT_CUSTOMER.email).map((t) => t.accessToken),
        em.publicAccessToken,
        em.privateAccessToken,
        BAD_STOREFRONT_TOKEN,
        DEFAULT_CUSTOMER.password,
        WRONG_PASSWORD,
      ];
      expect(secrets.length).toBeGreaterThan(40);
      expect(seen.length).toBeGreaterThan(60);
      const leaks: string[] = [];
      for (const value of seen) {
        for (const text of renderings(value)) {
          for (const secret of secrets)
            if (text.includes(secret)) leaks.push(`${secret.slice(0, 4)}… in ${text.slice(0, 200)}`);
        }
      }
      expect(leaks).toEqual([]);
    },
  );
});
