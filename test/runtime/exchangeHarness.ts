/* The recording harness of the customer token exchange: a forward that answers each operation with a responder. */
import { Client, createRequest, makeResult, type Operation, type OperationResult } from '@urql/core';
import { filter, fromPromise, makeSubject, mergeMap, pipe, share, subscribe, tap, type Source } from 'wonka';
import { vi } from 'vitest';
import { customerTokenExchange, CustomerDocument } from '../../generated/2026-04/entry.js';
import type { Token, TokenStore } from '../../src/index.js';
import type { CustomerTokenExchangeOptions } from '../../src/runtime/customerTokenExchange.js';

export const DAY = 86_400_000;
export const T0 = Date.UTC(2026, 5, 1);
export const client = new Client({ url: 'http://unused.invalid', exchanges: [] });
export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
export const token = (accessToken: string, expiresAt: number): Token => ({ accessToken, expiresAt: iso(expiresAt) });
export const isRenew = (op: Operation) =>
  op.kind === 'mutation' &&
  op.query.definitions.some((d) => 'name' in d && d.name?.value === 'CustomerAccessTokenRenew');
export const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

export type Responder = (op: Operation) => OperationResult | Promise<OperationResult>;

export const customerData = (op: Operation) =>
  makeResult(op, {
    data: {
      customer: {
        id: 'gid://shopify/Customer/1',
        email: 'c@example.com',
        firstName: null,
        lastName: null,
        displayName: 'C',
      },
    },
  });
export const renewedTo =
  (next: Token): Responder =>
  (op) =>
    makeResult(op, { data: { customerAccessTokenRenew: { customerAccessToken: next, userErrors: [] } } });

/** Drives the exchange with a recording forward that answers each operation with `respond`. */
export function setup(
  options: Partial<CustomerTokenExchangeOptions> & { store: TokenStore },
  respond: { renew?: Responder; other?: Responder } = {},
) {
  let time = T0;
  const sent: Operation[] = [];
  const forward = (ops$: Source<Operation>) =>
    share(
      pipe(
        share(
          pipe(
            ops$,
            // As a transport sees it when it sends: the exchange deletes the token from its own copy afterwards.
            tap((op) => sent.push({ ...op, variables: { ...op.variables } })),
          ),
        ),
        filter((op) => op.kind !== 'teardown'),
        mergeMap((op) =>
          fromPromise(
            Promise.resolve(
              (isRenew(op)
                ? (respond.renew ?? renewedTo(token('renewed', time + 42 * DAY)))
                : (respond.other ?? customerData))(op),
            ),
          ),
        ),
      ),
    );
  const onSignInRequired = vi.fn();
  const onSignal = vi.fn();
  const exchange = customerTokenExchange({ now: () => time, onSignInRequired, onSignal, ...options });
  const ops = makeSubject<Operation>();
  const results: OperationResult[] = [];
  pipe(
    exchange({ client, forward, dispatchDebug: () => {} })(ops.source),
    subscribe((r) => results.push(r)),
  );
  return {
    sent,
    results,
    onSignInRequired,
    onSignal,
    next: ops.next,
    renews: () => sent.filter(isRenew),
    advance: (ms: number) => void (time += ms),
  };
}

export const customerQuery = (n = 0, variables: Record<string, unknown> = {}) =>
  client.createRequestOperation('query', createRequest(CustomerDocument, { ...variables, n } as never));
