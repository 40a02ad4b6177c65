import type { Answer } from '../responses.js';
import type { ClientRecord, ClientRegistry } from './oauthClients.js';
import type { createGrants, SignIn, TokenSet } from './oauthGrants.js';
import { s256 } from './jwt.js';
import type { CustomerAccountSettings } from './oauthSettings.js';
import { jsonReply, oauthError } from './oauthReplies.js';

/** What the token endpoint reads. */
export interface TokenDeps {
  clients: ClientRegistry;
  grants: ReturnType<typeof createGrants>;
  settings: CustomerAccountSettings;
  now: () => number;
  /** Signs the ID token of `signIn`, issued now. */
  idToken(signIn: Pick<SignIn, 'clientId' | 'customer' | 'nonce'>): Promise<string>;
}

/** A token request's form parameters, each sent once (a repeated one is `undefined` and refused). */
export type TokenParams = (name: string) => string | undefined;

/** Reads a form body; `undefined` when a parameter is repeated (RFC 6749 §3.2: parameters are sent once). */
export function tokenParams(body: string): TokenParams | undefined {
  const params = new URLSearchParams(body);
  for (const [name] of params) if (params.getAll(name).length > 1) return undefined;
  return (name) => params.get(name) ?? undefined;
}

/** Every dead refresh token answers exactly this (Hydrogen PR #3916): unknown, revoked, expired, another client's. */
const INVALID_GRANT = () => jsonReply(400, { error: 'invalid_grant' });
/** A PKCE code verifier (RFC 7636 §4.1). */
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

/**
 * `POST …/oauth/token`: authenticates the client, then answers the `authorization_code` or `refresh_token`
 * grant. A confidential client must use HTTP Basic (`client_secret_basic`); a public one sends only `client_id`
 * in the body (`none`). Anything else is 401 `invalid_client`.
 *
 * @param authorization - the request's `Authorization` header.
 */
export async function token(deps: TokenDeps, params: TokenParams, authorization: string | undefined): Promise<Answer> {
  const client = authenticate(deps.clients, params, authorization);
  if (!client) return oauthError(401, 'invalid_client', 'Client authentication failed.');
  const grantType = params('grant_type');
  if (grantType === 'authorization_code') return exchangeCode(deps, client, params);
  if (grantType === 'refresh_token') return refresh(deps, client, params);
  if (grantType === undefined) return oauthError(400, 'invalid_request', 'grant_type is required.');
  return oauthError(400, 'unsupported_grant_type', 'grant_type must be "authorization_code" or "refresh_token".');
}

async function exchangeCode(deps: TokenDeps, client: ClientRecord, params: TokenParams): Promise<Answer> {
  const code = params('code');
  const redirectUri = params('redirect_uri');
  const verifier = params('code_verifier');
  if (code === undefined || redirectUri === undefined || verifier === undefined)
    return oauthError(400, 'invalid_request', 'code, redirect_uri and code_verifier are required.');
  const record = deps.grants.takeCode(code, client.clientId);
  if (!record) return oauthError(400, 'invalid_grant', 'The code is unknown, expired, used or not this client’s.');
  if (redirectUri !== record.redirectUri)
    return oauthError(400, 'invalid_grant', 'redirect_uri differs from the authorize request’s.');
  if (!VERIFIER.test(verifier) || (await s256(verifier)) !== record.codeChallenge)
    return oauthError(400, 'invalid_grant', 'code_verifier does not match the code_challenge (PKCE S256).');
  const idToken = await deps.idToken(record);
  const tokens = deps.grants.signIn(record);
  if (!tokens) return oauthError(400, 'invalid_grant', 'The code was used twice.');
  return tokenAnswer(deps, { ...tokens, idToken });
}

async function refresh(deps: TokenDeps, client: ClientRecord, params: TokenParams): Promise<Answer> {
  const refreshToken = params('refresh_token');
  if (refreshToken === undefined) return oauthError(400, 'invalid_request', 'refresh_token is required.');
  const signIn = deps.grants.signInOf(refreshToken, client.clientId);
  if (!signIn) return INVALID_GRANT();
  const idToken = await deps.idToken(signIn);
  // Decided after the signing's await, from the state as it is then: another refresh may have rotated it.
  const outcome = deps.grants.refresh(refreshToken, client.clientId, idToken);
  return outcome.ok ? tokenAnswer(deps, outcome.tokens) : INVALID_GRANT();
}

/** `{ access_token, expires_in, refresh_token?, id_token?, token_type? }`; `expires_in` is what is left now. */
function tokenAnswer(deps: TokenDeps, tokens: TokenSet): Answer {
  const body: Record<string, string | number> = {
    access_token: tokens.accessToken,
    expires_in: Math.max(0, Math.round((tokens.accessExpiresAt - deps.now()) / 1000)),
  };
  if (tokens.refreshToken !== undefined) body['refresh_token'] = tokens.refreshToken;
  if (tokens.idToken !== undefined) body['id_token'] = tokens.idToken;
  if (deps.settings.tokenType !== null) body['token_type'] = deps.settings.tokenType;
  return jsonReply(200, body);
}

/**
 * The client a token request authenticates as: HTTP Basic for a confidential client (RFC 6749 §2.3.1, with its
 * form-encoding), `client_id` alone for a public one; `undefined` for everything else (a secret in the body, a
 * public client with a secret, a wrong secret, a `client_id` that differs from the Basic one).
 */
function authenticate(clients: ClientRegistry, params: TokenParams, authorization: string | undefined) {
  const bodyId = params('client_id');
  if (params('client_secret') !== undefined) return undefined;
  if (authorization === undefined) {
    const client = clients.get(bodyId);
    return client?.type === 'public' ? client : undefined;
  }
  const basic = parseBasic(authorization);
  const client = clients.get(basic?.id);
  if (!basic || !client || client.type !== 'confidential' || client.clientSecret !== basic.secret) return undefined;
  return bodyId === undefined || bodyId === basic.id ? client : undefined;
}

function parseBasic(header: string): { id: string; secret: string } | undefined {
  const match = /^Basic ([A-Za-z0-9+/]+=*)$/i.exec(header.trim());
  if (!match) return undefined;
  try {
    const decoded = atob(match[1]!);
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    const unform = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '));
    return { id: unform(decoded.slice(0, colon)), secret: unform(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}
