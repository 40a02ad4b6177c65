import {
  completeSignIn,
  createSignIn,
  discoverCustomerAccount,
  type CustomerAccountClient,
  type CustomerAccountEndpoints,
  type CustomerAccountTokenSet,
} from '../../src/customerAccount/index.js';
import { startEmulator, type Emulator } from '../../src/testing/index.js';

/**
 * Signs the emulator's default customer in with the package's own Customer Account client, over HTTP: the
 * authorize request (through `client.fetch` when given), then the code exchange with PKCE. Throws when it fails.
 */
export async function signIn(
  em: Emulator,
  endpoints: CustomerAccountEndpoints,
  client: CustomerAccountClient,
): Promise<CustomerAccountTokenSet> {
  const redirectUri = em.customerAccount.redirectUri;
  const request = await createSignIn({ endpoints, clientId: client.clientId, redirectUri });
  const authorized = await (client.fetch ?? fetch)(request.url, { redirect: 'manual' });
  const callback = authorized.headers.get('location');
  if (authorized.status !== 302 || !callback) throw new Error(`authorize answered ${authorized.status}`);
  const result = await completeSignIn({ endpoints, client, redirectUri, callback, expected: request });
  if (!result.ok) throw new Error(`sign-in failed: ${result.reason}`);
  return result.tokenSet;
}

/** An emulator at `now`, its discovered Customer Account endpoints, and its public client on the emulator's clock. */
export async function customerAccountWorld(
  now: number,
): Promise<{ em: Emulator; endpoints: CustomerAccountEndpoints; oauth: CustomerAccountClient }> {
  const em = await startEmulator({ now });
  const endpoints = await discoverCustomerAccount(em.url);
  return { em, endpoints, oauth: { clientId: em.customerAccount.publicClientId, now: em.clock.now } };
}
