import type { Answer } from '../responses.js';
import type { CustomerAccountCustomer } from './accessTokens.js';
import type { ClientRegistry } from './oauthClients.js';
import type { createGrants } from './oauthGrants.js';
import { oauthError, redirect, withQuery } from './oauthReplies.js';

/** What the authorize endpoint reads. */
export interface AuthorizeDeps {
  clients: ClientRegistry;
  grants: ReturnType<typeof createGrants>;
  /** The customer to sign in for `login_hint` (or, without one, the `signInAs` setting); `undefined`: refused. */
  customer(loginHint: string | undefined): CustomerAccountCustomer | undefined;
}

/** The longest `state`, `nonce` or `login_hint` accepted (each is stored until its code is exchanged). */
const MAX_PARAM_LENGTH = 2048;
/** A PKCE S256 challenge: 32 bytes as base64url (RFC 7636 §4.2). */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/**
 * `GET …/oauth/authorize`: checks the request the way RFC 6749 §4.1.2.1 orders it. Without a known `client_id`
 * and a `redirect_uri` registered for it, the answer is 400 (never a redirect to an unchecked URL); every other
 * error redirects with `error`, `error_description` and `state`. A valid request is approved at once for the test
 * customer (`login_hint`, else the `signInAs` setting): 302 to `redirect_uri?code=…&state=…`.
 *
 * @param query - the request's query string (without `?`).
 */
export function authorize(deps: AuthorizeDeps, query: string): Answer {
  const params = new URLSearchParams(query);
  const one = (name: string) => (params.getAll(name).length === 1 ? params.get(name)! : undefined);
  const client = deps.clients.get(one('client_id'));
  if (!client) return oauthError(400, 'invalid_request', 'client_id is missing, repeated or not a registered client.');
  const redirectUri = one('redirect_uri');
  if (redirectUri === undefined || !client.redirectUris.has(redirectUri))
    return oauthError(400, 'invalid_request', 'redirect_uri is missing, repeated or not registered for this client.');

  const state = one('state');
  const fail = (error: string, description: string) =>
    redirect(withQuery(redirectUri, { error, error_description: description, state }));
  for (const [name] of params) {
    if (params.getAll(name).length > 1) return fail('invalid_request', `${name} is repeated.`);
    if (params.get(name)!.length > MAX_PARAM_LENGTH) return fail('invalid_request', `${name} is too long.`);
  }
  if (one('response_type') !== 'code') return fail('unsupported_response_type', 'response_type must be "code".');
  const scope = one('scope') ?? '';
  if (!scope.split(' ').includes('openid')) return fail('invalid_scope', 'scope must include "openid".');
  if (!state) return fail('invalid_request', 'state is required.');
  const nonce = one('nonce');
  if (!nonce) return fail('invalid_request', 'nonce is required.');
  const codeChallenge = one('code_challenge');
  if (!codeChallenge) return fail('invalid_request', 'code_challenge is required (PKCE).');
  if (one('code_challenge_method') !== 'S256')
    return fail('invalid_request', 'code_challenge_method must be "S256"; "plain" is not supported.');
  if (!S256_CHALLENGE.test(codeChallenge))
    return fail('invalid_request', 'code_challenge must be 43 base64url characters (an S256 hash).');

  const customer = deps.customer(one('login_hint'));
  if (!customer) return fail('access_denied', 'No enabled customer with that email is seeded in the emulator.');
  const code = deps.grants.createCode({
    clientId: client.clientId,
    redirectUri,
    codeChallenge,
    nonce,
    customer,
  });
  return redirect(withQuery(redirectUri, { code, state }));
}
