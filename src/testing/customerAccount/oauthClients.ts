import { invalid } from '../../runtime/errors.js';
import { randomToken } from '../state.js';
import { setBounded } from './boundedMap.js';

/**
 * A Customer Account API client as the emulator registers it. A `public` client (a browser or mobile app) sends
 * its `client_id` in the token request's body; a `confidential` one (a server) authenticates with HTTP Basic
 * `client_id:client_secret`.
 */
export interface OAuthClientSpec {
  type: 'public' | 'confidential';
  /** @defaultValue `shp_` and a random UUID, the shape of Shopify's client ids */
  clientId?: string;
  /** Only for a confidential client. @defaultValue 64 random hex characters */
  clientSecret?: string;
  /** The callback URLs `redirect_uri` must equal exactly. @defaultValue none */
  redirectUris?: readonly string[];
  /** The URLs `post_logout_redirect_uri` must equal exactly. @defaultValue none */
  postLogoutRedirectUris?: readonly string[];
}

/** A registered client: its id, and its secret when it is confidential (a secret: never log it). */
export interface OAuthClient {
  type: 'public' | 'confidential';
  clientId: string;
  clientSecret?: string;
}

/** A client as the endpoints read it. */
export interface ClientRecord extends OAuthClient {
  redirectUris: Set<string>;
  postLogoutRedirectUris: Set<string>;
}

/** The most clients, and the most URLs of each kind per client. */
export const MAX_CLIENTS = 100;
export const MAX_URIS_PER_CLIENT = 50;

const CLIENT_ID = /^[\x21-\x7e]{1,200}$/;
const SECRET = /^[\x21-\x7e]{8,200}$/;

/** The registered clients. */
export interface ClientRegistry {
  register(spec: OAuthClientSpec): OAuthClient;
  addRedirectUri(clientId: string, uri: string): void;
  addPostLogoutRedirectUri(clientId: string, uri: string): void;
  get(clientId: unknown): ClientRecord | undefined;
}

/** Creates an empty client registry (bounded: past {@link MAX_CLIENTS} the oldest client is forgotten). */
export function createClientRegistry(): ClientRegistry {
  const clients = new Map<string, ClientRecord>();
  const known = (clientId: string) => {
    const client = clients.get(clientId);
    if (!client)
      throw invalid('clientId', clientId, 'No registered client has it; register one with registerClient().');
    return client;
  };
  const addTo = (set: Set<string>, uri: unknown, what: string) => {
    checkUri(uri, what);
    if (!set.has(uri) && set.size >= MAX_URIS_PER_CLIENT)
      throw invalid(what, uri, `A client may register at most ${MAX_URIS_PER_CLIENT}.`);
    set.add(uri);
  };
  return {
    register(spec) {
      if (spec?.type !== 'public' && spec?.type !== 'confidential')
        throw invalid('client type', spec?.type, 'Expected "public" or "confidential".');
      const clientId = spec.clientId ?? `shp_${crypto.randomUUID()}`;
      if (!CLIENT_ID.test(clientId)) throw invalid('clientId', clientId, 'Expected 1 to 200 printable characters.');
      if (clients.has(clientId)) throw invalid('clientId', clientId, 'A client with it is already registered.');
      if (spec.type === 'public' && spec.clientSecret !== undefined)
        throw invalid('clientSecret', '(hidden)', 'A public client has no secret; register a confidential one.');
      const clientSecret =
        spec.type === 'confidential' ? (spec.clientSecret ?? randomToken() + randomToken()) : undefined;
      if (clientSecret !== undefined && !SECRET.test(clientSecret))
        throw invalid('clientSecret', '(hidden)', 'Expected 8 to 200 printable characters.');
      const record: ClientRecord = {
        type: spec.type,
        clientId,
        redirectUris: new Set(),
        postLogoutRedirectUris: new Set(),
      };
      if (clientSecret !== undefined) record.clientSecret = clientSecret;
      for (const uri of spec.redirectUris ?? []) addTo(record.redirectUris, uri, 'redirectUri');
      for (const uri of spec.postLogoutRedirectUris ?? [])
        addTo(record.postLogoutRedirectUris, uri, 'postLogoutRedirectUri');
      setBounded(clients, clientId, record, MAX_CLIENTS);
      return clientSecret === undefined ? { type: spec.type, clientId } : { type: spec.type, clientId, clientSecret };
    },
    addRedirectUri(clientId, uri) {
      addTo(known(clientId).redirectUris, uri, 'redirectUri');
    },
    addPostLogoutRedirectUri(clientId, uri) {
      addTo(known(clientId).postLogoutRedirectUris, uri, 'postLogoutRedirectUri');
    },
    get: (clientId) => (typeof clientId === 'string' ? clients.get(clientId) : undefined),
  };
}

function checkUri(uri: unknown, what: string): asserts uri is string {
  let fine = false;
  if (typeof uri === 'string' && /^[\x21-\x7e]{1,2000}$/.test(uri)) {
    try {
      const url = new URL(uri);
      fine = url.hash === '' && /^[a-z][a-z0-9+.-]*:$/.test(url.protocol);
    } catch {
      fine = false;
    }
  }
  if (!fine) throw invalid(what, uri, 'Expected an absolute URL without a fragment (#).');
}
