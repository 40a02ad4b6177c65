// One tab of several, built from the installed package with esbuild: the tabs share one customer's Customer
// Account token set (access token + rotating refresh token) in a store (`?store=idb`: indexedDbTokenStore, the
// default; `?store=local`: localStorageTokenStore) and refresh through `webLocksCoordination()`, calling the
// emulator's token endpoint (another origin) from the browser as a public client. A test drives each tab through
// `window.tab`: sign-in is started and completed here (PKCE, the code exchange from the browser); only the
// customer's approval, a redirect, is followed by the test.
import { Client, fetchExchange } from '@urql/core';
import { indexedDbTokenStore, localStorageTokenStore, webLocksCoordination } from 'storefront-customer-session';
import {
  CustomerDocument,
  completeSignIn,
  createSignIn,
  customerAccountExchange,
  discoverCustomerAccount,
  signalOf,
  type CustomerAccountTokenSet,
  type SignInRequest,
} from 'storefront-customer-session/customer-account/2026-04';

/** What the page's own server answers at /config.json. */
interface PageConfig {
  /** The emulator's origin: discovery runs against it. */
  shop: string;
  /** The emulator's seeded public client. */
  clientId: string;
  /** A callback registered for it (never loaded: the test hands the callback URL back to `completeSignIn`). */
  redirectUri: string;
}

/** What a read through the exchange ended with. */
interface LoadResult {
  ok: boolean;
  customer?: string;
  signal?: string;
  ms: number;
}

/** What this tab saw since the page loaded. */
interface Observed {
  /** The reasons of every sign-in-required signal (a sign-out). */
  signIns: string[];
  /** Refresh requests (`grant_type=refresh_token`) this tab sent to the token endpoint. */
  refreshesSent: number;
  /** Hand-overs this tab heard from the others. */
  handOversHeard: number;
  /** onTokenChange calls: sign-in, refresh, or `null` (sign-out). */
  tokenChanges: number;
  tokenChangesToNull: number;
}

/** The shared record as the test compares it: the token set's fields, a sign-out mark, or nothing. */
type Stored = CustomerAccountTokenSet | { signedOut: true } | null;

declare global {
  interface Window {
    tab: {
      setClock(ms: number): void;
      /** Starts a sign-in: the authorize URL (state, nonce and verifier kept in this tab). */
      startSignIn(): Promise<string>;
      /** Completes it from the callback URL and stores the token set: `signed in`, or why not. */
      completeSignIn(callback: string): Promise<string>;
      load(): Promise<LoadResult>;
      observed(): Observed;
      stored(): Promise<Stored>;
    };
  }
}

const params = new URL(location.href).searchParams;
const NAME = 'scs-ca-e2e';

let offset = 0;
const now = () => Date.now() + offset;

const store = params.get('store') === 'local' ? localStorageTokenStore(`${NAME}:token`) : indexedDbTokenStore(NAME);

const observed: Observed = { signIns: [], refreshesSent: 0, handOversHeard: 0, tokenChanges: 0, tokenChangesToNull: 0 };
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  if (init?.body instanceof URLSearchParams && init.body.get('grant_type') === 'refresh_token')
    observed.refreshesSent += 1;
  return realFetch(input, init);
};

const coordination = webLocksCoordination({ name: `${NAME}:refresh` });
coordination.onHandOver!(() => void (observed.handOversHeard += 1));
const config = (await (await fetch('./config.json')).json()) as PageConfig;
const oauth = { clientId: config.clientId, now };
const client = new Client({
  url: config.shop,
  exchanges: [
    customerAccountExchange({
      shop: config.shop,
      client: oauth,
      store,
      coordination,
      now,
      onSignInRequired: (signal) => observed.signIns.push(signal.reason),
      onTokenChange: (tokenSet) => {
        observed.tokenChanges += 1;
        if (tokenSet === null) observed.tokenChangesToNull += 1;
      },
    }),
    fetchExchange,
  ],
});

let pending: SignInRequest | undefined;
window.tab = {
  setClock(ms) {
    offset = ms - Date.now();
  },
  async startSignIn() {
    const endpoints = await discoverCustomerAccount(config.shop);
    pending = await createSignIn({ endpoints, clientId: config.clientId, redirectUri: config.redirectUri });
    return pending.url;
  },
  async completeSignIn(callback) {
    if (!pending) return 'no sign-in started';
    const endpoints = await discoverCustomerAccount(config.shop);
    const result = await completeSignIn({
      endpoints,
      client: oauth,
      redirectUri: config.redirectUri,
      callback,
      expected: pending,
    });
    pending = undefined;
    if (!result.ok) return `sign-in failed (${result.reason}${result.error ? `: ${result.error}` : ''})`;
    await store.set(result.tokenSet);
    return 'signed in';
  },
  async load() {
    const started = performance.now();
    const read = await client.query(CustomerDocument, {}, { requestPolicy: 'network-only' }).toPromise();
    const ms = Math.round(performance.now() - started);
    const customer = read.data?.customer;
    if (read.error || !customer) return { ok: false, signal: signalOf(read)?.kind ?? read.error?.message, ms };
    return { ok: true, customer: `${customer.displayName} <${customer.emailAddress?.emailAddress}>`, ms };
  },
  observed: () => structuredClone(observed),
  stored: async () => (await store.read()) as Stored,
};
document.getElementById('status')!.textContent = 'ready';
