import { describe, expect, it } from 'vitest';
import {
  createCustomerAccountOrders,
  MAX_ORDERS_PER_CUSTOMER,
  ordersPage,
} from '../../../src/testing/customerAccount/orders.js';

const order = (name: string, day: number) => ({
  name,
  processedAt: Date.UTC(2026, 0, day),
  totalPrice: { amount: '1.00', currencyCode: 'USD' },
});

describe('the Customer Account order book', () => {
  it('numbers orders and prints processedAt as Shopify does', () => {
    const book = createCustomerAccountOrders();
    expect(book.add('c1', order('#1', 2))).toEqual({
      id: 'gid://shopify/Order/1',
      name: '#1',
      processedAt: '2026-01-02T00:00:00Z',
      totalPrice: { amount: '1.00', currencyCode: 'USD' },
    });
    expect(
      book.add('c1', { ...order('#2', 3), id: 'gid://shopify/Order/99', processedAt: '2026-01-03T10:00:00Z' }),
    ).toMatchObject({ id: 'gid://shopify/Order/99', processedAt: '2026-01-03T10:00:00Z' });
    expect(book.list('c2')).toEqual([]);
  });

  it('keeps at most MAX_ORDERS_PER_CUSTOMER orders per customer, dropping the oldest', () => {
    const book = createCustomerAccountOrders();
    for (let i = 0; i < MAX_ORDERS_PER_CUSTOMER + 5; i++) book.add('c1', order(`#${i}`, 1));
    expect(book.list('c1')).toHaveLength(MAX_ORDERS_PER_CUSTOMER);
    expect(book.list('c1')[0]!.name).toBe('#5');
  });

  it('refuses an order without a date or a price it can answer', () => {
    const book = createCustomerAccountOrders();
    expect(() => book.add('c1', { ...order('#1', 1), processedAt: 'yesterday' })).toThrow(/processedAt/);
    expect(() => book.add('c1', { ...order('#1', 1), totalPrice: { amount: 1 } as never })).toThrow(/totalPrice/);
  });
});

describe('ordersPage', () => {
  const book = createCustomerAccountOrders();
  for (const [name, day] of [
    ['#a', 5],
    ['#b', 1],
    ['#c', 3],
  ] as const)
    book.add('c', order(name, day));
  const names = (page: ReturnType<typeof ordersPage>) => page.nodes.map((o) => o.name);

  it('pages forward in the order added by default, and by date with a date sort key', () => {
    expect(names(ordersPage(book.list('c'), { first: 10 }))).toEqual(['#a', '#b', '#c']);
    expect(names(ordersPage(book.list('c'), { first: 10, sortKey: 'PROCESSED_AT' }))).toEqual(['#b', '#c', '#a']);
    expect(names(ordersPage(book.list('c'), { first: 10, sortKey: 'PROCESSED_AT', reverse: true }))).toEqual([
      '#a',
      '#c',
      '#b',
    ]);
  });

  it('pages backward with last and before, with both cursors and both page flags', () => {
    const all = book.list('c');
    const tail = ordersPage(all, { last: 2 });
    expect(names(tail)).toEqual(['#b', '#c']);
    expect(tail.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false, startCursor: all[1]!.id });
    const before = ordersPage(all, { last: 5, before: all[1]!.id });
    expect(names(before)).toEqual(['#a']);
    expect(tail.edges.map((e) => e.cursor)).toEqual([all[1]!.id, all[2]!.id]);
  });

  it('needs exactly one of first and last, within 0 to 250', () => {
    expect(() => ordersPage([], {})).toThrow('you must provide one of first or last');
    expect(() => ordersPage([], { first: 1, last: 1 })).toThrow('you must provide one of first or last');
    expect(() => ordersPage([], { last: 251 })).toThrow('The last argument must be between 0 and 250.');
    expect(ordersPage([], { first: 0 }).pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: false,
      startCursor: null,
      endCursor: null,
    });
  });
});
