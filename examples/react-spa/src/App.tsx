import { useState, type FormEvent } from 'react';
import { Provider, useQuery, type Client } from 'urql';
import {
  CustomerDocument,
  createCustomerAccessToken,
  deleteCustomerAccessToken,
  type SignInRequired,
} from 'storefront-customer-session/2026-04';
import { createSessionClient, createSignInClient, tokenStore } from './session';

type Session = { client: Client } | { signedOut: SignInRequired['reason'] | 'signed-out' };

export function App() {
  // Every visit starts a session: with no stored token the exchange answers at once with sign-in-required
  // ('missing'), without a request. onSignInRequired (once per change to signed-out) goes into React state.
  const start = (): Session => ({ client: createSessionClient(({ reason }) => setSession({ signedOut: reason })) });
  const [session, setSession] = useState<Session>(start);

  if ('signedOut' in session) return <SignIn reason={session.signedOut} onSignedIn={() => setSession(start())} />;
  return (
    <Provider value={session.client}>
      <Account
        onSignOut={async () => {
          await deleteCustomerAccessToken(session.client, { store: tokenStore });
          setSession({ signedOut: 'signed-out' });
        }}
      />
    </Provider>
  );
}

function SignIn({ reason, onSignedIn }: { reason: string; onSignedIn: () => void }) {
  const [error, setError] = useState<string>();
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const result = await createCustomerAccessToken(createSignInClient(), {
      email: String(form.get('email')),
      password: String(form.get('password')),
    });
    if (!result.ok) return setError(result.reason);
    await tokenStore.set(result.token);
    onSignedIn();
  }
  return (
    <form id="sign-in" onSubmit={(event) => void submit(event)}>
      {reason === 'expired' || reason === 'invalid' ? (
        <p id="notice">Your session ended: please sign in again.</p>
      ) : null}
      {error ? <p id="error">Sign-in failed: {error}</p> : null}
      <input name="email" type="email" autoComplete="username" required />
      <input name="password" type="password" autoComplete="current-password" required />
      <button type="submit">Sign in</button>
    </form>
  );
}

function Account({ onSignOut }: { onSignOut: () => Promise<void> }) {
  const [{ data, fetching }, reload] = useQuery({ query: CustomerDocument });
  const customer = data?.customer;
  return (
    <main>
      {customer ? (
        <p id="customer">
          {customer.displayName} &lt;{customer.email}&gt;
        </p>
      ) : (
        <p id="status">{fetching ? 'Loading …' : 'The store cannot be reached right now.'}</p>
      )}
      <button id="reload" onClick={() => reload({ requestPolicy: 'network-only' })}>
        Reload
      </button>
      <button id="sign-out" onClick={() => void onSignOut()}>
        Sign out
      </button>
    </main>
  );
}
