// One tab of several, built from the installed package with esbuild: the tabs share a token store
// (`?store=local`: localStorageTokenStore, the default; `?store=idb`: indexedDbTokenStore) and renew through
// `webLocksCoordination({ timeoutMs: ?timeout })`, which hands each renewal over to the other tabs. A test drives
// each tab through `window.tab`. `?hang=1` makes this tab's renew requests never return (they are never sent), so
// it holds the renewal lock forever; `?window=<ms>` sets renewWindowMs. A test that runs the tabs without Web
// Locks removes `navigator.locks` before this script runs.
import { Client, fetchExchange } from '@urql/core';
import {
  CustomerDocument,
  createCustomerAccessToken,
  customerTokenExchange,
  indexedDbTokenStore,
  localStorageTokenStore,
  signalOf,
  storefrontExchange,
  webLocksCoordination,
  type Token,
} from 'storefront-customer-session';

/** What the page's own server answers at /config.json. */
interface PageConfig {
  storeDomain: string;
  publicAccessToken: string;
  email: string;
  password: string;
}

/** What a read through the exchanges ended with. */
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
  /** ms waited for each lock entry, and whether the lock was had then. */
  lockWaits: number[];
  lockHeld: boolean[];
  /** Renew requests this tab sent. */
  renewsSent: number;
  /** Hand-overs this tab heard from the others. */
  handOversHeard: number;
  /** Reads the server answered `customer: null` (sent with a token another tab's renewal had just replaced). */
  customerNulls: number;
}

declare global {
  interface Window {
    tab: {
      setClock(ms: number): void;
      signIn(): Promise<string>;
      load(): Promise<LoadResult>;
      observed(): Observed;
      /** The shared record: a token, a sign-out mark, or null. */
      stored(): Promise<Token | { signedOut: true } | null>;
    };
  }
}

const params = new URL(location.href).searchParams;
const KEY = 'scs-e2e:token';
const LOCK = 'scs-e2e:renewal';

let offset = 0;
const now = () => Date.now() + offset;

const store = params.get('store') === 'idb' ? indexedDbTokenStore(KEY) : localStorageTokenStore(KEY);

const observed: Observed = {
  signIns: [],
  lockWaits: [],
  lockHeld: [],
  renewsSent: 0,
  handOversHeard: 0,
  customerNulls: 0,
};
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  if (typeof init?.body !== 'string' || !init.body.includes('CustomerAccessTokenRenew')) {
    const response = await realFetch(input, init);
    if ((await response.clone().text()).includes('"customer":null')) observed.customerNulls += 1;
    return response;
  }
  if (params.get('hang') === '1') return new Promise<Response>(() => {});
  observed.renewsSent += 1;
  return realFetch(input, init);
};

const coordination = webLocksCoordination({ name: LOCK, timeoutMs: Number(params.get('timeout') ?? 10_000) });
coordination.onHandOver!(() => void (observed.handOversHeard += 1));
const config = (await (await fetch('./config.json')).json()) as PageConfig;
const client = new Client({
  url: `https://${config.storeDomain}`,
  exchanges: [
    customerTokenExchange({
      store,
      now,
      ...(params.has('window') ? { renewWindowMs: Number(params.get('window')) } : {}),
      onSignInRequired: (signal) => observed.signIns.push(signal.reason),
      coordination: {
        withRenewalLock(run) {
          const asked = performance.now();
          return coordination.withRenewalLock((held, why) => {
            observed.lockWaits.push(Math.round(performance.now() - asked));
            observed.lockHeld.push(held);
            return run(held, why);
          });
        },
        handOver: coordination.handOver!,
        onHandOver: coordination.onHandOver!,
      },
    }),
    storefrontExchange({ storeDomain: config.storeDomain, publicAccessToken: config.publicAccessToken, now }),
    fetchExchange,
  ],
});

window.tab = {
  setClock(ms) {
    offset = ms - Date.now();
  },
  async signIn() {
    const result = await createCustomerAccessToken(client, { email: config.email, password: config.password }, { now });
    if (!result.ok) return `sign-in failed (${result.reason})`;
    await store.set(result.token);
    return 'signed in';
  },
  async load() {
    const started = performance.now();
    const read = await client.query(CustomerDocument, {}, { requestPolicy: 'network-only' }).toPromise();
    const ms = Math.round(performance.now() - started);
    if (read.error) return { ok: false, signal: signalOf(read)?.kind ?? read.error.message, ms };
    return { ok: true, customer: `${read.data?.customer?.displayName} <${read.data?.customer?.email}>`, ms };
  },
  observed: () => structuredClone(observed),
  stored: async () => (await store.read()) as Token | { signedOut: true } | null,
};
document.getElementById('status')!.textContent = 'ready';
