import { Client, createRequest, makeErrorResult, makeResult, type Operation, type OperationResult } from '@urql/core';
import fc from 'fast-check';
import { make, pipe, share, subscribe, makeSubject, filter, mergeMap, tap, type Source } from 'wonka';
import { describe, expect, it } from 'vitest';
import { CustomerDocument, customerTokenExchange } from '../../generated/2026-04/entry.js';
import { CustomerSessionError, memoryTokenStore, type Token, type TokenStore } from '../../src/index.js';
import { DEFAULT_CLOCK_SKEW_MS } from '../../src/runtime/customerTokenOptions.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const LIFE = 42 * DAY;
const T0 = Date.UTC(2026, 5, 1);
const client = new Client({ url: 'http://unused.invalid', exchanges: [] });
const iso = (ms: number) => new Date(ms - (ms % 1000)).toISOString().replace(/\.\d{3}Z$/, 'Z');
const flush = () => new Promise((resolve) => setImmediate(resolve));

type Command =
  | { kind: 'advance'; ms: number }
  /** Moves the clock to `before` ms ahead of the stored token's expiry (never backwards): the clock-skew edge. */
  | { kind: 'near-expiry'; before: number }
  | { kind: 'query' }
  | { kind: 'deliver'; pick: number }
  | { kind: 'transient' }
  | { kind: 'store-fails'; method: 'get' | 'set' }
  | { kind: 'revoke' }
  | { kind: 'sign-in' }
  | { kind: 'renew-mode'; mode: RenewMode };

/** How the server answers a successful renew: every candidate STOREFRONT.md leaves open. */
type RenewMode = 'new-token' | 'same-token' | 'rotate-same-expiry' | 'not-extending';

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .constantFrom(MINUTE, 6 * MINUTE, 3 * 60 * MINUTE, DAY, 3 * DAY, 8 * DAY)
      .map((ms) => ({ kind: 'advance' as const, ms })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(MINUTE, 4 * MINUTE, 6 * MINUTE)
      .map((before) => ({ kind: 'near-expiry' as const, before })),
  },
  { weight: 4, arbitrary: fc.constant({ kind: 'query' as const }) },
  { weight: 4, arbitrary: fc.nat(20).map((pick) => ({ kind: 'deliver' as const, pick })) },
  { weight: 2, arbitrary: fc.constant({ kind: 'transient' as const }) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('get' as const, 'set' as const)
      .map((method) => ({ kind: 'store-fails' as const, method })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'revoke' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'sign-in' as const }) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom<RenewMode>('new-token', 'same-token', 'rotate-same-expiry', 'not-extending')
      .map((mode) => ({ kind: 'renew-mode' as const, mode })),
  },
);

/** A simple model of the Storefront API's token table, with a clock shared with the client. */
function world() {
  let now = T0;
  let serial = 0;
  const tokens = new Map<string, { expiresAt: number; deleted: boolean }>();
  const issue = (expiresAt = now + LIFE - ((now + LIFE) % 1000)): Token => {
    const accessToken = `tok-${++serial}`;
    tokens.set(accessToken, { expiresAt, deleted: false });
    return { accessToken, expiresAt: iso(expiresAt) };
  };
  const isLive = (accessToken: string) => {
    const record = tokens.get(accessToken);
    return !!record && !record.deleted && now < record.expiresAt;
  };
  return { now: () => now, advance: (ms: number) => void (now += ms), tokens, issue, isLive };
}

let steps = 0;

async function run(commands: Command[]): Promise<void> {
  steps += commands.length;
  const w = world();
  /** Renewal result → the token it renewed (rule 3: a result replaces only that token). */
  const renewedFrom = new Map<string, string>();
  const renewsPerToken = new Map<string, number>();
  let tokenSinceNotice = true;
  const notices: string[] = [];
  const violations: string[] = [];
  const check = (ok: boolean, message: string) => void (ok || violations.push(message));

  // The store: checks that the token only moves forward and that only definite answers clear it.
  const inner = memoryTokenStore(w.issue());
  w.advance(36 * DAY); // inside the 7-day renewal window: every run meets renewals, and expiry is a few steps away
  const failNext = { get: 0, set: 0 };
  const store: TokenStore = {
    async get() {
      if (failNext.get > 0 && failNext.get--) throw new Error('store get failed');
      return inner.get();
    },
    async set(token) {
      if (failNext.set > 0 && failNext.set--) throw new Error('store set failed');
      const current = inner.get() as Token | null;
      const from = renewedFrom.get(token.accessToken) ?? token.accessToken;
      check(current !== null, `set ${token.accessToken} after a sign-out: a session came back`);
      check(
        current === null || current.accessToken === from || current.accessToken === token.accessToken,
        `set ${token.accessToken} (renewing ${from}) over ${current?.accessToken}, a token it did not renew`,
      );
      check(
        current === null ||
          current.accessToken !== token.accessToken ||
          Date.parse(token.expiresAt) >= Date.parse(current.expiresAt),
        `set moved ${token.accessToken} backwards: ${current?.expiresAt} -> ${token.expiresAt}`,
      );
      inner.set(token);
      tokenSinceNotice = true;
    },
    async clear() {
      const current = inner.get() as Token | null;
      if (current) {
        const definite =
          !w.isLive(current.accessToken) || w.now() >= Date.parse(current.expiresAt) - DEFAULT_CLOCK_SKEW_MS;
        check(definite, `cleared a live token with ${(Date.parse(current.expiresAt) - w.now()) / DAY} days left`);
      }
      inner.clear();
    },
  };

  // The server: answers are held until a `deliver` command, so renewals, operations and clock moves interleave.
  let transient = 0;
  let mode: RenewMode = 'new-token';
  let renewsInFlight = 0;
  const pending: Array<{ op: Operation; answer: (result: OperationResult) => void }> = [];
  const isRenew = (op: Operation) => op.kind === 'mutation';
  const respond = (op: Operation): OperationResult => {
    if (transient > 0) {
      transient--;
      return makeErrorResult(
        op,
        new CustomerSessionError({
          kind: 'storefront-unavailable',
          status: 503,
          attempts: 4,
          retryAfterMs: null,
          transient: true,
        }),
      );
    }
    const accessToken = op.variables?.customerAccessToken as string;
    if (!isRenew(op))
      return makeResult(op, {
        data: {
          customer: w.isLive(accessToken)
            ? { id: '1', email: 'c@example.com', firstName: null, lastName: null, displayName: 'C' }
            : null,
        },
      });
    if (!w.isLive(accessToken))
      return makeResult(op, {
        data: {
          customerAccessTokenRenew: {
            customerAccessToken: null,
            userErrors: [{ field: ['customerAccessToken'], message: 'access token does not exist' }],
          },
        },
      });
    const record = w.tokens.get(accessToken)!;
    let renewed: Token;
    if (mode === 'same-token' || mode === 'not-extending') {
      if (mode === 'same-token') record.expiresAt = w.now() + LIFE - ((w.now() + LIFE) % 1000);
      renewed = { accessToken, expiresAt: iso(record.expiresAt) };
    } else {
      renewed = mode === 'rotate-same-expiry' ? w.issue(record.expiresAt) : w.issue();
      if (mode === 'rotate-same-expiry') record.deleted = true; // the server drops the old token
      renewedFrom.set(renewed.accessToken, accessToken);
    }
    return makeResult(op, { data: { customerAccessTokenRenew: { customerAccessToken: renewed, userErrors: [] } } });
  };
  const forward = (ops$: Source<Operation>) =>
    share(
      pipe(
        share(ops$),
        filter((op) => op.kind !== 'teardown'),
        tap((op) => {
          if (!isRenew(op)) return;
          const token = op.variables?.customerAccessToken as string;
          const expiresAt = w.tokens.get(token)?.expiresAt ?? Number.NaN;
          check(
            w.now() < expiresAt - DEFAULT_CLOCK_SKEW_MS,
            `sent ${token} to renew with ${(expiresAt - w.now()) / MINUTE} minutes left`,
          );
          renewsInFlight++;
          check(renewsInFlight <= 1, `${renewsInFlight} renewals in flight`);
          const count = (renewsPerToken.get(token) ?? 0) + 1;
          renewsPerToken.set(token, count);
          check(count <= 30, `${count} renew requests for one token`);
        }),
        mergeMap((op) =>
          make<OperationResult>((observer) => {
            pending.push({ op, answer: (result) => (observer.next(result), observer.complete()) });
            return () => {};
          }),
        ),
      ),
    );

  const ops = makeSubject<Operation>();
  const results = new Map<number, number>();
  pipe(
    customerTokenExchange({
      store,
      now: w.now,
      // A client told to sign in is told again only after it saw a live token (a new change to signed out).
      onTokenChange: (token) => {
        if (token) tokenSinceNotice = true;
      },
      onSignInRequired: (signal) => {
        check(tokenSinceNotice, `onSignInRequired twice for one sign-out (${signal.reason}; ${notices.join(',')})`);
        notices.push(signal.reason);
        tokenSinceNotice = false;
      },
    })({ client, forward, dispatchDebug: () => {} })(ops.source),
    subscribe((result) => {
      const n = (result.operation.variables as { n: number }).n;
      results.set(n, (results.get(n) ?? 0) + 1);
    }),
  );
  const deliver = (index: number) => {
    const [entry] = pending.splice(index, 1);
    if (!entry) return;
    if (isRenew(entry.op)) renewsInFlight--;
    entry.answer(respond(entry.op));
  };

  let queries = 0;
  for (const c of commands) {
    if (c.kind === 'advance') w.advance(c.ms);
    else if (c.kind === 'near-expiry') {
      const current = inner.get() as Token | null;
      if (current) w.advance(Math.max(0, Date.parse(current.expiresAt) - c.before - w.now()));
    } else if (c.kind === 'query')
      ops.next(client.createRequestOperation('query', createRequest(CustomerDocument, { n: queries++ } as never)));
    else if (c.kind === 'deliver') deliver(pending.length ? c.pick % pending.length : 0);
    else if (c.kind === 'transient') transient++;
    else if (c.kind === 'store-fails') failNext[c.method]++;
    else if (c.kind === 'revoke') {
      const current = inner.get() as Token | null;
      if (current) w.tokens.get(current.accessToken)!.deleted = true;
    } else if (c.kind === 'sign-in') {
      inner.set(w.issue());
      tokenSinceNotice = true;
    } else mode = c.mode;
    await flush();
    await flush();
    expect(violations).toEqual([]);
  }
  // Drain: every operation gets exactly one result, nothing stays parked.
  for (let round = 0; round < 50 && (pending.length > 0 || results.size < queries); round++) {
    while (pending.length) deliver(0);
    await flush();
    await flush();
  }
  expect(violations).toEqual([]);
  expect(pending).toHaveLength(0);
  expect([...results.values()].every((count) => count === 1) && results.size === queries).toBe(true);
}

describe('the customer session under random interleavings', () => {
  it(
    'never signs out on a transient failure or for a token it no longer holds, never renews an expired token, ' +
      'replaces only the token renewed, bounds renewals, tells the app once per sign-out, renews one at a time',
    async () => {
      steps = 0;
      const numRuns = 400;
      await fc.assert(fc.asyncProperty(fc.array(command, { minLength: 20, maxLength: 40, size: 'max' }), run), {
        numRuns,
      });
      console.log(`property: ${numRuns} runs × ${(steps / numRuns).toFixed(1)} steps = ${steps} steps, 0 violations`);
      expect(steps).toBeGreaterThanOrEqual(10_000);
    },
    120_000,
  );
});
