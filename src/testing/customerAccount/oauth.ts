import { invalid } from '../../runtime/errors.js';
import type { EmulatorRequest } from '../handler.js';
import type { Answer } from '../responses.js';
import type { CustomerStore } from '../state.js';
import type { CustomerAccountCustomer, CustomerAccountTokens, CustomerAccountTokenStore } from './accessTokens.js';
import { authenticationPath, customerAccountApi, customerAccountUrls, openidConfiguration } from './discovery.js';
import type { CustomerAccountUrls } from './discovery.js';
import { createSigner } from './jwt.js';
import { authorize } from './oauthAuthorize.js';
import { createClientRegistry, type OAuthClient, type OAuthClientSpec } from './oauthClients.js';
import { createOAuthCounters, type CountedEvent, type CustomerAccountCounters } from './oauthCounters.js';
import { createOAuthFaults, playOAuthFault, type CustomerAccountFaults, type OAuthEndpoint } from './oauthFaults.js';
import { createGrants, type SignIn } from './oauthGrants.js';
import { logout } from './oauthLogout.js';
import { jsonReply, oauthError } from './oauthReplies.js';
import { createSettings, type CustomerAccountSettings } from './oauthSettings.js';
import { token, tokenParams } from './oauthToken.js';

/** Options of the emulated Customer Account sign-in (`customerAccount` in the emulator options). */
export interface CustomerAccountOptions {
  /** The shop id in every Customer Account URL. @defaultValue `'1000000001'` */
  shopId?: string;
  /** Initial settings; each is checked as an assignment to `em.customerAccount.settings` is. */
  settings?: Partial<CustomerAccountSettings>;
}

/** The emulated Customer Account API sign-in, as tests drive it: `em.customerAccount`. */
export interface EmulatorCustomerAccount {
  /** The shop id in the URLs. */
  readonly shopId: string;
  /** The seeded confidential client (HTTP Basic with {@link clientSecret} at the token endpoint). */
  readonly clientId: string;
  /** The seeded confidential client's secret: a secret, never log it. */
  readonly clientSecret: string;
  /** The seeded public client (`client_id` in the token request's body, no secret). */
  readonly publicClientId: string;
  /** The callback registered for both seeded clients: `http://localhost:3000/account/authorize`. */
  readonly redirectUri: string;
  /** The `post_logout_redirect_uri` registered for both seeded clients: `http://localhost:3000/`. */
  readonly postLogoutRedirectUri: string;
  /** `<emulator url>/.well-known/openid-configuration`. */
  readonly discoveryUrl: string;
  /** The issuer, endpoints and GraphQL URL, on the emulator's origin. */
  readonly urls: CustomerAccountUrls;
  /** Registers another client; answers its id (and secret, for a confidential one). */
  registerClient(spec: OAuthClientSpec): OAuthClient;
  /** Registers one more callback URL for a client. */
  addRedirectUri(clientId: string, uri: string): void;
  /** Registers one more `post_logout_redirect_uri` for a client. */
  addPostLogoutRedirectUri(clientId: string, uri: string): void;
  /** Behaviour switches, checked on assignment; each unconfirmed candidate has one. */
  settings: CustomerAccountSettings;
  /** Sign-in misbehaviour for the next requests. */
  faults: CustomerAccountFaults;
  /** Sign-in requests received. */
  counters: CustomerAccountCounters;
  /** The issued access tokens (what the Customer Account GraphQL endpoint accepts). */
  tokens: CustomerAccountTokens;
  /**
   * Revokes every sign-in of a seeded customer, as an admin or Shopify would: its access tokens stop working and
   * its refresh tokens answer `invalid_grant`. Answers how many sign-ins were revoked.
   */
  revokeCustomer(email: string): number;
}

/** What the sign-in needs from the emulator that hosts it. */
export interface CustomerAccountDeps {
  now: () => number;
  /** The emulator's origin (`http://127.0.0.1:PORT`, `https://<storeDomain>`); known once it listens. */
  origin: () => string;
  store: CustomerStore;
  tokens: CustomerAccountTokenStore;
  /** The email of the customer signed in by default: the first seeded one. */
  defaultEmail: string;
  delay: (ms: number) => Promise<boolean>;
  hold: (closed: Promise<void> | undefined) => Promise<void>;
}

const SHOP_ID = /^\d{1,20}$/;
const customerGid = (id: number) => `gid://shopify/Customer/${id}`;
const DEFAULT_REDIRECT_URI = 'http://localhost:3000/account/authorize';
const DEFAULT_POST_LOGOUT_REDIRECT_URI = 'http://localhost:3000/';
const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;
const PREFLIGHT = {
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type',
  'Access-Control-Max-Age': '86400',
};

/**
 * Creates the Customer Account sign-in: its API for tests, and `answer`, which takes the requests whose path is
 * the sign-in's (`/.well-known/…`, `/authentication/…`) and answers `undefined` for every other one.
 */
export function createCustomerAccountOAuth(deps: CustomerAccountDeps, options: CustomerAccountOptions | undefined) {
  const { shopId = '1000000001', settings: initial } = options ?? {};
  if (!SHOP_ID.test(shopId)) throw invalid('customerAccount.shopId', shopId, 'Expected a numeric shop id.');
  const settings = createSettings(initial, deps.defaultEmail);
  const clients = createClientRegistry();
  const seeded = { redirectUris: [DEFAULT_REDIRECT_URI], postLogoutRedirectUris: [DEFAULT_POST_LOGOUT_REDIRECT_URI] };
  const confidential = clients.register({ type: 'confidential', ...seeded });
  const publicClient = clients.register({ type: 'public', ...seeded });
  const grants = createGrants({ now: deps.now, tokens: deps.tokens, settings });
  const signer = createSigner();
  const counters = createOAuthCounters();
  const faults = createOAuthFaults();
  const urls = () => customerAccountUrls(deps.origin(), shopId);
  const customerOf = (email: string): CustomerAccountCustomer | undefined => {
    const record = deps.store.customer(email);
    if (!record?.enabled) return undefined;
    const { id, firstName, lastName } = record;
    return { customerId: customerGid(id), email: record.email, firstName: firstName ?? '', lastName: lastName ?? '' };
  };
  const idToken = async ({ clientId, customer, nonce }: Pick<SignIn, 'clientId' | 'customer' | 'nonce'>) => {
    const iat = Math.floor(deps.now() / 1000);
    const { customerId: sub, email } = customer;
    const exp = iat + settings.expiresIn;
    return signer.sign({ iss: urls().issuer, sub, aud: clientId, iat, exp, nonce, email });
  };

  const base = authenticationPath(shopId);
  const routes = new Map<string, OAuthEndpoint>([
    ['/.well-known/openid-configuration', 'discovery'],
    ['/.well-known/customer-account-api', 'discovery'],
    [`${base}/.well-known/openid-configuration`, 'discovery'],
    [`${base}/.well-known/jwks.json`, 'jwks'],
    [`${base}/oauth/authorize`, 'authorize'],
    [`${base}/oauth/token`, 'token'],
    [`${base}/logout`, 'logout'],
  ]);

  async function handle(request: EmulatorRequest, path: string, query: string): Promise<Answer> {
    const endpoint = routes.get(path);
    if (!endpoint) return oauthError(404, 'not_found', 'No such Customer Account endpoint.');
    if (request.method === 'OPTIONS')
      return { kind: 'reply', status: 204, body: '', headers: PREFLIGHT, contentType: null };
    const method = endpoint === 'token' ? 'POST' : 'GET';
    if (request.method !== method)
      return oauthError(405, 'invalid_request', `Use ${method}.`, { Allow: `${method}, OPTIONS` });

    let params: ReturnType<typeof tokenParams>;
    let grantType: string | undefined;
    if (endpoint === 'token') {
      const body = await request.text();
      params = body === undefined ? undefined : tokenParams(body);
      grantType = params?.('grant_type');
      const event: CountedEvent | undefined =
        grantType === 'refresh_token' ? 'refresh' : grantType === 'authorization_code' ? 'code' : undefined;
      if (event) counters.record(event, params?.('refresh_token'));
    } else if (endpoint === 'authorize' || endpoint === 'logout') counters.record(endpoint);

    const plan = faults.take(endpoint, grantType);
    if (plan?.latencyMs && !(await deps.delay(plan.latencyMs))) return { kind: 'reset' };
    if (plan?.fault) return playOAuthFault(plan.fault, { held: () => deps.hold(request.closed?.()) });

    switch (endpoint) {
      case 'discovery':
        return path.endsWith('customer-account-api')
          ? jsonReply(200, customerAccountApi(urls(), deps.now()))
          : jsonReply(200, openidConfiguration(urls()));
      case 'jwks':
        return jsonReply(200, await signer.jwks());
      case 'authorize':
        return authorize({ clients, grants, customer: (hint) => customerOf(hint || settings.signInAs) }, query);
      case 'logout':
        return logout({ clients, grants, signer, issuer: urls().issuer }, query);
      case 'token':
        if (!FORM_TYPE.test(request.header('content-type') ?? ''))
          return oauthError(400, 'invalid_request', 'Send the body as application/x-www-form-urlencoded.');
        if (!params) return oauthError(400, 'invalid_request', 'The body is too large or repeats a parameter.');
        return token({ clients, grants, settings, now: deps.now, idToken }, params, request.header('authorization'));
      default:
        endpoint satisfies never;
        throw new Error('unreachable');
    }
  }

  const api: EmulatorCustomerAccount = {
    shopId,
    clientId: confidential.clientId,
    clientSecret: confidential.clientSecret!,
    publicClientId: publicClient.clientId,
    redirectUri: DEFAULT_REDIRECT_URI,
    postLogoutRedirectUri: DEFAULT_POST_LOGOUT_REDIRECT_URI,
    get discoveryUrl() {
      return urls().discovery;
    },
    get urls() {
      return urls();
    },
    registerClient: (spec) => clients.register(spec),
    addRedirectUri: (clientId, uri) => clients.addRedirectUri(clientId, uri),
    addPostLogoutRedirectUri: (clientId, uri) => clients.addPostLogoutRedirectUri(clientId, uri),
    settings,
    faults: { inject: faults.inject, clear: faults.clear },
    counters: (({ record: _record, ...rest }) => rest)(counters),
    tokens: { lookup: (accessToken) => deps.tokens.lookup(accessToken) },
    revokeCustomer(email) {
      const record = typeof email === 'string' ? deps.store.customer(email) : undefined;
      if (!record) throw invalid('email', email, 'No seeded customer has it; seed one with customers.add().');
      return grants.revokeCustomer(customerGid(record.id));
    },
  };

  return {
    api,
    /** Answers a sign-in request, or `undefined` when the path is not the sign-in's. */
    answer(request: EmulatorRequest): Promise<Answer> | undefined {
      const mark = request.path.indexOf('?');
      const path = mark < 0 ? request.path : request.path.slice(0, mark);
      const query = mark < 0 ? '' : request.path.slice(mark + 1);
      if (!path.startsWith('/.well-known/') && !path.startsWith('/authentication/')) return undefined;
      return handle(request, path, query).catch(() =>
        oauthError(500, 'server_error', 'Internal error in the emulator.'),
      );
    },
  };
}
