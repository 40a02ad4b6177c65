import {
  Client,
  createRequest,
  fetchExchange,
  makeErrorResult,
  type Exchange,
  type Operation,
  type OperationContext,
  type OperationResult,
} from '@urql/core';
import { filter, makeSubject, map, pipe, share, subscribe, tap } from 'wonka';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as v2025 from '../../generated/2025-07/entry.js';
import * as v2025_10 from '../../generated/2025-10/entry.js';
import {
  CustomerAccessTokenCreateDocument,
  CustomerAccessTokenRenewDocument,
  CustomerDocument,
  customerTokenExchange,
  storefrontExchange,
} from '../../generated/2026-04/entry.js';
import { CustomerSessionError, memoryTokenStore, signalOf, storefrontInfo } from '../../src/index.js';
import type { StorefrontExchangeOptions } from '../../src/runtime/storefrontExchange.js';
import { parse } from 'graphql';
import { partStream } from './partStream.js';
import { CustomerDocument as CustomerAccountCustomerDocument } from '../../generated/customer-account/2026-04/entry.js';

const client = new Client({ url: 'http://unused.invalid', exchanges: [] });
const PUBLIC = 'public-storefront-token-123';
const BASE: StorefrontExchangeOptions = {
  storeDomain: 'shop.example.com',
  publicAccessToken: PUBLIC,
  now: () => Date.UTC(2026, 5, 1),
};

type Reply = Response | Error;

/** Drives an exchange with a recording forward: the real fetchExchange behind it, with a scripted fetch. */
function harness(make: (fetch: typeof globalThis.fetch) => Exchange, replies: Array<Reply | (() => Reply)>) {
  const sent: Operation[] = [];
  const requests: Array<{ url: string; init: RequestInit }> = [];
  const fetch = (async (url: string, init: RequestInit) => {
    requests.push({ url, init });
    const next = replies.shift() ?? json({ data: { customer: null } });
    const reply = typeof next === 'function' ? next() : next;
    if (reply instanceof Error) throw reply;
    return reply;
  }) as typeof globalThis.fetch;
  // Shared like urql's own composeExchanges does, so each operation crosses the boundary once.
  const forward = (ops$: Parameters<ReturnType<Exchange>>[0]) =>
    share(
      fetchExchange({
        client,
        dispatchDebug: () => {},
        forward: (rest$) =>
          pipe(
            rest$,
            filter(() => false),
          ) as never,
      })(
        share(
          pipe(
            ops$,
            tap((op) => sent.push(op)),
          ),
        ),
      ),
    );
  const ops = makeSubject<Operation>();
  const results: OperationResult[] = [];
  pipe(
    make(fetch)({ client, dispatchDebug: () => {}, forward })(ops.source),
    subscribe((r) => results.push(r)),
  );
  return { sent, requests, results, next: ops.next };
}

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'x-shopify-api-version': '2026-04', ...headers },
  });
}

function op(
  kind: 'query' | 'mutation',
  document: Parameters<typeof createRequest>[0],
  variables: Record<string, unknown> = {},
  context: Partial<OperationContext> = {},
): Operation {
  return client.createRequestOperation(kind, createRequest(document, variables), context);
}

const noWait = () => {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('storefrontExchange: requests', () => {
  it('sends every operation to the bound version endpoint by POST with the public token header', async () => {
    const h = harness((fetch) => storefrontExchange({ ...BASE, fetch }), [json({ data: { customer: null } })]);
    h.next(
      op('query', CustomerDocument, { customerAccessToken: 'x' }, { fetchOptions: { headers: { 'X-App': 'kept' } } }),
    );
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    expect(h.sent[0]).toHaveProperty(['context', 'url'], 'https://shop.example.com/api/2026-04/graphql.json');
    expect(h.sent[0]).toHaveProperty(['context', 'preferGetMethod'], false);
    expect(h.requests[0]!.url).toBe('https://shop.example.com/api/2026-04/graphql.json');
    expect(h.requests[0]!.init.method).toBe('POST');
    const headers = h.requests[0]!.init.headers as Record<string, string>;
    expect(headers['x-shopify-storefront-access-token']).toBe(PUBLIC);
    expect(headers['x-app']).toBe('kept');
  });

  it('merges the token into fetchOptions given as a function, calling it per request', async () => {
    const fetchOptions = vi.fn(() => ({ headers: new Headers({ 'X-Trace': 'abc' }) }));
    const h = harness((fetch) => storefrontExchange({ ...BASE, fetch }), []);
    h.next(op('query', CustomerDocument, { customerAccessToken: 'x' }, { fetchOptions }));
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    const headers = h.requests[0]!.init.headers as Record<string, string>;
    expect(headers).toMatchObject({ 'x-trace': 'abc', 'x-shopify-storefront-access-token': PUBLIC });
    expect(fetchOptions).toHaveBeenCalled();
  });

  it('merges headers given as a list of pairs, and lets the token win over an app header of any case', async () => {
    const headers = [
      ['X-Trace', 'abc'],
      ['X-Shopify-Storefront-Access-Token', 'not-this-one'],
    ] as [string, string][];
    const h = harness((fetch) => storefrontExchange({ ...BASE, fetch }), []);
    h.next(op('query', CustomerDocument, { customerAccessToken: 'x' }, { fetchOptions: { headers } }));
    h.next(
      op(
        'query',
        CustomerDocument,
        { customerAccessToken: 'y' },
        { fetchOptions: { headers: Object.fromEntries(headers) } },
      ),
    );
    await vi.waitFor(() => expect(h.results).toHaveLength(2));
    for (const request of h.requests)
      expect(request.init.headers).toMatchObject({ 'x-trace': 'abc', 'x-shopify-storefront-access-token': PUBLIC });
    // What the exchange hands urql: one spelling per header, the token's value.
    for (const sent of h.sent) {
      const options = sent.context.fetchOptions as () => RequestInit;
      expect(options().headers).toEqual({ 'x-trace': 'abc', 'x-shopify-storefront-access-token': PUBLIC });
    }
  });

  it('sends the private token and buyer IP instead of the public token on a server', async () => {
    const h = harness(
      (fetch) =>
        storefrontExchange({
          storeDomain: 'shop.example.com',
          privateAccessToken: 'private-xyz',
          buyerIp: '203.0.113.7',
          fetch,
          now: BASE.now,
        }),
      [],
    );
    h.next(op('query', CustomerDocument, { customerAccessToken: 'x' }));
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    const headers = h.requests[0]!.init.headers as Record<string, string>;
    expect(headers['shopify-storefront-private-token']).toBe('private-xyz');
    expect(headers['shopify-storefront-buyer-ip']).toBe('203.0.113.7');
    expect(headers['x-shopify-storefront-access-token']).toBeUndefined();
  });

  it('refuses a document generated for another version without sending it', async () => {
    const h = harness((fetch) => storefrontExchange({ ...BASE, fetch }), []);
    h.next(op('mutation', v2025.CustomerAccessTokenRenewDocument, { customerAccessToken: 'x' }));
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    expect(h.sent).toHaveLength(0);
    expect(signalOf(h.results[0])).toEqual({
      kind: 'wrong-version-document',
      operationName: 'CustomerAccessTokenRenew',
      apiVersion: '2026-04',
      documentVersion: '2025-07',
    });
    expect(h.results[0]!.error!.message).toContain('storefront-customer-session/2026-04');
  });

  it('sends its own version of the same document text, and the app’s own unmarked documents', async () => {
    const h = harness((fetch) => storefrontExchange({ ...BASE, fetch }), []);
    h.next(op('mutation', CustomerAccessTokenRenewDocument, { customerAccessToken: 'x' }));
    h.next(op('query', parse('query Shop { shop { name } }')));
    await vi.waitFor(() => expect(h.results).toHaveLength(2));
    expect(h.sent.map((o) => o.kind)).toEqual(['mutation', 'query']);
  });
});

describe('storefrontExchange: the served version reaches the app', () => {
  it('records a fall-forward on the result and calls onVersionMismatch', async () => {
    const onVersionMismatch = vi.fn();
    const h = harness(
      (fetch) => storefrontExchange({ ...BASE, fetch, onVersionMismatch }),
      [json({ data: { customer: null } }, 200, { 'x-shopify-api-version': '2026-07' })],
    );
    h.next(op('query', CustomerDocument, { customerAccessToken: 'x' }));
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    expect(storefrontInfo(h.results[0]!)).toMatchObject({
      requestedVersion: '2026-04',
      servedVersion: '2026-07',
      versionMismatch: true,
      status: 200,
      attempts: 1,
    });
    expect(onVersionMismatch).toHaveBeenCalledWith({
      kind: 'version-mismatch',
      requestedVersion: '2026-04',
      servedVersion: '2026-07',
    });
  });

  it('warns about a fall-forward when no callback is configured', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const h = harness(
      (fetch) => storefrontExchange({ ...BASE, fetch }),
      [json({ data: { customer: null } }, 200, { 'x-shopify-api-version': '2099-01' })],
    );
    h.next(op('query', CustomerDocument, { customerAccessToken: 'x' }));
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('2099-01 answered'));
  });

  it('records X-Shopify-API-Deprecated-Reason and calls onDeprecation', async () => {
    const onDeprecation = vi.fn();
    const h = harness(
      (fetch) => storefrontExchange({ ...BASE, fetch, onDeprecation }),
      [json({ data: { customer: null } }, 200, { 'x-shopify-api-deprecated-reason': 'https://shopify.dev/x' })],
    );
    h.next(op('query', CustomerDocument, { customerAccessToken: 'x' }));
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    expect(storefrontInfo(h.results[0]!)).toMatchObject({
      deprecatedReason: 'https://shopify.dev/x',
      versionMismatch: false,
    });
    expect(onDeprecation).toHaveBeenCalledWith({
      kind: 'deprecated',
      apiVersion: '2026-04',
      reason: 'https://shopify.dev/x',
    });
  });
});

describe('storefrontExchange: transport retries', () => {
  it('retries a query after 503, waiting at least Retry-After seconds', async () => {
    const wait = noWait();
    const h = harness(
      (fetch) => storefrontExchange({ ...BASE, fetch, retry: { sleep: wait.sleep, random: () => 0 } }),
      [
        json({ errors: [{ message: 'Service Unavailable' }] }, 503, { 'retry-after': '2' }),
        json({ data: { customer: null } }),
      ],
    );
    h.next(op('query', CustomerDocument, { customerAccessToken: 'x' }));
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    expect(h.requests).toHaveLength(2);
    expect(wait.delays).toEqual([2000]);
    expect(h.results[0]!.error).toBeUndefined();
    expect(storefrontInfo(h.results[0]!)).toMatchObject({ attempts: 2, status: 200 });
  });

  it('backs off exponentially with jitter and fails as data after the last attempt', async () => {
    const wait = noWait();
    const replies = [new TypeError('fetch failed'), json({}, 500), json({}, 502), json({}, 430)];
    const h = harness(
      (fetch) =>
        storefrontExchange({ ...BASE, fetch, retry: { sleep: wait.sleep, random: () => 0.999, baseDelayMs: 100 } }),
      replies,
    );
    h.next(op('query', CustomerDocument, { customerAccessToken: 'x' }));
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    expect(h.requests).toHaveLength(4);
    expect(wait.delays).toEqual([99, 199, 399]);
    expect(signalOf(h.results[0])).toEqual({
      kind: 'storefront-unavailable',
      status: 430,
      attempts: 4,
      retryAfterMs: null,
      transient: true,
    });
    expect(h.results[0]!.data).toBeUndefined();
  });

  it('retries a network error on the renew mutation but not on an ordinary mutation', async () => {
    const wait = noWait();
    const h = harness(
      (fetch) => storefrontExchange({ ...BASE, fetch, retry: { sleep: wait.sleep } }),
      [json({}, 500), json({ data: { customerAccessTokenRenew: null } }), json({}, 500)],
    );
    h.next(op('mutation', CustomerAccessTokenRenewDocument, { customerAccessToken: 'x' }));
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    h.next(op('mutation', parse('mutation CartCreate { cartCreate { cart { id } } }')));
    await vi.waitFor(() => expect(h.results).toHaveLength(2));
    expect(h.requests).toHaveLength(3);
    expect(signalOf(h.results[1])).toMatchObject({ kind: 'storefront-unavailable', status: 500, attempts: 1 });
  });

  it('retries any mutation the server refused unprocessed (429)', async () => {
    const h = harness(
      (fetch) => storefrontExchange({ ...BASE, fetch, retry: { sleep: noWait().sleep } }),
      [json({}, 429), json({ data: { cartCreate: null } })],
    );
    h.next(op('mutation', parse('mutation CartCreate { cartCreate { cart { id } } }')));
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    expect(h.requests).toHaveLength(2);
    expect(h.results[0]!.error).toBeUndefined();
  });

  it('does not retry 401, 402, 403 or 423 and marks them as not transient', async () => {
    for (const status of [401, 402, 403, 423]) {
      const h = harness(
        (fetch) => storefrontExchange({ ...BASE, fetch, retry: { sleep: noWait().sleep } }),
        [json({ errors: [{ message: 'no' }] }, status)],
      );
      h.next(op('query', CustomerDocument, { customerAccessToken: 'x' }));
      await vi.waitFor(() => expect(h.results).toHaveLength(1));
      expect(h.requests).toHaveLength(1);
      expect(signalOf(h.results[0])).toMatchObject({ kind: 'storefront-unavailable', status, transient: false });
    }
  });

  it('fails at once when Retry-After asks for longer than maxRetryAfterMs', async () => {
    const h = harness(
      (fetch) => storefrontExchange({ ...BASE, fetch, retry: { sleep: noWait().sleep, maxRetryAfterMs: 10_000 } }),
      [json({}, 429, { 'retry-after': '120' })],
    );
    h.next(op('query', CustomerDocument, { customerAccessToken: 'x' }));
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    expect(h.requests).toHaveLength(1);
    expect(signalOf(h.results[0])).toMatchObject({ status: 429, retryAfterMs: 120_000, transient: true });
  });

  it('retries a 200 whose body is not JSON', async () => {
    const h = harness(
      (fetch) => storefrontExchange({ ...BASE, fetch, retry: { sleep: noWait().sleep } }),
      [
        new Response('<html>oops</html>', { status: 200, headers: { 'content-type': 'text/html' } }),
        json({ data: { customer: null } }),
      ],
    );
    h.next(op('query', CustomerDocument, { customerAccessToken: 'x' }));
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    expect(h.requests).toHaveLength(2);
    expect(h.results[0]!.data).toEqual({ customer: null });
  });

  it('drops a pending retry when the operation is torn down during the backoff', async () => {
    let release!: () => void;
    const sleep = (_ms: number, signal: AbortSignal) =>
      new Promise<void>((resolve) => {
        release = resolve;
        signal.addEventListener('abort', () => resolve());
      });
    const h = harness((fetch) => storefrontExchange({ ...BASE, fetch, retry: { sleep } }), [json({}, 503)]);
    const query = op('query', CustomerDocument, { customerAccessToken: 'x' });
    h.next(query);
    await vi.waitFor(() => expect(release).toBeTypeOf('function'));
    h.next({ ...query, kind: 'teardown' });
    release();
    await new Promise((r) => setTimeout(r, 20));
    expect(h.requests).toHaveLength(1);
    expect(h.results).toHaveLength(0);
  });

  it('leaves GraphQL errors with HTTP 200 alone (they are answers, not transport failures)', async () => {
    const h = harness(
      (fetch) => storefrontExchange({ ...BASE, fetch, retry: { sleep: noWait().sleep } }),
      [json({ errors: [{ message: 'x', extensions: { code: 'undefinedField' } }] })],
    );
    h.next(op('mutation', CustomerAccessTokenCreateDocument, { input: { email: 'a@b.c', password: 'p' } }));
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    expect(h.requests).toHaveLength(1);
    expect(signalOf(h.results[0])).toBeUndefined();
    expect(h.results[0]!.error!.graphQLErrors[0]!.extensions.code).toBe('undefinedField');
  });
});

/** Drives the exchange over an exchange below it that answers every operation itself, never calling `fetch`. */
function answeredBelow(make: () => Exchange, answer: (op: Operation) => OperationResult) {
  const sent: Operation[] = [];
  const answers: OperationResult[] = [];
  const forward = (ops$: Parameters<ReturnType<Exchange>>[0]) =>
    share(
      pipe(
        ops$,
        filter((op) => op.kind !== 'teardown'),
        map((op) => {
          sent.push(op);
          const result = answer(op);
          answers.push(result);
          return result;
        }),
      ),
    );
  const ops = makeSubject<Operation>();
  const results: OperationResult[] = [];
  pipe(
    make()({ client, dispatchDebug: () => {}, forward })(ops.source),
    subscribe((r) => results.push(r)),
  );
  return { sent, answers, results, next: ops.next };
}

/** A sleep that yields to timers, so a retry loop that never ends cannot starve the test's own timeout. */
const timerSleep = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('storefrontExchange: a request left unanswered', () => {
  /** A timer the test fires by hand: `fire()` runs the oldest pending callback. */
  const manualTimer = () => {
    const pending: Array<{ callback: () => void; ms: number }> = [];
    return {
      pending,
      timer: (callback: () => void, ms: number) => {
        pending.push({ callback, ms });
        return () => {};
      },
      fire: () => pending.shift()!.callback(),
    };
  };
  const never = (() => new Promise<Response>(() => {})) as unknown as () => Reply;
  const signalOfRequest = (h: { requests: Array<{ init: RequestInit }> }, i: number) => h.requests[i]!.init.signal!;
  /** The harness with a 1 s limit on the manual timer, and retries without waiting. */
  const watched = (clock: ReturnType<typeof manualTimer>, replies: Array<Reply | (() => Reply)>) =>
    harness(
      (fetch) =>
        storefrontExchange({
          ...BASE,
          fetch,
          requestTimeoutMs: 1000,
          timer: clock.timer,
          retry: { sleep: noWait().sleep },
        }),
      replies,
    );

  it('tears a query down after requestTimeoutMs (a quarter-limit tick at a time) and retries it', async () => {
    const clock = manualTimer();
    const h = watched(clock, [never, json({ data: { customer: null } })]);
    h.next(op('query', CustomerDocument, { customerAccessToken: 'x' }));
    await vi.waitFor(() => expect(h.requests).toHaveLength(1));
    expect(clock.pending.map((t) => t.ms)).toEqual([250]);
    for (let tick = 1; tick <= 4; tick++) clock.fire();
    await new Promise((r) => setTimeout(r, 10));
    expect(h.requests).toHaveLength(1);
    expect(signalOfRequest(h, 0).aborted).toBe(false);
    clock.fire(); // the fifth tick: more than the limit since the request went out
    expect(signalOfRequest(h, 0).aborted).toBe(true);
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    expect(h.requests).toHaveLength(2);
    expect(h.results[0]!.data).toEqual({ customer: null });
    expect(storefrontInfo(h.results[0]!)).toMatchObject({ attempts: 2, status: 200 });
    // Nothing is waiting any more: the watch ticks once more and stops.
    while (clock.pending.length) clock.fire();
    expect(clock.pending).toHaveLength(0);
  });

  it('fails an unanswered ordinary mutation as data after one request (it may have run)', async () => {
    const clock = manualTimer();
    const h = harness(
      (fetch) => storefrontExchange({ ...BASE, fetch, requestTimeoutMs: 400, timer: clock.timer }),
      [never],
    );
    h.next(op('mutation', parse('mutation CartCreate { cartCreate { cart { id } } }')));
    await vi.waitFor(() => expect(h.requests).toHaveLength(1));
    for (let tick = 1; tick <= 5; tick++) clock.fire();
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    expect(signalOf(h.results[0])).toEqual({
      kind: 'storefront-unavailable',
      status: null,
      attempts: 1,
      retryAfterMs: null,
      transient: true,
    });
    expect(h.requests).toHaveLength(1);
    expect(signalOfRequest(h, 0).aborted).toBe(true);
  });

  it('forgets a request once answered or torn down: no late result, no retry', async () => {
    const clock = manualTimer();
    const h = watched(clock, [json({ data: { customer: null } }), never]);
    h.next(op('query', CustomerDocument, { customerAccessToken: 'x' }));
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    const torn = op('query', CustomerDocument, { customerAccessToken: 'y' });
    h.next(torn);
    await vi.waitFor(() => expect(h.requests).toHaveLength(2));
    h.next({ ...torn, kind: 'teardown' });
    for (let tick = 1; tick <= 8 && clock.pending.length; tick++) clock.fire();
    await new Promise((r) => setTimeout(r, 10));
    expect(h.results).toHaveLength(1);
    expect(h.requests).toHaveLength(2);
    expect(clock.pending).toHaveLength(0);
  });

  it('times out a streamed (@defer) answer whose next part stops coming: the limit runs from the latest part', async () => {
    const clock = manualTimer();
    const stream = partStream();
    const h = watched(clock, [() => stream.response, json({ data: { customer: { id: 'full' } } })]);
    h.next(op('query', CustomerDocument, { customerAccessToken: 'x' }));
    await vi.waitFor(() => expect(h.requests).toHaveLength(1));
    clock.fire();
    clock.fire();
    stream.part({ data: { customer: { id: 'first' } }, hasNext: true });
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    expect(h.results[0]).toMatchObject({ hasNext: true, data: { customer: { id: 'first' } } });
    // Four ticks after the part: within the limit, counted from the part, not from the request.
    for (let tick = 1; tick <= 4; tick++) clock.fire();
    expect(signalOfRequest(h, 0).aborted).toBe(false);
    stream.part({ incremental: [{ path: ['customer'], data: { email: null } }], hasNext: true });
    await vi.waitFor(() => expect(h.results).toHaveLength(2));
    for (let tick = 1; tick <= 4; tick++) clock.fire();
    expect(signalOfRequest(h, 0).aborted).toBe(false);
    clock.fire(); // the fifth tick since the latest part: the rest is not coming
    expect(signalOfRequest(h, 0).aborted).toBe(true);
    // A query is retried, and the operation ends with the whole answer.
    await vi.waitFor(() => expect(h.results).toHaveLength(3));
    expect(h.requests).toHaveLength(2);
    expect(h.results[2]).toMatchObject({ hasNext: false, data: { customer: { id: 'full' } } });
    while (clock.pending.length) clock.fire();
    expect(clock.pending).toHaveLength(0);
  });

  it('refuses a time limit that is not a number of milliseconds from 1 to 2147483647', () => {
    for (const requestTimeoutMs of [0, -1, Number.NaN, Infinity, 2 ** 31, '5000'])
      expect(() => storefrontExchange({ ...BASE, requestTimeoutMs: requestTimeoutMs as number })).toThrow(
        /requestTimeoutMs/,
      );
    expect(() => storefrontExchange({ ...BASE, requestTimeoutMs: 1 })).not.toThrow();
  });
});

describe('storefrontExchange: results no request of its own produced', () => {
  it('gives up within the retry budget when an exchange below answers a network error without fetching', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>();
    const h = answeredBelow(
      () => storefrontExchange({ ...BASE, fetch, retry: { sleep: timerSleep } }),
      (o) => makeErrorResult(o, new TypeError('offline')),
    );
    h.next(op('query', CustomerDocument, { customerAccessToken: 'x' }));
    await vi.waitFor(() => expect(h.results).toHaveLength(1), { timeout: 500 });
    await new Promise((r) => setTimeout(r, 50));
    expect(h.sent.length).toBeLessThanOrEqual(4);
    expect(h.sent).toHaveLength(1);
    expect(h.results).toHaveLength(1);
    expect(fetch).not.toHaveBeenCalled();
    // Not made a storefront-unavailable: no request failed, the exchange below answered.
    expect(h.results[0]).toBe(h.answers[0]);
    expect(storefrontInfo(h.results[0]!)).toBeUndefined();
  });

  it('passes a CustomerSessionError result from below through at once, unchanged and unretried', async () => {
    const h = answeredBelow(
      () => storefrontExchange({ ...BASE, fetch: vi.fn(), retry: { sleep: timerSleep } }),
      (o) => makeErrorResult(o, new CustomerSessionError({ kind: 'sign-in-required', reason: 'missing' })),
    );
    h.next(op('query', CustomerDocument, { customerAccessToken: 'x' }));
    expect(h.results).toHaveLength(1);
    expect(h.results[0]).toBe(h.answers[0]);
    expect(signalOf(h.results[0])).toEqual({ kind: 'sign-in-required', reason: 'missing' });
    await new Promise((r) => setTimeout(r, 50));
    expect(h.sent).toHaveLength(1);
    expect(h.results).toHaveLength(1);
  });

  it('passes a cached answer from below through without annotating it', () => {
    const h = answeredBelow(
      () => storefrontExchange({ ...BASE, fetch: vi.fn() }),
      (o) => ({ operation: o, data: { customer: null }, stale: false, hasNext: false }),
    );
    h.next(op('query', CustomerDocument, { customerAccessToken: 'x' }));
    expect(h.results).toHaveLength(1);
    expect(h.results[0]).toBe(h.answers[0]);
    expect(h.results[0]!.extensions).toBeUndefined();
  });

  it('answers the app once, with sign-in-required, when the exchanges are in the wrong order and the store is empty', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const fetch = vi.fn<typeof globalThis.fetch>();
    const wrongOrder = new Client({
      url: 'http://unused.invalid',
      exchanges: [
        storefrontExchange({ ...BASE, fetch, retry: { sleep: timerSleep } }),
        customerTokenExchange({ store: memoryTokenStore(null), now: BASE.now }),
        fetchExchange,
      ],
    });
    const results: OperationResult[] = [];
    const { unsubscribe } = pipe(
      wrongOrder.query(CustomerDocument, {}, { requestPolicy: 'network-only' }),
      subscribe((r) => results.push(r)),
    );
    await vi.waitFor(() => expect(results).toHaveLength(1), { timeout: 500 });
    await new Promise((r) => setTimeout(r, 50));
    unsubscribe();
    expect(results).toHaveLength(1);
    expect(signalOf(results[0])).toEqual({ kind: 'sign-in-required', reason: 'missing' });
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe('storefrontExchange: redirects are never followed', () => {
  /** A response as a browser hands back `redirect: 'manual'`: type opaqueredirect, status 0, nothing readable. */
  function opaqueRedirect(): Response {
    const response = new Response(null, { status: 200 });
    Object.defineProperties(response, { status: { value: 0 }, type: { value: 'opaqueredirect' } });
    return response;
  }

  it("asks fetch not to follow redirects, whatever the app's fetchOptions say", async () => {
    const h = harness((fetch) => storefrontExchange({ ...BASE, fetch }), []);
    h.next(op('query', CustomerDocument, { customerAccessToken: 'x' }, { fetchOptions: { redirect: 'follow' } }));
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    expect(h.requests[0]!.init.redirect).toBe('manual');
  });

  it.each([301, 302, 303, 307, 308])(
    'fails a %i as not transient, without retrying it or reading its body',
    async (status) => {
      const wait = noWait();
      const redirect = new Response('{"data":{"customer":{"id":"foreign"}}}', {
        status,
        headers: { location: 'https://elsewhere.example/api/2026-04/graphql.json', 'content-type': 'application/json' },
      });
      const h = harness((fetch) => storefrontExchange({ ...BASE, fetch, retry: { sleep: wait.sleep } }), [redirect]);
      h.next(op('query', CustomerDocument, { customerAccessToken: 'x' }));
      await vi.waitFor(() => expect(h.results).toHaveLength(1));
      expect(h.requests).toHaveLength(1);
      expect(h.results[0]!.data).toBeUndefined();
      expect(signalOf(h.results[0])).toEqual({
        kind: 'storefront-unavailable',
        status,
        attempts: 1,
        retryAfterMs: null,
        transient: false,
      });
      expect(storefrontInfo(h.results[0]!)).toMatchObject({ status, attempts: 1 });
    },
  );

  it('fails an opaque redirect (a browser’s status 0) as not transient, with status null', async () => {
    const h = harness(
      (fetch) => storefrontExchange({ ...BASE, fetch, retry: { sleep: noWait().sleep } }),
      [opaqueRedirect],
    );
    h.next(op('mutation', CustomerAccessTokenRenewDocument, { customerAccessToken: 'x' }));
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    expect(h.requests).toHaveLength(1);
    expect(h.results[0]!.data).toBeUndefined();
    expect(signalOf(h.results[0])).toMatchObject({ kind: 'storefront-unavailable', status: null, transient: false });
    expect(storefrontInfo(h.results[0]!)).toMatchObject({ status: null });
  });

  it('refuses the answer of a custom fetch that followed a redirect anyway', async () => {
    const followed = json({ data: { customer: { id: 'foreign' } } });
    Object.defineProperty(followed, 'redirected', { value: true });
    const h = harness((fetch) => storefrontExchange({ ...BASE, fetch, retry: { sleep: noWait().sleep } }), [followed]);
    h.next(op('query', CustomerDocument, { customerAccessToken: 'x' }));
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    expect(h.results[0]!.data).toBeUndefined();
    expect(signalOf(h.results[0])).toMatchObject({ kind: 'storefront-unavailable', status: null, transient: false });
  });
});

describe('storefrontExchange: exchanges from two entry points in one chain', () => {
  const fromTokenExchange = (apiVersion: string) => ({ customerSession: { apiVersion } }) as Partial<OperationContext>;

  it('refuses an operation sent by the customer token exchange of another version, naming both versions', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const h = harness((fetch) => storefrontExchange({ ...BASE, fetch }), []);
    h.next(op('query', CustomerDocument, { customerAccessToken: 'x' }, fromTokenExchange('2026-01')));
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    expect(h.sent).toHaveLength(0);
    expect(h.requests).toHaveLength(0);
    expect(signalOf(h.results[0])).toEqual({
      kind: 'wrong-version-document',
      operationName: 'Customer',
      apiVersion: '2026-04',
      documentVersion: '2026-01',
    });
    expect(error).toHaveBeenCalledTimes(1);
    const message = error.mock.calls[0]![0] as string;
    expect(message).toContain('2026-01');
    expect(message).toContain('2026-04');
    expect(message).toContain('Import both exchanges and the documents from one entry point');
  });

  it('points a Customer Account document at customerAccountExchange, not at entry points that lack it', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const h = harness((fetch) => storefrontExchange({ ...BASE, fetch }), []);
    h.next(op('query', CustomerAccountCustomerDocument, {}));
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    expect(h.requests).toHaveLength(0);
    expect(signalOf(h.results[0])).toMatchObject({ documentVersion: 'customer-account/2026-04' });
    const message = error.mock.calls[0]![0] as string;
    expect(message).toContain(
      'A Customer Account API document goes through customerAccountExchange ' +
        '(from "storefront-customer-session/customer-account/2026-04"), in an urql client of its own.',
    );
    expect(message).not.toContain('Import both exchanges');
  });

  it('says so on the console once per pair of versions', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const h = harness((fetch) => storefrontExchange({ ...BASE, fetch }), []);
    h.next(op('query', CustomerDocument, { customerAccessToken: 'x' }, fromTokenExchange('2026-07')));
    h.next(
      op('mutation', CustomerAccessTokenRenewDocument, { customerAccessToken: 'x' }, fromTokenExchange('2026-07')),
    );
    await vi.waitFor(() => expect(h.results).toHaveLength(2));
    expect(h.results.map((r) => signalOf(r)?.kind)).toEqual(['wrong-version-document', 'wrong-version-document']);
    expect(error).toHaveBeenCalledTimes(1);
  });

  it('sends what the customer token exchange of its own version sends, and operations without the field', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const h = harness((fetch) => storefrontExchange({ ...BASE, fetch }), []);
    h.next(op('query', CustomerDocument, { customerAccessToken: 'x' }, fromTokenExchange('2026-04')));
    h.next(op('query', CustomerDocument, { customerAccessToken: 'x' }, { customerSession: { resent: true } } as never));
    await vi.waitFor(() => expect(h.results).toHaveLength(2));
    expect(h.sent).toHaveLength(2);
    expect(h.results.map((r) => r.error)).toEqual([undefined, undefined]);
    expect(error).not.toHaveBeenCalled();
  });

  it('refuses a document of another version even when the token exchange is of its own version', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const h = harness((fetch) => storefrontExchange({ ...BASE, fetch }), []);
    h.next(op('query', v2025.CustomerDocument, { customerAccessToken: 'x' }, fromTokenExchange('2026-04')));
    await vi.waitFor(() => expect(h.results).toHaveLength(1));
    expect(h.sent).toHaveLength(0);
    expect(signalOf(h.results[0])).toMatchObject({ apiVersion: '2026-04', documentVersion: '2025-07' });
  });

  it('refuses the renew document of a 2025-10 customerTokenExchange loudly, without a request', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const fetch = vi.fn<typeof globalThis.fetch>(async () => json({ data: { customer: null } }));
    const now = () => Date.UTC(2026, 5, 1);
    // Inside the renewal window: the read renews first, with the 2025-10 entry point's renew document.
    const token = { accessToken: 'held', expiresAt: new Date(now() + 2 * 86_400_000).toISOString() };
    const mixed = new Client({
      url: 'http://unused.invalid',
      exchanges: [
        v2025_10.customerTokenExchange({ store: memoryTokenStore(token), now }),
        storefrontExchange({ ...BASE, fetch, now }),
        fetchExchange,
      ],
    });
    await mixed.query(v2025_10.CustomerDocument, {}, { requestPolicy: 'network-only' }).toPromise();
    const bodies = fetch.mock.calls.map(([, init]) => String(init?.body));
    expect(bodies.filter((body) => body.includes('customerAccessTokenRenew'))).toEqual([]);
    expect(error).toHaveBeenCalledWith(expect.stringMatching(/2025-10[\s\S]*2026-04|2026-04[\s\S]*2025-10/));
  });
});

describe('storefrontExchange and customerTokenExchange: app callbacks that reject', () => {
  it('catches an async onVersionMismatch that rejects: no unhandled rejection', async () => {
    const rejections: unknown[] = [];
    const record = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', record);
    try {
      const h = harness(
        (fetch) =>
          storefrontExchange({ ...BASE, fetch, onVersionMismatch: async () => Promise.reject(new Error('app')) }),
        [json({ data: { customer: null } }, 200, { 'x-shopify-api-version': '2026-07' })],
      );
      h.next(op('query', CustomerDocument, { customerAccessToken: 'x' }));
      await vi.waitFor(() => expect(h.results).toHaveLength(1));
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });

  it('catches an async onSignInRequired that rejects (a Next.js redirect()): no unhandled rejection', async () => {
    const rejections: unknown[] = [];
    const record = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', record);
    try {
      const exchange = customerTokenExchange({
        store: memoryTokenStore(),
        onSignInRequired: async () => Promise.reject(new Error('NEXT_REDIRECT')),
      });
      const results: OperationResult[] = [];
      const ops = makeSubject<Operation>();
      pipe(
        exchange({
          client,
          dispatchDebug: () => {},
          forward: (ops$) =>
            pipe(
              ops$,
              filter(() => false),
            ) as never,
        })(ops.source),
        subscribe((r) => results.push(r)),
      );
      ops.next(op('query', CustomerDocument));
      await vi.waitFor(() => expect(results).toHaveLength(1));
      expect(signalOf(results[0]!)).toMatchObject({ kind: 'sign-in-required' });
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });
});

describe('storefrontExchange: what the server says about versions', () => {
  it('never logs or hands over a token a deprecation reason echoes back', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const onDeprecation = vi.fn();
    const echoed = `field deprecated (token ${PUBLIC}, customer secret-customer-token)`;
    const h = harness(
      (fetch) => storefrontExchange({ ...BASE, fetch }),
      [json({ data: { customer: null } }, 200, { 'x-shopify-api-deprecated-reason': echoed })],
    );
    const w = harness(
      (fetch) => storefrontExchange({ ...BASE, fetch, onDeprecation }),
      [json({ data: { customer: null } }, 200, { 'x-shopify-api-deprecated-reason': echoed })],
    );
    h.next(op('query', CustomerDocument, { customerAccessToken: 'secret-customer-token' }));
    w.next(op('query', CustomerDocument, { customerAccessToken: 'secret-customer-token' }));
    await vi.waitFor(() => expect([...h.results, ...w.results]).toHaveLength(2));
    const seen = JSON.stringify([warn.mock.calls, onDeprecation.mock.calls, storefrontInfo(h.results[0]!)]);
    expect(seen).toContain('field deprecated');
    expect(seen).not.toContain(PUBLIC);
    expect(seen).not.toContain('secret-customer-token');
  });

  it('reports no fall-forward for an empty X-Shopify-API-Version, or the requested version sent twice', async () => {
    const onVersionMismatch = vi.fn();
    const twice = json({ data: { customer: null } });
    twice.headers.append('x-shopify-api-version', '2026-04'); // a proxy that adds the header again
    const h = harness(
      (fetch) => storefrontExchange({ ...BASE, fetch, onVersionMismatch }),
      [json({ data: { customer: null } }, 200, { 'x-shopify-api-version': '' }), twice],
    );
    h.next(op('query', CustomerDocument, { customerAccessToken: 'x' }));
    h.next(op('query', CustomerDocument, { customerAccessToken: 'y' }));
    await vi.waitFor(() => expect(h.results).toHaveLength(2));
    expect(h.results.map((r) => storefrontInfo(r)?.versionMismatch)).toEqual([false, false]);
    expect(h.results.map((r) => storefrontInfo(r)?.servedVersion)).toEqual([null, '2026-04']);
    expect(onVersionMismatch).not.toHaveBeenCalled();
  });
});

describe('storefrontExchange: the clock', () => {
  it('refuses a now() that is no number of milliseconds naming `now`, not apiVersion "NaN-NaN"', () => {
    for (const now of [() => NaN, () => '2026-06-01' as unknown as number, () => undefined as unknown as number]) {
      expect(() => storefrontExchange({ ...BASE, now })).toThrow(/the provided now\b/);
      expect(() => v2025.storefrontExchange({ ...BASE, now })).toThrow(/the provided now\b/);
    }
  });
});

describe('storefrontExchange: copies of a generated document', () => {
  it('refuses a shallow copy (or a structured clone) of another version’s document without sending it', async () => {
    const h = harness((fetch) => storefrontExchange({ ...BASE, fetch }), []);
    h.next(op('query', { ...v2025.CustomerDocument }, { customerAccessToken: 'x' }));
    h.next(op('query', structuredClone(v2025.CustomerDocument), { customerAccessToken: 'y' }));
    await vi.waitFor(() => expect(h.results).toHaveLength(2));
    expect(h.sent).toHaveLength(0);
    expect(h.results.map((r) => signalOf(r))).toEqual([
      expect.objectContaining({ kind: 'wrong-version-document', documentVersion: '2025-07' }),
      expect.objectContaining({ kind: 'wrong-version-document', documentVersion: '2025-07' }),
    ]);
  });
});
