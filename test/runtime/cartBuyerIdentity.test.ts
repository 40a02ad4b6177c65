import { Client, makeErrorResult, makeResult, type Exchange, type Operation, type OperationResult } from '@urql/core';
import { GraphQLError } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import { filter, fromPromise, mergeMap, pipe, takeUntil } from 'wonka';
import { keepCartBuyerIdentity, type CartBuyerIdentityFailure } from '../../generated/2026-04/entry.js';
import { ConfigurationError, type Token } from '../../src/index.js';

const token = (n: number): Token => ({ accessToken: `secret-token-${n}`, expiresAt: '2026-07-27T00:00:00Z' });
const CART = 'gid://shopify/Cart/c1?key=k1';

/**
 * A real urql client whose last exchange holds each operation until the test answers it, and records what was
 * sent and what was torn down.
 */
function heldClient() {
  const sent: Operation[] = [];
  const tornDown: number[] = [];
  const pending = new Map<number, (result: OperationResult) => void>();
  const answer: Exchange = () => (ops$) => {
    const teardowns$ = pipe(
      ops$,
      filter((op) => op.kind === 'teardown'),
    );
    return pipe(
      ops$,
      filter((op) => {
        if (op.kind === 'teardown') tornDown.push(op.key);
        return op.kind !== 'teardown';
      }),
      mergeMap((op) => {
        sent.push(op);
        return pipe(
          fromPromise(new Promise<OperationResult>((resolve) => pending.set(op.key, resolve))),
          takeUntil(
            pipe(
              teardowns$,
              filter((t) => t.key === op.key),
            ),
          ),
        );
      }),
    );
  };
  const client = new Client({ url: 'http://unused.invalid', exchanges: [answer] });
  const ok = (op: Operation) =>
    makeResult(op, {
      data: { cartBuyerIdentityUpdate: { cart: { id: CART, buyerIdentity: { customer: null } }, userErrors: [] } },
    });
  /** Answers the `index`th sent operation (default: the last one). */
  const respond = async (make: (op: Operation) => OperationResult = ok, index = sent.length - 1) => {
    const op = sent[index]!;
    pending.get(op.key)!(make(op));
    await settle();
  };
  return { client, sent, tornDown, respond, ok };
}

/** Lets the helper's promise chains run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const tokensSent = (sent: Operation[]) =>
  sent.map((op) => (op.variables as { customerAccessToken: string }).customerAccessToken);

describe('keepCartBuyerIdentity', () => {
  it('sends the new token for the cart it reads at that moment, as an idempotent network-only mutation', async () => {
    const { client, sent, respond } = heldClient();
    let cartId: string | null = null;
    const keep = keepCartBuyerIdentity(client, { cartId: () => cartId });
    keep(token(1)); // no cart yet: nothing to send
    await settle();
    expect(sent).toEqual([]);
    cartId = CART;
    keep(token(2));
    expect(sent).toEqual([]); // not in the caller's tick: the session calls it from inside the exchange
    await settle();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.variables).toEqual({ cartId: CART, customerAccessToken: 'secret-token-2' });
    expect(sent[0]!.kind).toBe('mutation');
    expect(sent[0]!.context).toMatchObject({ requestPolicy: 'network-only', idempotent: true });
    await respond();
  });

  it('sends one update at a time, and after it only the newest token: the last to land is the newest', async () => {
    const { client, sent, respond } = heldClient();
    const keep = keepCartBuyerIdentity(client, { cartId: () => CART });
    keep(token(1));
    await settle();
    keep(token(2));
    keep(token(3));
    await settle();
    expect(tokensSent(sent)).toEqual(['secret-token-1']); // 2 and 3 wait for 1's answer
    await respond();
    expect(tokensSent(sent)).toEqual(['secret-token-1', 'secret-token-3']); // 2 was superseded
    keep(token(4));
    await settle();
    expect(sent).toHaveLength(2);
    await respond();
    expect(tokensSent(sent)).toEqual(['secret-token-1', 'secret-token-3', 'secret-token-4']);
    await respond();
  });

  it('sends the same token for the same cart once, as when two clients sharing a store both report it', async () => {
    const { client, sent, respond } = heldClient();
    let cartId = CART;
    const keep = keepCartBuyerIdentity(client, { cartId: () => cartId });
    keep(token(1));
    await settle();
    await respond();
    keep(token(1)); // the other client saw the same renewal
    await settle();
    expect(sent).toHaveLength(1);
    cartId = 'gid://shopify/Cart/c2?key=k2'; // a new cart takes the token again
    keep(token(1));
    await settle();
    expect(sent).toHaveLength(2);
    await respond();
  });

  it('on sign-out drops a waiting update, sends nothing and calls onSignOut', async () => {
    const { client, sent, respond } = heldClient();
    const onSignOut = vi.fn();
    const keep = keepCartBuyerIdentity(client, { cartId: () => CART, onSignOut });
    keep(token(1));
    await settle();
    keep(token(2));
    keep(null);
    expect(onSignOut).toHaveBeenCalledTimes(1);
    await respond();
    expect(tokensSent(sent)).toEqual(['secret-token-1']); // token 2 never put back on the abandoned cart
  });

  it('reports rejections and failures to onError without the token, and only when no newer update waits', async () => {
    const { client, sent, respond } = heldClient();
    const failures: CartBuyerIdentityFailure[] = [];
    const keep = keepCartBuyerIdentity(client, { cartId: () => CART, onError: (f) => failures.push(f) });
    keep(token(1));
    await settle();
    await respond((op) =>
      makeResult(op, {
        data: {
          cartBuyerIdentityUpdate: {
            cart: null,
            userErrors: [
              {
                field: ['buyerIdentity', 'customerAccessToken'],
                message: 'secret-token-1 is invalid',
                code: 'INVALID',
              },
              null,
            ],
          },
        },
      }),
    );
    keep(token(2));
    await settle();
    await respond((op) => makeErrorResult(op, new Error('network down for secret-token-2')));
    keep(token(3));
    await settle();
    keep(token(4)); // waits behind 3
    await respond((op) => makeResult(op, { data: null, errors: [new GraphQLError('boom')] }));
    await respond();
    expect(sent).toHaveLength(4);
    expect(failures).toEqual([
      {
        cartId: CART,
        reason: 'rejected',
        userErrors: [
          { field: ['buyerIdentity', 'customerAccessToken'], message: '[token] is invalid', code: 'INVALID' },
        ],
        message: '[token] is invalid',
      },
      { cartId: CART, reason: 'unavailable', userErrors: [], message: '[Network] network down for [token]' },
    ]); // 3's failure is not reported: 4 went out after it and landed
    expect(JSON.stringify(failures)).not.toContain('secret-token');
  });

  it('tears down an update that does not answer within timeoutMs, reports it, and sends the next', async () => {
    const { client, sent, tornDown, respond } = heldClient();
    const failures: CartBuyerIdentityFailure[] = [];
    const keep = keepCartBuyerIdentity(client, {
      cartId: () => CART,
      timeoutMs: 20,
      onError: (f) => failures.push(f),
    });
    keep(token(1));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(tornDown).toEqual([sent[0]!.key]);
    expect(failures).toEqual([
      { cartId: CART, reason: 'unavailable', userErrors: [], message: 'no answer within 20 ms' },
    ]);
    keep(token(2));
    await settle();
    expect(tokensSent(sent)).toEqual(['secret-token-1', 'secret-token-2']);
    await respond();
  });

  it('never throws: not when cartId, the client or the callbacks throw', async () => {
    const throwing = {
      createRequestOperation: () => {
        throw new Error('client broke with secret-token-1');
      },
    } as unknown as Client;
    const failures: CartBuyerIdentityFailure[] = [];
    const keep = keepCartBuyerIdentity(throwing, {
      cartId: () => CART,
      onError: (f) => {
        failures.push(f);
        throw new Error('onError broke');
      },
      onSignOut: () => {
        throw new Error('onSignOut broke');
      },
    });
    expect(() => keep(token(1))).not.toThrow();
    await settle();
    expect(failures).toEqual([
      { cartId: CART, reason: 'unavailable', userErrors: [], message: 'client broke with [token]' },
    ]);
    expect(() => keep(null)).not.toThrow();
    expect(() => keep(undefined as unknown as Token)).not.toThrow();

    const { client, sent } = heldClient();
    const unreadable = keepCartBuyerIdentity(client, {
      cartId: () => {
        throw new Error('no cart');
      },
    });
    expect(() => unreadable(token(2))).not.toThrow();
    await settle();
    expect(sent).toEqual([]);
  });

  it('refuses options it cannot work with, at construction', () => {
    const { client } = heldClient();
    expect(() => keepCartBuyerIdentity(client, {} as never)).toThrow(ConfigurationError);
    expect(() => keepCartBuyerIdentity(client, { cartId: () => CART, timeoutMs: 0 })).toThrow(ConfigurationError);
  });
});
