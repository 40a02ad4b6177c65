// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { Client, fetchExchange, Provider, useMutation, useQuery } from 'urql';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CustomerAccessTokenCreateDocument,
  CustomerDocument,
  customerTokenExchange,
  storefrontExchange,
} from '../../generated/2026-04/entry.js';
import { memoryTokenStore, signalOf, type SignInRequired, type TokenStore } from '../../src/index.js';
import { DEFAULT_CUSTOMER, startEmulator, type Emulator } from '../../src/testing/index.js';

const DAY = 86_400_000;
let em: Emulator;

beforeAll(async () => {
  em = await startEmulator();
});
afterAll(() => em.close());
afterEach(() => cleanup());

function Account() {
  const [{ data, error, fetching }, reexecute] = useQuery({ query: CustomerDocument, requestPolicy: 'network-only' });
  const [, signIn] = useMutation(CustomerAccessTokenCreateDocument);
  const signal = signalOf(error);
  return (
    <div>
      <p role="status">
        {fetching
          ? 'loading'
          : data?.customer
            ? `Hello ${data.customer.email}`
            : signal?.kind === 'sign-in-required'
              ? `Sign in (${signal.reason})`
              : 'unknown'}
      </p>
      <button onClick={() => reexecute()}>Reload</button>
      <button
        onClick={async () => {
          const result = await signIn({
            input: { email: DEFAULT_CUSTOMER.email, password: DEFAULT_CUSTOMER.password },
          });
          const token = result.data?.customerAccessTokenCreate?.customerAccessToken;
          if (token) await storeOf.current!.set(token);
          reexecute();
        }}
      >
        Sign in
      </button>
    </div>
  );
}
const storeOf: { current: TokenStore | null } = { current: null };

function app(store: TokenStore, onSignInRequired: (s: SignInRequired) => void) {
  storeOf.current = store;
  const client = new Client({
    url: em.url,
    exchanges: [
      customerTokenExchange({ store, now: em.clock.now, onSignInRequired }),
      storefrontExchange({ storeDomain: em.storeDomain, publicAccessToken: em.publicAccessToken, now: em.clock.now }),
      fetchExchange,
    ],
  });
  return render(
    <Provider value={client}>
      <Account />
    </Provider>,
  );
}

describe('with React’s urql in a browser-like page', () => {
  it(
    'signs in with useMutation, reads the customer with useQuery, renews once in the window, ' +
      'and asks to sign in after expiry',
    async () => {
      const signIns: SignInRequired[] = [];
      const store = memoryTokenStore();
      app(store, (s) => signIns.push(s));
      expect(await screen.findByText('Sign in (missing)', {}, { timeout: 10_000 })).toBeTruthy();

      await act(async () => fireEvent.click(screen.getByText('Sign in')));
      expect(await screen.findByText(`Hello ${DEFAULT_CUSTOMER.email}`, {}, { timeout: 10_000 })).toBeTruthy();
      const signedIn = (await store.get())!;

      em.clock.set(Date.parse(signedIn.expiresAt) - 2 * DAY);
      em.counters.reset();
      await act(async () => fireEvent.click(screen.getByText('Reload')));
      expect(await screen.findByText(`Hello ${DEFAULT_CUSTOMER.email}`, {}, { timeout: 10_000 })).toBeTruthy();
      expect(em.counters.count('CustomerAccessTokenRenew')).toBe(1);
      expect((await store.get())!.accessToken).not.toBe(signedIn.accessToken);

      em.clock.advance(43 * DAY);
      await act(async () => fireEvent.click(screen.getByText('Reload')));
      expect(await screen.findByText('Sign in (expired)', {}, { timeout: 10_000 })).toBeTruthy();
      expect(await store.get()).toBeNull();
      expect(signIns.map((s) => s.reason)).toEqual(['missing', 'expired']);
    },
  );

  it('refuses a private storefront token in the browser', () => {
    expect(() =>
      storefrontExchange({ storeDomain: em.storeDomain, privateAccessToken: em.privateAccessToken }),
    ).toThrow(/private token must never reach a browser/);
  });
});
