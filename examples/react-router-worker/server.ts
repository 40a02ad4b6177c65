// A Worker (workerd: Oxygen, Cloudflare) in Hydrogen's shape: per request, a cookie session, one urql client
// whose token store is that session, the app's routes, then the session committed when it changed.
import { Client, fetchExchange } from '@urql/core';
import {
  CustomerDocument,
  createCustomerAccessToken,
  customerTokenExchange,
  deleteCustomerAccessToken,
  signalOf,
  storefrontExchange,
  type TokenStore,
} from 'storefront-customer-session/2026-04';
import { AppSession, sessionTokenStore } from './app/session';

export interface Env {
  SESSION_SECRET: string;
  STOREFRONT_DOMAIN: string;
  STOREFRONT_PUBLIC_TOKEN: string;
}

function storefrontClient(env: Env, store: TokenStore): Client {
  return new Client({
    url: `https://${env.STOREFRONT_DOMAIN}`, // replaced: every operation goes to /api/2026-04/graphql.json
    exchanges: [
      customerTokenExchange({ store }),
      storefrontExchange({ storeDomain: env.STOREFRONT_DOMAIN, publicAccessToken: env.STOREFRONT_PUBLIC_TOKEN }),
      fetchExchange,
    ],
  });
}

const html = (body: string, status = 200) =>
  new Response(`<!doctype html><html><body>${body}</body></html>`, {
    status,
    headers: { 'Content-Type': 'text/html; charset=utf-8' },
  });
const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const redirect = (location: string) => new Response(null, { status: 303, headers: { Location: location } });

const SIGN_IN_FORM =
  '<form id="sign-in" method="post" action="/account/login">' +
  '<input name="email" type="email" required><input name="password" type="password" required>' +
  '<button type="submit">Sign in</button></form>';

async function handle(request: Request, client: Client, store: TokenStore): Promise<Response> {
  const { pathname } = new URL(request.url);
  if (pathname === '/account/login' && request.method === 'POST') {
    const form = await request.formData();
    const credentials = { email: String(form.get('email') ?? ''), password: String(form.get('password') ?? '') };
    const signIn = await createCustomerAccessToken(client, credentials);
    if (!signIn.ok) return html(`<p id="error">Sign-in failed: ${signIn.reason}</p>${SIGN_IN_FORM}`, 401);
    await store.set(signIn.token);
    return redirect('/account');
  }
  if (pathname === '/account/logout' && request.method === 'POST') {
    await deleteCustomerAccessToken(client, { store });
    return redirect('/');
  }
  if (pathname === '/account') {
    // The exchange renews the token first when it is inside the renewal window, through the session store.
    const result = await client.query(CustomerDocument, {}).toPromise();
    const customer = result.data?.customer;
    if (customer) return html(`<p id="customer">${escape(`${customer.displayName} <${customer.email}>`)}</p>`);
    const signedOut = signalOf(result)?.kind === 'sign-in-required';
    return html(
      signedOut ? `<p id="signed-out">Please sign in again.</p>${SIGN_IN_FORM}` : '<p>Try again later.</p>',
      signedOut ? 401 : 503,
    );
  }
  if (pathname === '/') return html(SIGN_IN_FORM);
  return new Response('Not found', { status: 404 });
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const session = await AppSession.init(request, [env.SESSION_SECRET]);
    const store = sessionTokenStore(session);
    const response = await handle(request, storefrontClient(env, store), store);
    if (session.isPending) response.headers.append('Set-Cookie', await session.commit());
    return response;
  },
};
