import { supportedVersions } from '../../runtime/versions.js';

/**
 * The URLs of the emulated Customer Account API, all on the emulator's origin. Shopify serves them from
 * `https://shopify.com/authentication/{shopId}` and `https://shopify.com/{shopId}/account/customer/api/…`; the
 * emulator keeps the paths and swaps the origin, so one server on 127.0.0.1 plays the store, the sign-in and the
 * GraphQL API with no tunnel.
 */
export interface CustomerAccountUrls {
  issuer: string;
  authorization: string;
  token: string;
  endSession: string;
  jwks: string;
  /** `GET /.well-known/openid-configuration` on the store's host (the emulator answers it on every host). */
  discovery: string;
  /** `GET /.well-known/customer-account-api`. */
  customerAccountApi: string;
  /** The GraphQL endpoint of `version`. */
  graphql(version: string): string;
}

/** The paths (no origin) the sign-in serves, by what they are. */
export function authenticationPath(shopId: string): string {
  return `/authentication/${shopId}`;
}

/** Every URL, for `origin` (`http://127.0.0.1:PORT` or `https://<storeDomain>`) and `shopId`. */
export function customerAccountUrls(origin: string, shopId: string): CustomerAccountUrls {
  const issuer = origin + authenticationPath(shopId);
  return {
    issuer,
    authorization: `${issuer}/oauth/authorize`,
    token: `${issuer}/oauth/token`,
    endSession: `${issuer}/logout`,
    jwks: `${issuer}/.well-known/jwks.json`,
    discovery: `${origin}/.well-known/openid-configuration`,
    customerAccountApi: `${origin}/.well-known/customer-account-api`,
    graphql: (version) => `${origin}/${shopId}/account/customer/api/${version}/graphql`,
  };
}

/**
 * The OpenID Provider metadata, as the captured live document has it (issuer, endpoints, RS256) plus what the
 * emulator also accepts: public clients (`none`) besides `client_secret_basic`. The `jwt-bearer` grant of the
 * live document is not emulated, so it is not announced.
 */
export function openidConfiguration(urls: CustomerAccountUrls) {
  return {
    issuer: urls.issuer,
    authorization_endpoint: urls.authorization,
    token_endpoint: urls.token,
    end_session_endpoint: urls.endSession,
    jwks_uri: urls.jwks,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    subject_types_supported: ['public'],
    scopes_supported: ['openid', 'email', 'customer-account-api:full'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'none'],
    id_token_signing_alg_values_supported: ['RS256'],
    claims_supported: ['iss', 'sub', 'aud', 'iat', 'exp', 'nonce', 'email'],
  };
}

/** `/.well-known/customer-account-api`: the GraphQL endpoint of the newest supported version at `now`. */
export function customerAccountApi(urls: CustomerAccountUrls, now: number) {
  return { graphql_api: urls.graphql(supportedVersions(now).at(-1)!) };
}
