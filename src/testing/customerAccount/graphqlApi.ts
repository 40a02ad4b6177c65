import { ConfigurationError, invalidMessage } from '../../runtime/errors.js';
import { createCounters, type EmulatorCounters } from '../counters.js';
import type { EmulatorRequest } from '../handler.js';
import type { Answer } from '../responses.js';
import type { SchemaSet } from '../schemas.js';
import type { CustomerStore } from '../state.js';
import { DEFAULT_CUSTOMER } from '../types.js';
import type { CustomerAccountCustomer, CustomerAccountTokenStore } from './accessTokens.js';
import { createCustomerAccountEndpoint, customerAccountPathOf } from './graphqlEndpoint.js';
import { createCustomerAccountOrders, type CustomerAccountOrder, type CustomerAccountOrderSpec } from './orders.js';

/** The customer {@link CustomerAccountGraphqlControls.issueAccessToken} signs in without a seeded one: the default's. */
export const DEFAULT_CUSTOMER_ACCOUNT_CUSTOMER: CustomerAccountCustomer = {
  customerId: 'gid://shopify/Customer/1',
  email: DEFAULT_CUSTOMER.email,
  firstName: DEFAULT_CUSTOMER.firstName,
  lastName: DEFAULT_CUSTOMER.lastName,
};

/** How long an access token issued without a lifetime lives: an hour, as Hydrogen's tests mock it. */
export const DEFAULT_ACCESS_TOKEN_TTL_MS = 3_600_000;

/** What tests drive of the emulator's Customer Account GraphQL API (on `em.customerAccount`, beside the sign-in). */
export interface CustomerAccountGraphqlControls {
  /**
   * Issues an access token directly, without the OAuth flow, e.g. to start a test signed in. A secret: assert on it,
   * never log it.
   *
   * @param customer - @defaultValue the customer the sign-in signs in without `login_hint` (`settings.signInAs`: the
   *   first seeded one unless changed)
   * @param ttlMs - @defaultValue {@link DEFAULT_ACCESS_TOKEN_TTL_MS}
   * @returns the access token, for `Authorization: <token>`.
   */
  issueAccessToken(customer?: CustomerAccountCustomer, ttlMs?: number): string;
  /** Seeds an order for a customer (by GID), answered by `customer { orders }`. */
  addOrder(customerId: string, order: CustomerAccountOrderSpec): CustomerAccountOrder;
  /** Requests received by the Customer Account GraphQL endpoint, per operation name. */
  graphqlCounters: EmulatorCounters;
}

/** The Customer Account GraphQL API of an emulator: its controls, and the handler its transports route to. */
export interface CustomerAccountGraphqlApi {
  controls: CustomerAccountGraphqlControls;
  /** Whether a request path is the GraphQL endpoint's (`/{shopId}/account/customer/api/{version}/graphql`). */
  handles(path: string): boolean;
  answer(request: EmulatorRequest): Promise<Answer>;
}

/**
 * Creates the emulator's Customer Account GraphQL API on its clock, accepting the access tokens of `tokens` (which
 * the emulator's OAuth token endpoint issues too).
 *
 * @param options.schemas - the vendored Customer Account schemas, read on the first request; `undefined` answers 404.
 */
export function createCustomerAccountGraphql(options: {
  now: () => number;
  tokens: CustomerAccountTokenStore;
  schemas: () => SchemaSet | undefined;
  maxDepth: number;
  /** The shop id in the path; another one answers 404. @defaultValue any */
  shopId?: string;
  /** The seeded customers, and the email of the one {@link CustomerAccountGraphqlControls.issueAccessToken} signs in. */
  customers?: Pick<CustomerStore, 'customer'>;
  signInAs?: () => string;
}): CustomerAccountGraphqlApi {
  const { tokens, customers, signInAs } = options;
  const defaultCustomer = (): CustomerAccountCustomer | undefined => {
    const record = signInAs && customers?.customer(signInAs());
    if (!record) return undefined;
    const { id, email, firstName, lastName } = record;
    return { customerId: `gid://shopify/Customer/${id}`, email, firstName: firstName ?? '', lastName: lastName ?? '' };
  };
  const orders = createCustomerAccountOrders();
  const counters = createCounters();
  const answer = createCustomerAccountEndpoint({ ...options, orders, counters });
  const { record: _record, ...graphqlCounters } = counters;
  return {
    controls: {
      issueAccessToken(
        customer = defaultCustomer() ?? DEFAULT_CUSTOMER_ACCOUNT_CUSTOMER,
        ttlMs = DEFAULT_ACCESS_TOKEN_TTL_MS,
      ) {
        if (!(typeof ttlMs === 'number' && Number.isFinite(ttlMs) && ttlMs > 0))
          throw new ConfigurationError(invalidMessage('ttlMs', ttlMs, 'Expected a positive number of milliseconds.'));
        return tokens.issue(customer, ttlMs);
      },
      addOrder: (customerId, order) => orders.add(customerId, order),
      graphqlCounters,
    },
    handles: (path) => customerAccountPathOf(path) !== undefined,
    answer,
  };
}
