import { invalid, invalidMessage } from '../../runtime/errors.js';
import type { Answer } from '../responses.js';
import { oauthError } from './oauthReplies.js';

/**
 * The Customer Account sign-in's fault kinds, in the style of `../faults.ts`: a new kind is one member of
 * {@link OAuthFault}, one entry in `CHECKS` and one case in {@link playOAuthFault}; the compiler refuses a
 * missing one, and `inject` refuses an unknown kind.
 */

/** The sign-in endpoints a fault can match. `discovery` is both `/.well-known/` documents. */
export type OAuthEndpoint = 'discovery' | 'jwks' | 'authorize' | 'token' | 'logout';

/** The grant types a token-endpoint fault can be limited to. */
export type OAuthGrantType = 'authorization_code' | 'refresh_token';

/** Statuses a `status` fault answers with: what a client must treat as transient. */
const STATUS_ERRORS = {
  429: 'temporarily_unavailable',
  500: 'server_error',
  502: 'temporarily_unavailable',
  503: 'temporarily_unavailable',
  504: 'temporarily_unavailable',
} as const;

/** The definite errors an `oauth-error` fault answers with, and their statuses (RFC 6749 §5.2). */
const OAUTH_ERRORS = { invalid_client: 401, unauthorized_client: 400, invalid_grant: 400 } as const;

/**
 * A misbehaviour the sign-in plays instead of (latency: before) its normal answer.
 * `transient-401` is Shopify's transient upstream failure (Hydrogen PR #3916): 401 with
 * `{"error":"","error_description":"Access token request error."}`. `status` answers 429 or 5xx with an OAuth
 * error body (ours, not captured) and `Retry-After` verbatim when given. `oauth-error` answers a definite error
 * (`invalid_client` 401, `unauthorized_client` or `invalid_grant` 400). `malformed-json` answers 200 with a JSON
 * body cut short. `hang` never answers until the client gives up or the emulator closes. `reset` drops the
 * connection.
 */
export type OAuthFault =
  | { kind: 'latency'; ms: number }
  | { kind: 'transient-401' }
  | { kind: 'status'; status: keyof typeof STATUS_ERRORS; retryAfter?: number | string }
  | { kind: 'oauth-error'; error: keyof typeof OAUTH_ERRORS }
  | { kind: 'malformed-json' }
  | { kind: 'hang' }
  | { kind: 'reset' };

/** Which sign-in requests a fault applies to. */
export interface OAuthFaultScope {
  /** How many matching requests get the fault. @defaultValue 1 (`Infinity` for "until cleared") */
  times?: number;
  /** The endpoint whose requests match. @defaultValue `'token'` */
  endpoint?: OAuthEndpoint;
  /** Only token requests of this grant type match (only with `endpoint: 'token'`). @defaultValue both */
  grantType?: OAuthGrantType;
}

type FaultOf<K extends OAuthFault['kind']> = Extract<OAuthFault, { kind: K }>;

const ENDPOINTS: readonly OAuthEndpoint[] = ['discovery', 'jwks', 'authorize', 'token', 'logout'];
const GRANT_TYPES: readonly OAuthGrantType[] = ['authorization_code', 'refresh_token'];
/** Kinds whose answer is a token endpoint's error body: they fit no other endpoint. */
const TOKEN_ONLY: ReadonlySet<OAuthFault['kind']> = new Set(['transient-401', 'oauth-error']);

const CHECKS: { [K in OAuthFault['kind']]: (fault: FaultOf<K>) => void } = {
  latency({ ms }) {
    if (!(typeof ms === 'number' && ms >= 0 && ms < Infinity))
      throw invalid('ms', ms, 'Expected a non-negative number of milliseconds.');
  },
  'transient-401'() {},
  status({ status, retryAfter }) {
    if (!Object.hasOwn(STATUS_ERRORS, status))
      throw invalid('status', status, `Expected one of ${Object.keys(STATUS_ERRORS).join(', ')}.`);
    const fine =
      retryAfter === undefined ||
      (typeof retryAfter === 'number' && Number.isFinite(retryAfter)) ||
      (typeof retryAfter === 'string' && /^[\t\x20-\x7e]*$/.test(retryAfter));
    if (!fine) throw invalid('retryAfter', retryAfter, 'Expected seconds as a number, or a printable string.');
  },
  'oauth-error'({ error }) {
    if (!Object.hasOwn(OAUTH_ERRORS, error))
      throw invalid('error', error, `Expected one of ${Object.keys(OAUTH_ERRORS).join(', ')}.`);
  },
  'malformed-json'() {},
  hang() {},
  reset() {},
};

/** Throws a {@link ConfigurationError} naming the fix when `fault` and `scope` are not something it can play. */
export function checkOAuthFault(fault: OAuthFault, scope: OAuthFaultScope): void {
  const kind: unknown = (fault as { kind?: unknown } | null)?.kind;
  if (typeof kind !== 'string' || !Object.hasOwn(CHECKS, kind)) {
    throw invalid(
      'fault kind',
      kind,
      `Expected one of ${Object.keys(CHECKS)
        .map((k) => `"${k}"`)
        .join(', ')}.`,
    );
  }
  (CHECKS[fault.kind] as (fault: OAuthFault) => void)(fault);
  const { times = 1, endpoint = 'token', grantType } = scope;
  if (!(typeof times === 'number' && times > 0))
    throw invalid('times', times, 'Expected a positive number (or Infinity).');
  if (!ENDPOINTS.includes(endpoint))
    throw invalid('endpoint', endpoint, `Expected one of ${ENDPOINTS.map((e) => `"${e}"`).join(', ')}.`);
  if (grantType !== undefined && (endpoint !== 'token' || !GRANT_TYPES.includes(grantType)))
    throw invalid('grantType', grantType, 'Expected "authorization_code" or "refresh_token", with endpoint "token".');
  if (TOKEN_ONLY.has(fault.kind) && endpoint !== 'token')
    throw invalid('endpoint', endpoint, `A "${fault.kind}" fault is a token endpoint answer: use endpoint "token".`);
}

/** What playing a fault needs: the wait a `hang` plays. */
export interface OAuthFaultContext {
  /** Resolves when the client gives up on the request or the emulator closes. */
  held: () => Promise<void>;
}

/** A JSON body cut short, as a proxy that dropped the rest would send it. */
const MALFORMED = '{"access_token":"shcat_0000","expires_in":36';

/** How a non-latency fault answers. */
export function playOAuthFault(
  fault: Exclude<OAuthFault, { kind: 'latency' }>,
  context: OAuthFaultContext,
): Answer | Promise<Answer> {
  switch (fault.kind) {
    case 'transient-401':
      return oauthError(401, '', 'Access token request error.');
    case 'status': {
      const answer = oauthError(fault.status, STATUS_ERRORS[fault.status]);
      if (fault.retryAfter !== undefined && answer.kind === 'reply')
        answer.headers['Retry-After'] = String(fault.retryAfter);
      return answer;
    }
    case 'oauth-error':
      return oauthError(OAUTH_ERRORS[fault.error], fault.error);
    case 'malformed-json':
      return { kind: 'reply', status: 200, body: MALFORMED, headers: { 'Cache-Control': 'no-store' } };
    case 'hang':
      return context.held().then(() => ({ kind: 'reset' }));
    case 'reset':
      return { kind: 'reset' };
    default:
      fault satisfies never;
      throw new Error(invalidMessage('fault kind', (fault as OAuthFault).kind, 'The emulator cannot play it.'));
  }
}

/** Fault controls for the sign-in endpoints, handed to tests as `em.customerAccount.faults`. */
export interface CustomerAccountFaults {
  /**
   * Plays `fault` on the next matching sign-in request(s).
   *
   * @param fault - what to do instead of (latency: before) the normal answer.
   * @param scope - `times` (default 1), `endpoint` (default `'token'`) and, for the token endpoint, `grantType`.
   * @throws {@link ConfigurationError} for an unknown kind, a bad value, or a kind the endpoint cannot answer.
   */
  inject(fault: OAuthFault, scope?: OAuthFaultScope): void;
  /** Removes every pending fault. */
  clear(): void;
}

/** The most faults pending at once. */
const MAX_PENDING = 1000;

interface Pending {
  fault: OAuthFault;
  left: number;
  endpoint: OAuthEndpoint;
  grantType: OAuthGrantType | undefined;
}

/** What a request should suffer: total added latency, then at most one non-latency fault. */
export interface OAuthFaultPlan {
  latencyMs: number;
  fault: Exclude<OAuthFault, { kind: 'latency' }> | undefined;
}

/** Creates the fault queue plus the `take` hook the endpoints call once per request. */
export function createOAuthFaults(): CustomerAccountFaults & {
  take(endpoint: OAuthEndpoint, grantType?: string): OAuthFaultPlan | undefined;
} {
  let pending: Pending[] = [];
  return {
    inject(fault, scope = {}) {
      checkOAuthFault(fault, scope);
      if (pending.length >= MAX_PENDING)
        throw invalid('fault', fault.kind, `At most ${MAX_PENDING} faults may be pending; clear() or use times.`);
      const { times = 1, endpoint = 'token', grantType } = scope;
      pending.push({ fault: { ...fault }, left: times, endpoint, grantType });
    },
    clear() {
      pending = [];
    },
    take(endpoint, grantType) {
      if (pending.length === 0) return undefined;
      const plan: OAuthFaultPlan = { latencyMs: 0, fault: undefined };
      let matched = false;
      for (const entry of pending) {
        if (entry.endpoint !== endpoint || (entry.grantType !== undefined && entry.grantType !== grantType)) continue;
        if (entry.fault.kind === 'latency') plan.latencyMs += entry.fault.ms;
        else if (plan.fault) continue;
        else plan.fault = entry.fault;
        entry.left -= 1;
        matched = true;
      }
      pending = pending.filter((entry) => entry.left > 0);
      return matched ? plan : undefined;
    },
  };
}
