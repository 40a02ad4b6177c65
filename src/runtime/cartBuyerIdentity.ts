import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createRequest, makeOperation, type Client, type OperationContext, type OperationResult } from '@urql/core';
import { pipe, subscribe, take } from 'wonka';
import { realTimer } from './bounded.js';
import { invalid } from './errors.js';
import type { Token } from './tokenStore.js';
import { safeCall } from './warn.js';

/*
 * Its own module, imported only by the `keepCartBuyerIdentity` binding of each entry point (a `/*#__PURE__*\/`
 * call): an app that does not use it bundles none of this.
 */

/** A `CartUserError` as the update answers it. */
export interface CartUserError {
  field: string[] | null;
  message: string;
  code: string | null;
}

/** Why a cart's buyer identity was not updated. It never carries the token. */
export interface CartBuyerIdentityFailure {
  /** The cart the update was for. */
  cartId: string;
  /**
   * `rejected`: Shopify answered with `userErrors` (an unknown cart, a token it refused); `unavailable`: no usable
   * answer (network, GraphQL errors, a signal of the exchanges, no answer within `timeoutMs`).
   */
  reason: 'rejected' | 'unavailable';
  /** Shopify's `userErrors` (for `rejected`), each token string replaced by `[token]`. */
  userErrors: CartUserError[];
  /** What went wrong, for logs, each token string replaced by `[token]`. */
  message: string;
}

/** Options of `keepCartBuyerIdentity`. */
export interface KeepCartBuyerIdentityOptions {
  /** The cart to keep up to date, read when an update goes out; `null` or `undefined`: no cart, nothing is sent. */
  cartId: () => string | null | undefined;
  /** Called when an update failed and no newer one is waiting. Never with the token. */
  onError?: (failure: CartBuyerIdentityFailure) => void;
  /**
   * Called on sign-out. Shopify documents no way to take the customer off a cart (`customerAccessToken` is only
   * ever set), so forget this cart id here and start a new cart for the next visitor.
   */
  onSignOut?: () => void;
  /**
   * The longest one update may take; then its request is torn down (aborted), `onError` hears `unavailable`, and the
   * next update may go out. Only such an abandoned request, had it reached Shopify anyway, could land after a newer
   * one. @defaultValue 30 000 ms
   */
  timeoutMs?: number;
  /** Extra urql context for the update (e.g. `fetchOptions`). */
  context?: Partial<OperationContext>;
}

type UpdateDocument = TypedDocumentNode<any, { cartId: string | number; customerAccessToken?: string }>;

/**
 * Any urql client (`@urql/core`, React's `urql`, Vue, Svelte). The update runs as an operation of its own so that
 * it can be torn down: urql sends no teardown when a mutation's subscriber leaves.
 */
export type CartClient = Pick<Client, 'createRequestOperation' | 'executeRequestOperation' | 'reexecuteOperation'>;

interface UpdateData {
  cartBuyerIdentityUpdate?: { userErrors?: unknown } | null;
}

/**
 * The `onTokenChange` callback that keeps a cart's `buyerIdentity.customerAccessToken` on the customer's current
 * token, with `document` (a version's `CartBuyerIdentityUpdateDocument`). Updates go out one at a time, each with
 * the newest token known when it leaves: a token that changed again while an update was in flight is sent after
 * it, and older ones waiting are dropped, so the last update to land carries the newest token. The same token for
 * the same cart is sent once, so one callback can serve several clients sharing a store. Never throws.
 */
export function keepCartBuyerIdentityWith(
  client: CartClient,
  document: UpdateDocument,
  options: KeepCartBuyerIdentityOptions,
): (token: Token | null) => void {
  if (typeof options?.cartId !== 'function')
    throw invalid('cartId', typeof options?.cartId, 'Pass a function returning the cart id, e.g. () => cartId.');
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (!(Number.isFinite(timeoutMs) && timeoutMs >= 1 && timeoutMs <= 2_147_483_647))
    throw invalid('timeoutMs', timeoutMs, 'Expected milliseconds from 1 to 2147483647.');
  let waiting: Token | undefined;
  let running = false;
  /** The cart and token of the last update that landed: the same pair again (another client) is not sent. */
  let landed = '';

  const failure = (
    cartId: string,
    reason: CartBuyerIdentityFailure['reason'],
    message: string,
    token: Token,
    userErrors: CartUserError[] = [],
  ): CartBuyerIdentityFailure => {
    const redact = (text: string) => text.split(token.accessToken).join('[token]');
    return {
      cartId,
      reason,
      userErrors: userErrors.map((e) => ({
        field: e.field && e.field.map(redact),
        message: redact(e.message),
        code: e.code && redact(e.code),
      })),
      message: redact(message),
    };
  };

  /** Sends one update; resolves its failure, or `undefined` when the cart took the token. Never rejects. */
  const send = (cartId: string, token: Token) =>
    new Promise<CartBuyerIdentityFailure | undefined>((resolve) => {
      let stop = () => {};
      const cancel = realTimer(() => {
        stop();
        resolve(failure(cartId, 'unavailable', `no answer within ${timeoutMs} ms`, token));
      }, timeoutMs);
      try {
        const request = createRequest(document, { cartId, customerAccessToken: token.accessToken });
        const operation = client.createRequestOperation('mutation', request, {
          requestPolicy: 'network-only',
          idempotent: true, // the same token twice leaves the cart as once: the storefront exchange may retry it
          ...options.context,
        });
        const { unsubscribe } = pipe(
          client.executeRequestOperation(operation),
          take(1),
          subscribe((result: OperationResult<UpdateData>) => {
            cancel();
            const payload: unknown = result.data?.cartBuyerIdentityUpdate;
            const judged = isObject(payload) ? (payload as { cart?: unknown; userErrors?: unknown }) : undefined;
            const userErrors = userErrorsOf(judged?.userErrors);
            if (userErrors.length > 0)
              resolve(failure(cartId, 'rejected', userErrors.map((e) => e.message).join('; '), token, userErrors));
            // Only a cart in the answer says it took the token: `cart: null` (with GraphQL errors, or none) or a
            // payload that is no object is no usable answer.
            else if (!isObject(judged?.cart))
              resolve(
                failure(cartId, 'unavailable', result.error?.message ?? 'no cart in cartBuyerIdentityUpdate', token),
              );
            else resolve(undefined);
          }),
        );
        stop = () => {
          unsubscribe();
          client.reexecuteOperation(makeOperation('teardown', operation, operation.context));
        };
      } catch (error) {
        cancel();
        resolve(failure(cartId, 'unavailable', error instanceof Error ? error.message : 'the client threw', token));
      }
    });

  const cartIdNow = () => {
    try {
      const id = options.cartId();
      return typeof id === 'string' && id !== '' ? id : undefined;
    } catch {
      return undefined; // the app's callback threw: no cart to update
    }
  };

  const run = async () => {
    try {
      while (waiting) {
        const token = waiting;
        waiting = undefined;
        const cartId = cartIdNow();
        const pair = `${cartId}\n${token.accessToken}`;
        if (!cartId || pair === landed) continue;
        const failed = await send(cartId, token);
        if (!failed) landed = pair;
        else if (!waiting) safeCall(options.onError, failed, 'onError');
      }
    } finally {
      running = false;
    }
  };

  return (token) => {
    if (token === null) {
      waiting = undefined; // an update still waiting would put the signed-out customer's token back
      landed = '';
      safeCall(options.onSignOut, undefined, 'onSignOut');
      return;
    }
    if (typeof token?.accessToken !== 'string') return;
    waiting = { accessToken: token.accessToken, expiresAt: token.expiresAt };
    if (running) return;
    running = true;
    // Not in the caller's tick: the session calls this from inside the exchange, mid-operation.
    void Promise.resolve().then(run);
  };
}

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null;

/** The `userErrors` of an answer, judged: whatever is not an error object is left out. */
function userErrorsOf(value: unknown): CartUserError[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((e: Partial<Record<keyof CartUserError, unknown>> | null) =>
    e && typeof e === 'object'
      ? [
          {
            field: Array.isArray(e.field) ? e.field.map(String) : null,
            message: typeof e.message === 'string' ? e.message : '',
            code: typeof e.code === 'string' ? e.code : null,
          },
        ]
      : [],
  );
}

/** `keepCartBuyerIdentity` bound to a version's `CartBuyerIdentityUpdateDocument`. */
export function bindKeepCartBuyerIdentity(
  document: UpdateDocument,
): (client: CartClient, options: KeepCartBuyerIdentityOptions) => (token: Token | null) => void {
  return (client, options) => keepCartBuyerIdentityWith(client, document, options);
}
