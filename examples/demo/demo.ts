import { Client, fetchExchange, type Exchange } from '@urql/core';
import { pipe, tap } from 'wonka';
import {
  apiVersion,
  createCustomerAccessToken,
  CustomerDocument,
  customerTokenExchange,
  deleteCustomerAccessToken,
  storefrontExchange,
} from '../../generated/latest.js';
import { DEFAULT_RENEW_WINDOW_MS, TOKEN_LIFETIME_MS } from '../../src/runtime/customerTokenOptions.js';
import { describeSignal } from '../../src/runtime/signals.js';
import { memoryTokenStore, type Token } from '../../src/runtime/tokenStore.js';
import { DEFAULT_CUSTOMER, startEmulator, type Emulator } from '../../src/testing/index.js';

/** Where the walk-through runs: the local emulator, or a real store named by environment variables. */
interface Target {
  storeDomain: string;
  publicAccessToken: string;
  email: string;
  password: string;
  /** Moves the clock the exchanges see; on the emulator, the emulator's clock too. */
  advance(ms: number): void;
  now(): number;
  close(): Promise<void>;
  description: string;
  /** Renew requests the server counted (the emulator only). */
  serverRenewCount?: () => number;
}

/** Counts the renew mutations the exchanges send, so the demo can say what happened on any store. */
function renewCounter(): { exchange: Exchange; count: () => number } {
  let count = 0;
  const exchange: Exchange =
    ({ forward }) =>
    (ops$) =>
      forward(
        pipe(
          ops$,
          tap(
            (op) =>
              void (
                op.kind === 'mutation' &&
                op.query.definitions.some(
                  (d) => d.kind === 'OperationDefinition' && d.name?.value === 'CustomerAccessTokenRenew',
                ) &&
                count++
              ),
          ),
        ),
      );
  return { exchange, count: () => count };
}

/** The environment variables that point the demo at a real store instead of the emulator. */
export const DEMO_ENV = [
  'SHOPIFY_STORE_DOMAIN',
  'SHOPIFY_STOREFRONT_TOKEN',
  'SHOPIFY_CUSTOMER_EMAIL',
  'SHOPIFY_CUSTOMER_PASSWORD',
] as const;

async function targetFrom(env: Record<string, string | undefined>): Promise<Target> {
  const given = DEMO_ENV.filter((name) => env[name]);
  if (given.length === DEMO_ENV.length) {
    let offset = 0;
    return {
      storeDomain: env.SHOPIFY_STORE_DOMAIN!,
      publicAccessToken: env.SHOPIFY_STOREFRONT_TOKEN!,
      email: env.SHOPIFY_CUSTOMER_EMAIL!,
      password: env.SHOPIFY_CUSTOMER_PASSWORD!,
      // A real store's clock cannot move: the exchanges' clock runs ahead instead, so the token looks due.
      advance: (ms) => void (offset += ms),
      now: () => Date.now() + offset,
      close: async () => {},
      description: `the store ${env.SHOPIFY_STORE_DOMAIN}`,
    };
  }
  if (given.length > 0) {
    const missing = DEMO_ENV.filter((name) => !env[name]);
    throw new Error(
      'storefront-customer-session: to run against a real store set all of ' +
        `${DEMO_ENV.join(', ')}; missing ${missing.join(', ')}.`,
    );
  }
  const em: Emulator = await startEmulator();
  return {
    storeDomain: em.storeDomain,
    publicAccessToken: em.publicAccessToken,
    email: DEFAULT_CUSTOMER.email,
    password: DEFAULT_CUSTOMER.password,
    advance: (ms) => em.clock.advance(ms),
    now: em.clock.now,
    serverRenewCount: () => em.counters.count('CustomerAccessTokenRenew'),
    close: () => em.close(),
    description: `the local Storefront emulator at ${em.url}`,
  };
}

const days = (ms: number) => `${Math.round(ms / 86_400_000)} days`;
const describeToken = (token: Token | null, now: number) =>
  token
    ? `a token (kept secret) that expires at ${token.expiresAt}, in ${days(Date.parse(token.expiresAt) - now)}`
    : 'no token';

/**
 * The package's main job, in plain words: sign a customer in, read the customer, let time pass into the
 * renewal window, read again (the exchange renews the token once, first), sign out. Runs on the local
 * emulator unless {@link DEMO_ENV} name a real store.
 *
 * @returns 0 when every step did what it should, 1 otherwise.
 */
export async function runDemo(
  env: Record<string, string | undefined> = process.env,
  say: (line: string) => void = console.log,
): Promise<number> {
  const target = await targetFrom(env);
  try {
    say(`Storefront API ${apiVersion}, against ${target.description}.`);
    const store = memoryTokenStore();
    const renewals = renewCounter();
    const client = new Client({
      url: `https://${target.storeDomain}`,
      exchanges: [
        customerTokenExchange({
          store,
          now: target.now,
          onSignal: (signal) => say(`  (signal) ${describeSignal(signal)}`),
        }),
        renewals.exchange,
        storefrontExchange({ storeDomain: target.storeDomain, publicAccessToken: target.publicAccessToken }),
        fetchExchange,
      ],
    });

    say(`1. Signing in as ${target.email}…`);
    const signIn = await createCustomerAccessToken(client, { email: target.email, password: target.password });
    if (!signIn.ok) {
      say(
        `   Sign-in failed (${signIn.reason}): ` +
          `${signIn.customerUserErrors.map((e) => e.message).join('; ') || signIn.error?.message}`,
      );
      return 1;
    }
    await store.set(signIn.token);
    say(`   Signed in: the store now holds ${describeToken(signIn.token, target.now())}.`);

    const readCustomer = async (step: string) => {
      // The exchange fills in $customerAccessToken from the store.
      const result = await client.query(CustomerDocument, {}, { requestPolicy: 'network-only' }).toPromise();
      const customer = result.data?.customer;
      say(
        customer
          ? `${step} Read the customer: ${customer.displayName} <${customer.email}>.`
          : `${step} Could not read the customer: ${result.error?.message ?? 'no customer for this token'}.`,
      );
      return Boolean(customer);
    };
    if (!(await readCustomer('2.'))) return 1;

    const skip = TOKEN_LIFETIME_MS - DEFAULT_RENEW_WINDOW_MS + 86_400_000;
    target.advance(skip);
    const before = await store.get();
    say(
      `3. ${days(skip)} pass. The token has ` +
        `${days(Date.parse(before!.expiresAt) - target.now())} left: inside the ` +
        `${days(DEFAULT_RENEW_WINDOW_MS)} renewal window.`,
    );

    const serverBefore = target.serverRenewCount?.();
    if (!(await readCustomer('4.'))) return 1;
    const after = await store.get();
    const sent = renewals.count();
    const counted =
      serverBefore === undefined ? '' : `, the server counted ${target.serverRenewCount!() - serverBefore}`;
    say(
      sent === 1
        ? `   Before that read, the exchange renewed the token (1 renew request sent${counted}): ` +
            `the store now holds ${describeToken(after, target.now())}.`
        : `   Expected exactly one renew request before that read; ${sent} were sent.`,
    );
    if (sent !== 1 || (serverBefore !== undefined && target.serverRenewCount!() - serverBefore !== 1)) return 1;

    say('5. Signing out…');
    const signOut = await deleteCustomerAccessToken(client, { store });
    say(
      signOut.ok
        ? `   Signed out (server: ${signOut.server}); the store holds ` +
            `${describeToken(await store.get(), target.now())}.`
        : `   Sign-out failed: ${signOut.reason}.`,
    );
    return signOut.ok ? 0 : 1;
  } finally {
    await target.close();
  }
}
