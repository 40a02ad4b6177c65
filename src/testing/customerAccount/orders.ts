import { GraphQLError } from 'graphql';
import { ConfigurationError, invalidMessage } from '../../runtime/errors.js';
import { formatExpiresAt } from '../state.js';

/** An order a test seeds for a Customer Account customer (what `CustomerOrders` reads). */
export interface CustomerAccountOrderSpec {
  /** @defaultValue `gid://shopify/Order/<n>`, numbered in the order orders are added */
  id?: string;
  /** The order's name as the customer sees it, e.g. `#1001`. */
  name: string;
  /** When it was processed: ms since the epoch, or an ISO 8601 string. */
  processedAt: number | string;
  totalPrice: { amount: string; currencyCode: string };
}

/** An order as the emulator answers it. */
export interface CustomerAccountOrder {
  id: string;
  name: string;
  processedAt: string;
  totalPrice: { amount: string; currencyCode: string };
}

/** The orders of the emulator's Customer Account customers, by customer GID; bounded by size. */
export interface CustomerAccountOrders {
  /** Adds an order to a customer's history (the oldest is dropped past `maxOrdersPerCustomer`). */
  add(customerId: string, order: CustomerAccountOrderSpec): CustomerAccountOrder;
  /** A customer's orders, oldest added first. */
  list(customerId: string): readonly CustomerAccountOrder[];
}

/** The most customers with orders held, and orders per customer: a long load run cannot grow them without end. */
export const MAX_ORDER_CUSTOMERS = 10_000;
export const MAX_ORDERS_PER_CUSTOMER = 250;

/** Creates an empty, bounded order book. */
export function createCustomerAccountOrders(): CustomerAccountOrders {
  const byCustomer = new Map<string, CustomerAccountOrder[]>();
  let next = 1;
  return {
    add(customerId, spec) {
      const order = checkedOrder(spec, next++);
      const orders = byCustomer.get(customerId) ?? [];
      byCustomer.delete(customerId);
      byCustomer.set(customerId, orders); // most recently written last: the first key is the one to drop
      orders.push(order);
      if (orders.length > MAX_ORDERS_PER_CUSTOMER) orders.shift();
      if (byCustomer.size > MAX_ORDER_CUSTOMERS) byCustomer.delete(byCustomer.keys().next().value!);
      return { ...order };
    },
    list: (customerId) => byCustomer.get(customerId) ?? [],
  };
}

function checkedOrder(spec: CustomerAccountOrderSpec, n: number): CustomerAccountOrder {
  const processed = typeof spec?.processedAt === 'number' ? spec.processedAt : Date.parse(String(spec?.processedAt));
  if (!Number.isFinite(processed))
    throw new ConfigurationError(
      invalidMessage('order processedAt', spec?.processedAt, 'Expected ms since the epoch or an ISO 8601 date.'),
    );
  const { amount, currencyCode } = spec.totalPrice ?? {};
  if (typeof amount !== 'string' || typeof currencyCode !== 'string')
    throw new ConfigurationError(
      invalidMessage(
        'order totalPrice',
        JSON.stringify(spec.totalPrice),
        'Expected { amount: "12.50", currencyCode: "EUR" }.',
      ),
    );
  return {
    id: spec.id ?? `gid://shopify/Order/${n}`,
    name: String(spec.name),
    processedAt: formatExpiresAt(processed),
    totalPrice: { amount, currencyCode },
  };
}

/** The arguments of `Customer.orders` the emulator honours. */
interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  reverse?: boolean | null;
  sortKey?: string | null;
}

/** Shopify's cap on `first` and `last`. */
const MAX_PAGE = 250;

/**
 * One page of `orders` as a connection (`nodes`, `edges`, `pageInfo`): sorted by `sortKey` (processing date for the
 * date keys, else the order they were added), `reverse` flips it, cursors are the orders' ids.
 *
 * @throws GraphQLError for a page without `first` or `last`, or past 250, as Shopify answers.
 */
export function ordersPage(orders: readonly CustomerAccountOrder[], args: PageArgs) {
  const { first, after, last, before, reverse, sortKey } = args;
  if ((first == null) === (last == null))
    throw new GraphQLError('you must provide one of first or last', { extensions: { code: 'BAD_REQUEST' } });
  const size = (first ?? last)!;
  if (size < 0 || size > MAX_PAGE)
    throw new GraphQLError(`The ${first != null ? 'first' : 'last'} argument must be between 0 and ${MAX_PAGE}.`, {
      extensions: { code: 'BAD_REQUEST' },
    });
  const byDate = sortKey === 'PROCESSED_AT' || sortKey === 'CREATED_AT' || sortKey === 'UPDATED_AT';
  const sorted = byDate
    ? [...orders].sort((a, b) => Date.parse(a.processedAt) - Date.parse(b.processedAt))
    : [...orders];
  if (reverse) sorted.reverse();
  const afterAt = after ? sorted.findIndex((o) => o.id === after) + 1 : 0;
  const beforeAt = before ? sorted.findIndex((o) => o.id === before) : -1;
  const window = sorted.slice(afterAt, beforeAt >= 0 ? beforeAt : sorted.length);
  const page = first != null ? window.slice(0, size) : window.slice(Math.max(0, window.length - size));
  const start = afterAt + window.indexOf(page[0]!);
  return {
    nodes: page,
    edges: page.map((node) => ({ cursor: node.id, node })),
    pageInfo: {
      hasNextPage: page.length > 0 ? start + page.length < sorted.length : false,
      hasPreviousPage: page.length > 0 ? start > 0 : false,
      startCursor: page[0]?.id ?? null,
      endCursor: page.at(-1)?.id ?? null,
    },
  };
}
