import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { inlineIncremental } from '../../src/testing/execution.js';
import { createEmulator, DEFAULT_CUSTOMER, type FetchEmulator } from '../../src/testing/index.js';
import { UNTRUSTED_SDL } from '../fixtures/schema/untrusted.js';

const operations = resolve(import.meta.dirname, '../../operations');
const read = (name: string) => readFileSync(join(operations, name), 'utf8');
const FRAGMENT = read('CustomerAccessToken.fragment.graphql');
const CREATE = read('CustomerAccessTokenCreate.graphql') + FRAGMENT;
const RENEW = read('CustomerAccessTokenRenew.graphql') + FRAGMENT;

async function post(em: FetchEmulator, version: string, query: string, variables?: Record<string, unknown>) {
  const response = await em.fetch(`${em.url}/api/${version}/graphql.json`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Shopify-Storefront-Access-Token': em.publicAccessToken },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe('executing against Shopify’s schemas as they are', () => {
  it('signs in and renews against a schema graphql-js’s type-system validation rejects', async () => {
    const em = createEmulator({ schemas: { '2026-04': UNTRUSTED_SDL }, now: Date.UTC(2026, 5, 15) });
    const { email, password } = DEFAULT_CUSTOMER;
    const signIn = await post(em, '2026-04', CREATE, { input: { email, password } });
    expect(signIn.status).toBe(200);
    const issued = signIn.body.data.customerAccessTokenCreate.customerAccessToken;
    expect(issued.accessToken).toMatch(/^[0-9a-f]{32}$/);
    const renewed = await post(em, '2026-04', RENEW, { customerAccessToken: issued.accessToken });
    expect(renewed.status).toBe(200);
    expect(renewed.body.data.customerAccessTokenRenew).toEqual({
      customerAccessToken: { accessToken: expect.stringMatching(/^[0-9a-f]{32}$/), expiresAt: issued.expiresAt },
      userErrors: [],
    });
    expect(renewed.body.extensions).toEqual({ cost: { requestedQueryCost: 12 } });
    // Documents are still validated against it.
    const unknown = await post(em, '2026-04', '{ shop { nope } }');
    expect(unknown.body.errors[0].extensions.code).toBe('undefinedField');
    await em.close();
  });

  it('answers a document using @defer in one payload, the deferred fragment inline', async () => {
    const em = createEmulator({ now: Date.UTC(2026, 11, 1) });
    const deferred = await post(
      em,
      '2026-10',
      'query Shop { shop { name ... @defer(label: "more") { description } } }',
    );
    expect(deferred).toEqual({
      status: 200,
      body: { data: { shop: { name: '', description: null } }, extensions: { cost: { requestedQueryCost: 1 } } },
    });
    await em.close();
  });

  it('takes @defer and @stream out of a document for execution, and leaves a document without them as it is', () => {
    const plain = parse('{ shop { name } }');
    expect(inlineIncremental(plain)).toBe(plain);
    const deferred = inlineIncremental(
      parse('{ shop { name ... @defer { description } ...F @defer } } fragment F on Shop { id }'),
    );
    expect(JSON.stringify(deferred)).not.toContain('"defer"');
  });
});
