import { ConfigurationError, invalidMessage } from '../runtime/errors.js';
import { isMalformedRenew, malformedRenewBody, MALFORMED_RENEWS, type MalformedRenew } from './malformedRenews.js';
import { errorBody, type Answer } from './responses.js';

/**
 * The fault kinds: what each is, how it is checked when injected, and how it is played. A new kind is one member
 * of {@link Fault}, one entry in `CHECKS` and one case in {@link playFault}; the compiler refuses a missing one.
 */

/** HTTP statuses a status fault can answer with, and the error body each carries. */
const STATUS_ERRORS = {
  401: ['Unauthorized', 'UNAUTHORIZED'],
  402: ['Unavailable Shop: this shop is frozen (payment required).', 'PAYMENT_REQUIRED'],
  403: ['Forbidden', 'FORBIDDEN'],
  423: ['Unavailable Shop: this shop is locked.', 'SHOP_LOCKED'],
  429: ['Throttled', 'THROTTLED'],
  430: ['Shopify Security Rejection', 'SECURITY_REJECTION'],
  500: ['Internal error. Looks like something went wrong on our end.', 'INTERNAL_SERVER_ERROR'],
  502: ['Bad Gateway', 'BAD_GATEWAY'],
  503: ['Service Unavailable', 'SERVICE_UNAVAILABLE'],
} as const satisfies Record<number, readonly [message: string, code: string]>;

/** HTTP statuses a status fault can answer with. */
export type FaultStatus = keyof typeof STATUS_ERRORS;

/** HTTP statuses a redirect fault can answer with. */
const REDIRECT_STATUSES = [301, 302, 307, 308] as const;

/**
 * A misbehaviour the emulator plays instead of (or, for latency, before) a normal answer.
 * `retryAfter` is sent as the `Retry-After` header verbatim (seconds; a string lets tests send bad values).
 * `reset` drops the connection (over `fetch`: the promise rejects with a `TypeError`, as on a network failure).
 * `hang` never answers: the request waits until the client gives up (aborts, closes the connection) or the emulator
 * closes, which drops it. `stalled-body` answers HTTP 200 and half its body, then sends nothing more until the
 * client gives up or the emulator closes (a proxy or a server that stalls mid-answer). `redirect` answers `status` with `Location: location` and an empty body.
 * `malformed-renew` answers a renew request (one selecting `customerAccessTokenRenew`; other requests do not match
 * it) with HTTP 200 and the malformed payload named by `answer`.
 */
export type Fault =
  | { kind: 'latency'; ms: number }
  | { kind: 'status'; status: FaultStatus; retryAfter?: number | string }
  | { kind: 'reset' }
  | { kind: 'truncated-body' }
  | { kind: 'non-json-body' }
  | { kind: 'hang' }
  | { kind: 'stalled-body' }
  | { kind: 'redirect'; status: (typeof REDIRECT_STATUSES)[number]; location: string }
  | { kind: 'malformed-renew'; answer: MalformedRenew };

/** Which requests a fault applies to. */
export interface FaultScope {
  /** How many matching requests get the fault. @defaultValue 1 (pass `Infinity` for "until cleared") */
  times?: number;
  /** Only requests with this GraphQL operation name match. @defaultValue every request */
  operationName?: string;
}

type FaultOf<K extends Fault['kind']> = Extract<Fault, { kind: K }>;

const refuse = (what: string, value: unknown, fix: string) => new ConfigurationError(invalidMessage(what, value, fix));

/** One check per kind; a kind missing here does not compile, and an unknown kind is refused at `inject`. */
const CHECKS: { [K in Fault['kind']]: (fault: FaultOf<K>) => void } = {
  latency({ ms }) {
    if (!(typeof ms === 'number' && ms >= 0 && ms < Infinity))
      throw refuse('ms', ms, 'Expected a non-negative number of milliseconds.');
  },
  status({ status, retryAfter }) {
    if (!Object.hasOwn(STATUS_ERRORS, status))
      throw refuse('status', status, `Expected one of ${Object.keys(STATUS_ERRORS).join(', ')}.`);
    const fine =
      retryAfter === undefined ||
      (typeof retryAfter === 'number' && Number.isFinite(retryAfter)) ||
      (typeof retryAfter === 'string' && /^[\t\x20-\x7e]*$/.test(retryAfter));
    if (!fine) throw refuse('retryAfter', retryAfter, 'Expected seconds as a number, or a printable string.');
  },
  reset() {},
  'truncated-body'() {},
  'non-json-body'() {},
  hang() {},
  'stalled-body'() {},
  redirect({ status, location }) {
    if (!(REDIRECT_STATUSES as readonly unknown[]).includes(status))
      throw refuse('status', status, `Expected one of ${REDIRECT_STATUSES.join(', ')}.`);
    if (!isHttpUrl(location))
      throw refuse('location', location, 'Expected an absolute http:// or https:// URL of printable characters.');
  },
  'malformed-renew'({ answer }) {
    if (!isMalformedRenew(answer)) {
      const known = Object.keys(MALFORMED_RENEWS).map((k) => `"${k}"`);
      throw refuse('answer', answer, `Expected one of ${known.join(', ')}.`);
    }
  },
};

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string' || !/^[\x21-\x7e]+$/.test(value)) return false;
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** Throws a {@link ConfigurationError} naming the fix when `fault` is not one the emulator can play. */
export function checkFault(fault: Fault): void {
  const kind: unknown = (fault as { kind?: unknown } | null)?.kind;
  if (typeof kind !== 'string' || !Object.hasOwn(CHECKS, kind)) {
    const known = Object.keys(CHECKS).map((k) => `"${k}"`);
    throw refuse('fault kind', kind, `Expected one of ${known.join(', ')}.`);
  }
  (CHECKS[fault.kind] as (fault: Fault) => void)(fault);
}

const TRUNCATED = JSON.stringify({ data: { customerAccessTokenRenew: { customerAccessToken: null, userErrors: [] } } });
const HTML_PAGE = '<!DOCTYPE html><html><body><h1>Something went wrong</h1></body></html>';

/** What playing a fault needs from the request and the emulator. */
export interface FaultContext {
  /** The headers every answer carries (`X-Shopify-API-Version`). */
  headers: Record<string, string>;
  /** The emulator clock. */
  now: number;
  /** The response key of the request's `customerAccessTokenRenew` field (its alias, if it has one). */
  renewKey: string | undefined;
  /** Resolves when the client gives up on the request or the emulator closes. */
  held: () => Promise<void>;
}

/**
 * How a non-latency fault answers (latency only delays the normal answer, see {@link createFaults}).
 *
 * @param context - the answer's headers, the clock, the renew field's key, and the wait a `hang` plays.
 */
export function playFault(fault: Exclude<Fault, { kind: 'latency' }>, context: FaultContext): Answer | Promise<Answer> {
  const { headers } = context;
  switch (fault.kind) {
    case 'status': {
      const [message, code] = STATUS_ERRORS[fault.status];
      const withRetry =
        fault.retryAfter === undefined ? headers : { ...headers, 'Retry-After': String(fault.retryAfter) };
      return { kind: 'reply', status: fault.status, body: errorBody(message, code), headers: withRetry };
    }
    case 'reset':
      return { kind: 'reset' };
    case 'truncated-body':
      return { kind: 'reply', status: 200, body: TRUNCATED, headers, cutAt: Math.floor(TRUNCATED.length / 2) };
    case 'non-json-body':
      return { kind: 'reply', status: 200, body: HTML_PAGE, headers, contentType: 'text/html; charset=utf-8' };
    case 'hang':
      return context.held().then(() => ({ kind: 'reset' }));
    case 'stalled-body':
      return {
        kind: 'reply',
        status: 200,
        body: TRUNCATED,
        headers,
        cutAt: Math.floor(TRUNCATED.length / 2),
        stall: context.held(),
      };
    case 'redirect':
      return { kind: 'reply', status: fault.status, body: '', headers: { ...headers, Location: fault.location } };
    case 'malformed-renew':
      return { kind: 'reply', status: 200, body: malformedRenewBody(fault.answer, context), headers };
    default:
      fault satisfies never;
      // Only reachable from untyped code that got past `inject`'s check: fail the request, do not hang it.
      throw new Error(invalidMessage('fault kind', (fault as Fault).kind, 'The emulator cannot play it.'));
  }
}

/** Fault controls handed to tests. */
export interface EmulatorFaults {
  /**
   * Plays `fault` on the next matching request(s).
   *
   * @param fault - what to do instead of (latency: before) a normal answer.
   * @param scope - `times` (default 1; `Infinity` until cleared) and an optional `operationName` filter.
   * @throws {@link ConfigurationError} for an unknown kind or a bad value, naming what is allowed.
   */
  inject(fault: Fault, scope?: FaultScope): void;
  /** Removes every pending fault. */
  clear(): void;
}

interface Pending {
  fault: Fault;
  left: number;
  operationName: string | undefined;
}

/** What a request should suffer: total added latency, then at most one non-latency fault. */
export interface FaultPlan {
  latencyMs: number;
  fault: Exclude<Fault, { kind: 'latency' }> | undefined;
  /** The response key of the renew field, when the fault is a `malformed-renew`. */
  renewKey?: string | undefined;
}

/** Creates the fault queue plus the `take` hook the handler calls once per GraphQL request. */
export function createFaults(): EmulatorFaults & {
  /** The plan for one request; `renewKey` is asked only when a `malformed-renew` fault could match. */
  take(operationName: string | undefined, renewKey?: () => string | undefined): FaultPlan | undefined;
} {
  let pending: Pending[] = [];
  return {
    inject(fault, scope = {}) {
      const times = scope.times ?? 1;
      if (!(times > 0)) throw refuse('times', times, 'Expected a positive number (or Infinity).');
      checkFault(fault);
      pending.push({ fault: { ...fault }, left: times, operationName: scope.operationName });
    },
    clear() {
      pending = [];
    },
    take(operationName, renewKey = () => undefined) {
      if (pending.length === 0) return undefined;
      const plan: FaultPlan = { latencyMs: 0, fault: undefined };
      let matched = false;
      for (const entry of pending) {
        if (entry.operationName !== undefined && entry.operationName !== operationName) continue;
        if (entry.fault.kind === 'latency') plan.latencyMs += entry.fault.ms;
        else if (plan.fault) continue;
        // A malformed renew answer only fits a renew request: it waits for one.
        else if (entry.fault.kind === 'malformed-renew' && (plan.renewKey = renewKey()) === undefined) continue;
        else plan.fault = entry.fault;
        entry.left -= 1;
        matched = true;
      }
      pending = pending.filter((entry) => entry.left > 0);
      return matched ? plan : undefined;
    },
  };
}
