// A browser page built from the installed package with esbuild: signs a customer in with the public
// Storefront token, then reads the customer through the exchanges, which renew the token first when it
// is inside the renewal window. The Storefront (the emulator) is another origin: every request is CORS.
// `window.travel(ms)` moves the page's clock with the emulator's, as a test drives it.
import { Client, fetchExchange } from '@urql/core';
import {
  CustomerDocument,
  apiVersion,
  createCustomerAccessToken,
  customerTokenExchange,
  memoryTokenStore,
  signalOf,
  storefrontExchange,
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

declare global {
  interface Window {
    /** Moves the page's clock forward, like the emulator's. */
    travel(ms: number): void;
  }
}

const show = (id: string, text: string) => {
  document.getElementById(id)!.textContent = text;
};

let offset = 0;
const now = () => Date.now() + offset;
window.travel = (ms) => {
  offset += ms;
};

const memory = memoryTokenStore();
let writes = 0;
/** The memory store, counting writes so the page can show that one renewal happened. */
const store: TokenStore = {
  get: () => memory.get(),
  set(token: Token) {
    writes += 1;
    show('writes', String(writes));
    show('expires', token.expiresAt);
    return memory.set(token);
  },
  clear: () => memory.clear(),
};

const config = (await (await fetch('./config.json')).json()) as PageConfig;
const client = new Client({
  url: `https://${config.storeDomain}`,
  exchanges: [
    customerTokenExchange({
      store,
      now,
      onSignInRequired: (signal) => show('status', `sign in required (${signal.reason})`),
    }),
    storefrontExchange({ storeDomain: config.storeDomain, publicAccessToken: config.publicAccessToken, now }),
    fetchExchange,
  ],
});
show('version', apiVersion);

const signIn = document.getElementById('sign-in') as HTMLButtonElement;
const load = document.getElementById('load') as HTMLButtonElement;

signIn.addEventListener('click', async () => {
  const result = await createCustomerAccessToken(client, { email: config.email, password: config.password }, { now });
  if (!result.ok) return show('status', `sign-in failed (${result.reason})`);
  await store.set(result.token);
  show('status', 'signed in');
});

load.addEventListener('click', async () => {
  // The token is not passed: the exchange fills it in, renewing it first when it is inside the window.
  const read = await client.query(CustomerDocument, {}, { requestPolicy: 'network-only' }).toPromise();
  if (read.error) return show('status', `read failed (${signalOf(read)?.kind ?? read.error.message})`);
  show('customer', `${read.data?.customer?.displayName} <${read.data?.customer?.email}>`);
  show('status', 'loaded');
});

signIn.disabled = false;
load.disabled = false;
show('status', 'ready');
