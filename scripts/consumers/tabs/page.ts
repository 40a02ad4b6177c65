// One tab of several, built from the installed package with esbuild: the tabs share a token store
// (localStorage, read synchronously, or an asynchronous wrapper over it: `?store=async`) and renew through
// `webLocksCoordination({ timeoutMs: ?timeout })`. A test drives each tab through `window.tab`. `?hang=1`
// makes this tab's renew requests never return (they are never sent), so it holds the renewal lock forever.
import { Client, fetchExchange } from '@urql/core';
import {
  CustomerDocument,
  createCustomerAccessToken,
  customerTokenExchange,
  localStorageTokenStore,
  signalOf,
  storefrontExchange,
  webLocksCoordination,
  type Token,
  type TokenStore,
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

declare global {
  interface Window {
    tab: {
      setClock(ms: number): void;
      signIn(): Promise<string>;
      load(): Promise<LoadResult>;
      /** What this tab saw: sign-in-required reasons, ms waited for each lock entry, renew requests sent. */
      observed(): { signIns: string[]; lockWaits: number[]; renewsSent: number };
      stored(): Token | null;
    };
  }
}

const params = new URL(location.href).searchParams;
const KEY = 'scs-e2e:token';
const LOCK = 'scs-e2e:renewal';

let offset = 0;
const now = () => Date.now() + offset;

const shared = localStorageTokenStore(KEY);
const pause = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
/** The same localStorage behind promises that settle a few ms later, as IndexedDB or a server would. */
const asyncStore: TokenStore = {
  get: async () => (await pause(), shared.get()),
  set: async (token) => (await pause(), shared.set(token)),
  clear: async () => (await pause(), shared.clear()),
};
const store: TokenStore = params.get('store') === 'async' ? asyncStore : shared;

let renewsSent = 0;
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  if (typeof init?.body !== 'string' || !init.body.includes('CustomerAccessTokenRenew')) return realFetch(input, init);
  if (params.get('hang') === '1') return new Promise<Response>(() => {});
  renewsSent += 1;
  return realFetch(input, init);
};

const signIns: string[] = [];
const lockWaits: number[] = [];

const coordination = webLocksCoordination({ name: LOCK, timeoutMs: Number(params.get('timeout') ?? 10_000) });
const config = (await (await fetch('./config.json')).json()) as PageConfig;
const client = new Client({
  url: `https://${config.storeDomain}`,
  exchanges: [
    customerTokenExchange({
      store,
      now,
      onSignInRequired: (signal) => signIns.push(signal.reason),
      coordination: {
        withRenewalLock(renew) {
          const asked = performance.now();
          return coordination.withRenewalLock(() => {
            lockWaits.push(Math.round(performance.now() - asked));
            return renew();
          });
        },
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
  observed: () => ({ signIns, lockWaits, renewsSent }),
  stored: () => shared.get(),
};
document.getElementById('status')!.textContent = 'ready';
