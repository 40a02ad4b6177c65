import { ConfigurationError, invalidMessage } from '../../runtime/errors.js';
import { createCounters, type EmulatorCounters } from '../counters.js';
import type { EmulatorRequest } from '../handler.js';
import type { Answer } from '../responses.js';
import type { SchemaSet } from '../schemas.js';
import { DEFAULT_CUSTOMER } from '../types.js';
import {
  createCustomerAccountTokens,
  type CustomerAccountCustomer,
  type CustomerAccountTokenStore,
} from './accessTokens.js';
import { createCustomerAccountEndpoint, customerAccountPathOf } from './graphqlEndpoint.js';
import { createCustomerAccountOrders, type CustomerAccountOrder, type CustomerAccountOrderSpec } from './orders.js';

/** The customer {@link EmulatorCustomerAccount.issueAccessToken} signs in when given none: the seeded one's name. */
export const DEFAULT_CUSTOMER_ACCOUNT_CUSTOMER: CustomerAccountCustomer = {
  customerId: 'gid://shopify/Customer/1',
  email: DEFAULT_CUSTOMER.email,
  firstName: DEFAULT_CUSTOMER.firstName,
  lastName: DEFAULT_CUSTOMER.lastName,
};

/** How long an access token issued without a lifetime lives: an hour, as Hydrogen's tests mock it. */
export const DEFAULT_ACCESS_TOKEN_TTL_MS = 3_600_000;

/** The emulator's Customer Account API controls, for tests. */
export interface EmulatorCustomerAccount {
  /**
   * The access tokens: the OAuth token endpoint issues them, the GraphQL endpoint accepts them. Secrets: assert on
   * them, never log them.
   */
  tokens: CustomerAccountTokenStore;
  /** Issues an access token directly (no OAuth), e.g. to start a test signed in. @returns the token string */
  issueAccessToken(customer?: CustomerAccountCustomer, ttlMs?: number): string;
  /** Seeds an order for a customer (by GID), answered by `customer { orders }`. */
  addOrder(customerId: string, order: CustomerAccountOrderSpec): CustomerAccountOrder;
  /** Requests received by the Customer Account GraphQL endpoint, per operation name. */
  counters: EmulatorCounters;
}

/** The Customer Account half of an emulator: its controls, and the handler its transports route to. */
export interface CustomerAccountEmulator {
  controls: EmulatorCustomerAccount;
  /** Whether a request path is the Customer Account GraphQL endpoint's (`/{shopId}/account/customer/api/{v}/graphql`). */
  handles(path: string): boolean;
  answer(request: EmulatorRequest): Promise<Answer>;
}

/**
 * Creates the emulator's Customer Account API on its clock.
 *
 * @param schemas - the vendored Customer Account schemas, read on the first request; `undefined` answers 404.
 */
export function createCustomerAccountEmulator(options: {
  clock: { now(): number };
  schemas: () => SchemaSet | undefined;
  maxDepth: number;
}): CustomerAccountEmulator {
  const tokens = createCustomerAccountTokens(options.clock);
  const orders = createCustomerAccountOrders();
  const counters = createCounters();
  const answer = createCustomerAccountEndpoint({
    schemas: options.schemas,
    now: options.clock.now,
    tokens,
    orders,
    counters,
    maxDepth: options.maxDepth,
  });
  const { record: _record, ...publicCounters } = counters;
  return {
    controls: {
      tokens,
      issueAccessToken(customer = DEFAULT_CUSTOMER_ACCOUNT_CUSTOMER, ttlMs = DEFAULT_ACCESS_TOKEN_TTL_MS) {
        if (!(typeof ttlMs === 'number' && Number.isFinite(ttlMs) && ttlMs > 0))
          throw new ConfigurationError(invalidMessage('ttlMs', ttlMs, 'Expected a positive number of milliseconds.'));
        return tokens.issue(customer, ttlMs);
      },
      addOrder: (customerId, order) => orders.add(customerId, order),
      counters: publicCounters,
    },
    handles: (path) => customerAccountPathOf(path) !== undefined,
    answer,
  };
}
