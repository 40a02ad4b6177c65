import { describe, expect, it } from 'vitest';
import {
  createCustomerAccountExchange,
  discoverCustomerAccount,
  memoryTokenStore,
} from '../../src/customerAccount/index.js';
import { shopOrigin } from '../../src/customerAccount/oauth.js';
import { generatedVersions } from '../../generated/customer-account/versions.js';

// What the Customer Account exchange refuses when it is made, naming the fix, instead of failing every operation
// later with "the customer access token could not be renewed right now".

const options = { shop: 'your-shop.myshopify.com', client: { clientId: 'shp_client' }, store: memoryTokenStore() };

describe('createCustomerAccountExchange', () => {
  it('refuses a version this package was not generated for, naming the ones it was', () => {
    for (const version of ['banana', '2025-10'])
      expect(() => createCustomerAccountExchange(version, options)).toThrow(
        `the provided version ("${version}") is invalid. This package was generated for the Customer Account API ` +
          `${generatedVersions.join(', ')}: use one of them, or upgrade storefront-customer-session`,
      );
    expect(() => createCustomerAccountExchange(generatedVersions[0], options)).not.toThrow();
  });

  it('refuses a shop that is no domain or origin, naming the fix', () => {
    for (const shop of ['not a domain', 'http://shop.example.com', 'https://user:secret@shop', '', 42])
      expect(() => createCustomerAccountExchange('2026-04', { ...options, shop: shop as string })).toThrow(
        /the provided shop \(.*\) is invalid\. (Expected a host name such as "your-shop\.myshopify\.com"|Shopify is only served over https)/,
      );
  });

  it('never repeats credentials a shop URL carried', () => {
    expect(() => createCustomerAccountExchange('2026-04', { ...options, shop: 'https://user:secret@shop' })).toThrow(
      'the provided shop ("https://shop") is invalid.',
    );
  });

  it('takes what discovery took before: a path after the origin, an international domain; no shop check with endpoints', () => {
    for (const shop of ['https://shop.example.com/account', 'https://bücher.de', 'HTTPS://Shop.Example.com/'])
      expect(() => createCustomerAccountExchange('2026-04', { ...options, shop })).not.toThrow();
    const endpoints = {
      issuer: 'https://shopify.com/authentication/1',
      authorizationEndpoint: 'https://shopify.com/authentication/1/oauth/authorize',
      tokenEndpoint: 'https://shopify.com/authentication/1/oauth/token',
      endSessionEndpoint: 'https://shopify.com/authentication/1/logout',
      graphqlApi: 'https://shopify.com/1/account/customer/api/2026-04/graphql',
    };
    expect(() => createCustomerAccountExchange('2026-04', { ...options, shop: 'test-shop', endpoints })).not.toThrow();
  });

  it('names the client id it was given when it is no id', () => {
    expect(() => createCustomerAccountExchange('2026-04', { ...options, client: { clientId: '' } })).toThrow(
      'the provided client.clientId ("") is invalid. Pass the Customer Account API client id.',
    );
  });
});

describe('the shop origin discovery asks', () => {
  it('is https for a shop domain, and plain http only for a loopback host (the emulator)', () => {
    expect(shopOrigin('your-shop.myshopify.com')).toBe('https://your-shop.myshopify.com');
    expect(shopOrigin('https://Shop.Example.com/')).toBe('https://shop.example.com');
    // The emulator's em.url and em.storeDomain alike.
    expect(shopOrigin('http://127.0.0.1:8787')).toBe('http://127.0.0.1:8787');
    expect(shopOrigin('127.0.0.1:8787')).toBe('http://127.0.0.1:8787');
    expect(shopOrigin('localhost:8787')).toBe('http://localhost:8787');
    expect(shopOrigin('https://bücher.de/konto?x=1')).toBe('https://xn--bcher-kva.de');
  });

  it('is checked before discovery sends anything', async () => {
    let sent = 0;
    const fetch = (async () => (sent++, new Response('{}'))) as typeof globalThis.fetch;
    await expect(discoverCustomerAccount('not a domain', { fetch })).rejects.toThrow(/the provided shop/);
    expect(sent).toBe(0);
  });
});
