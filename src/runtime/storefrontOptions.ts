import { generatedVersions } from '../../generated/versions.js';
import { realTimer, type SetTimer } from './bounded.js';
import { resolveRequestTimeout } from './requestWatch.js';
import { assertStoreDomain, BUYER_IP_HEADER, endpointFor, exactlyOneToken } from './endpoint.js';
import { invalid, LIBRARY } from './errors.js';
import { resolveRetry, type RetryOptions, type RetryPolicy } from './storefrontRetry.js';
import type { Deprecation, VersionMismatch } from './signals.js';
import { assertWellFormedVersion, formatInstant, retirementTime, servedVersion, versionStatus } from './versions.js';
import { warnOnce } from './warn.js';

/** Options of a version-bound `storefrontExchange`. */
export interface StorefrontExchangeOptions {
  /** The shop's domain: `your-shop.myshopify.com` or a custom domain (`http://127.0.0.1:PORT` for the emulator). */
  storeDomain: string;
  /**
   * A public Storefront token (`X-Shopify-Storefront-Access-Token`); fine in browsers. Exactly one token is required.
   */
  publicAccessToken?: string;
  /**
   * A private Storefront token (`Shopify-Storefront-Private-Token`); server only, refused in a page or a Web, shared
   * or service worker.
   */
  privateAccessToken?: string;
  /** The buyer's IP (`Shopify-Storefront-Buyer-IP`), sent with the private token; use one client per request. */
  buyerIp?: string;
  /** Called when Shopify answered with another version than requested (also recorded on the result). */
  onVersionMismatch?: (signal: VersionMismatch) => void;
  /** Called when a response carried `X-Shopify-API-Deprecated-Reason` (also recorded on the result). */
  onDeprecation?: (signal: Deprecation) => void;
  /** Transport retries for network errors, 5xx, 429 and 430; `false` disables them. */
  retry?: RetryOptions | false;
  /** The `fetch` to use, when the client's own `fetch` option is not set. @defaultValue `globalThis.fetch` */
  fetch?: typeof fetch;
  /** The clock, for the "version no longer supported" warning and `Retry-After` dates. @defaultValue `Date.now` */
  now?: () => number;
  /**
   * The longest one request may go unanswered (until its response, or the first part of a streamed one, is read);
   * then it is aborted and counts as a network failure: a query is retried, a mutation fails as data
   * (`storefront-unavailable`) unless it is safe to send again. Checked every quarter of it, so a
   * request ends between this and 1.25× this. @defaultValue 30 seconds
   */
  requestTimeoutMs?: number;
  /** Starts a timer and returns its cancel function; for tests on a simulated clock. @defaultValue `setTimeout` */
  timer?: SetTimer;
}

/** Validated, frozen storefront settings. */
export interface StorefrontConfig {
  version: string;
  endpoint: string;
  headers: Readonly<Record<string, string>>;
  retry: RetryPolicy;
  fetch: typeof fetch | undefined;
  now: () => number;
  requestTimeoutMs: number;
  timer: SetTimer;
  onVersionMismatch: ((signal: VersionMismatch) => void) | undefined;
  onDeprecation: ((signal: Deprecation) => void) | undefined;
}

/** Throws unless `version` is well formed and was generated; warns once when Shopify no longer supports it. */
export function assertKnownVersion(version: unknown, now: number, what = 'apiVersion'): asserts version is string {
  assertWellFormedVersion(version, what);
  assertGenerated(version, now, what);
}

/**
 * Throws unless `version` was generated (so is well formed too); warns once when Shopify no longer supports it.
 * The exchanges' check: their version comes from an entry point, never from user input.
 */
function assertGenerated(version: string, now: number, what: string): void {
  if (!(generatedVersions as readonly string[]).includes(version)) {
    throw invalid(
      what,
      version,
      (typeof process !== 'undefined' ? process.env.NODE_ENV === 'production' : true)
        ? ''
        : `This package was generated for ${generatedVersions.join(', ')}: use one of them, or upgrade ` +
            `storefront-customer-session to a release that vendors ${version}.`,
    );
  }
  if (typeof process !== 'undefined' ? process.env.NODE_ENV !== 'production' : false) {
    const warning = notServedWarning(version, now, generatedVersions);
    if (warning) warnOnce(`unsupported:${version}`, warning);
  }
}

/**
 * The warning for an entry point Shopify does not serve as itself at `now` (retired, or not released yet), or
 * `undefined` when it does. It names the version Shopify serves instead and the entry point to move to: the
 * oldest vendored one that is still supported (its types match what Shopify answers), else the newest vendored.
 */
export function notServedWarning(version: string, now: number, vendored: readonly string[]): string | undefined {
  const status = versionStatus(version, now);
  if (status !== 'retired' && status !== 'unreleased') return undefined;
  const served = servedVersion(version, now);
  const target = vendored.find((v) => versionStatus(v, now) === 'supported') ?? vendored.at(-1);
  const when =
    status === 'retired'
      ? `is no longer supported (retired on ${formatInstant(retirementTime(version))})`
      : 'is not released yet';
  return (
    `${LIBRARY}: Storefront API ${version} ${when}: Shopify now serves ${served} for it, and the types of ` +
    `"${LIBRARY}/${version}" may not match its answers. Import "${LIBRARY}/${target}" instead.`
  );
}

function tokenOption(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    // Never echo a token: only say what kind of value it was.
    throw invalid(
      name,
      typeof value === 'string' ? '(empty string)' : `(${typeof value})`,
      (typeof process !== 'undefined' ? process.env.NODE_ENV !== 'production' : false)
        ? 'Expected the non-empty token string from the Headless channel or the app settings.'
        : '',
    );
  }
  return value;
}

/**
 * Whether this code runs where the user can read it: a page (`window`, `document`) or a dedicated, shared or
 * service worker (`importScripts`, a `WorkerGlobalScope` global). Not Node, Bun, Deno (Deno 1 has a `window`) or
 * workerd (Cloudflare Workers, Oxygen): servers, though workerd's global is a `ServiceWorkerGlobalScope`.
 */
function runsInBrowser(): boolean {
  const g = globalThis as Record<string, any>;
  if (g.Deno || g.navigator?.userAgent === 'Cloudflare-Workers') return false;
  const scope = g.WorkerGlobalScope;
  return !!(g.window || g.document || g.importScripts || (typeof scope === 'function' && g instanceof scope));
}

/**
 * Validates storefront exchange options once, at construction, one rule per check, and freezes the result. Outside
 * production each message names the fix; a production bundle keeps the option's name and drops the sentence.
 *
 * @throws ConfigurationError naming the fix: malformed domain, malformed or unknown version, no token or both
 * tokens, a private token in a page or a browser worker, a buyer IP without a private token.
 */
export function resolveStorefrontOptions(version: string, options: StorefrontExchangeOptions): StorefrontConfig {
  if (typeof options !== 'object' || options === null) {
    throw invalid(
      'options',
      typeof options,
      (typeof process !== 'undefined' ? process.env.NODE_ENV !== 'production' : false)
        ? 'Pass { storeDomain, publicAccessToken } (or privateAccessToken on a server).'
        : '',
    );
  }
  const now = options.now ?? Date.now;
  const time = now();
  if (!Number.isFinite(time)) {
    throw invalid(
      'now',
      time,
      (typeof process !== 'undefined' ? process.env.NODE_ENV !== 'production' : false)
        ? 'Expected a clock returning milliseconds since the epoch, like Date.now.'
        : '',
    );
  }
  assertGenerated(version, time, 'apiVersion');
  const host = assertStoreDomain(options.storeDomain);
  const publicToken = tokenOption('publicAccessToken', options.publicAccessToken);
  const privateToken = tokenOption('privateAccessToken', options.privateAccessToken);
  const chosen = exactlyOneToken(publicToken, privateToken, {
    public: 'publicAccessToken',
    private: 'privateAccessToken',
    verb: 'Pass',
    who: 'storefrontExchange',
  });
  if (privateToken !== undefined && runsInBrowser()) {
    throw invalid(
      'privateAccessToken',
      '(redacted)',
      (typeof process !== 'undefined' ? process.env.NODE_ENV !== 'production' : false)
        ? 'A private token must never reach a browser (a page, or a dedicated, shared or service worker): ' +
            'use publicAccessToken there and keep privateAccessToken on the server.'
        : '',
    );
  }
  if (
    options.buyerIp !== undefined &&
    (privateToken === undefined || typeof options.buyerIp !== 'string' || !/^[0-9a-f:.]{2,45}$/i.test(options.buyerIp))
  ) {
    throw invalid(
      'buyerIp',
      options.buyerIp,
      (typeof process !== 'undefined' ? process.env.NODE_ENV === 'production' : true)
        ? ''
        : privateToken === undefined
          ? 'The buyer IP is only sent with privateAccessToken; drop it.'
          : 'Expected an IPv4 or IPv6 address.',
    );
  }
  const headers: Record<string, string> = { [chosen.header]: chosen.token };
  if (options.buyerIp !== undefined) headers[BUYER_IP_HEADER] = options.buyerIp;
  return {
    version,
    endpoint: endpointFor(host, version),
    headers,
    retry: resolveRetry(options.retry),
    fetch: options.fetch,
    now,
    requestTimeoutMs: resolveRequestTimeout(options.requestTimeoutMs),
    timer: options.timer ?? realTimer,
    onVersionMismatch: options.onVersionMismatch,
    onDeprecation: options.onDeprecation,
  };
}
