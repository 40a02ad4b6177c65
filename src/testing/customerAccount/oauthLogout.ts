import type { Answer } from '../responses.js';
import type { ClientRegistry } from './oauthClients.js';
import type { createGrants } from './oauthGrants.js';
import { oauthError, redirect, withQuery } from './oauthReplies.js';
import type { Signer } from './jwt.js';

/** What the logout endpoint reads. */
export interface LogoutDeps {
  clients: ClientRegistry;
  grants: ReturnType<typeof createGrants>;
  signer: Signer;
  issuer: string;
}

/**
 * `GET …/logout?id_token_hint=…&post_logout_redirect_uri=…[&state=…]` (OpenID RP-Initiated Logout): the ID token
 * must carry the emulator's signature and issuer (it may have expired), and `post_logout_redirect_uri` must be
 * registered for its audience. Then every sign-in of that customer with that client is revoked (access and
 * refresh tokens) and the answer is a 302 there, with `state` when given. Anything else is a 400, and revokes
 * nothing.
 *
 * @param query - the request's query string (without `?`).
 */
export async function logout(deps: LogoutDeps, query: string): Promise<Answer> {
  const params = new URLSearchParams(query);
  for (const [name] of params)
    if (params.getAll(name).length > 1) return oauthError(400, 'invalid_request', `${name} is repeated.`);
  const hint = params.get('id_token_hint');
  const target = params.get('post_logout_redirect_uri');
  if (!hint || !target)
    return oauthError(400, 'invalid_request', 'id_token_hint and post_logout_redirect_uri are required.');
  const claims = await deps.signer.verify(hint);
  const sub = claims?.['sub'];
  const client = deps.clients.get(claims?.['aud']);
  if (!claims || claims['iss'] !== deps.issuer || typeof sub !== 'string' || !client)
    return oauthError(400, 'invalid_request', 'id_token_hint is not an ID token this emulator signed.');
  if (!client.postLogoutRedirectUris.has(target))
    return oauthError(400, 'invalid_request', 'post_logout_redirect_uri is not registered for this client.');
  deps.grants.revokeCustomer(sub, client.clientId);
  return redirect(withQuery(target, { state: params.get('state') ?? undefined }));
}
