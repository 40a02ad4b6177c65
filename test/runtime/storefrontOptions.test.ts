import { afterEach, describe, expect, it, vi } from 'vitest';
import { storefrontExchange } from '../../generated/2026-04/entry.js';
import { storefrontExchange as storefront202507 } from '../../generated/2025-07/entry.js';
import { ConfigurationError } from '../../src/index.js';
import { createStorefrontExchange } from '../../src/runtime/storefrontExchange.js';

const PUBLIC = 'pub-secret-0123456789';
const PRIVATE = 'priv-secret-0123456789';
const MID_2026 = () => Date.UTC(2026, 5, 1);
const SHAPE = /^storefront-customer-session: the provided .+ \(".*"\) is invalid\. .+/;

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('storefrontExchange construction', () => {
  it.each([
    ['a malformed domain', { storeDomain: 'not a domain', publicAccessToken: PUBLIC }, 'storeDomain'],
    [
      'plain http to a remote host',
      { storeDomain: 'http://shop.example.com', publicAccessToken: PUBLIC },
      'storeDomain',
    ],
    ['no token', { storeDomain: 'shop.example.com' }, 'access token'],
    [
      'both tokens',
      { storeDomain: 'shop.example.com', publicAccessToken: PUBLIC, privateAccessToken: PRIVATE },
      'access token',
    ],
    ['an empty token', { storeDomain: 'shop.example.com', publicAccessToken: '' }, 'publicAccessToken'],
    [
      'a buyer IP without the private token',
      { storeDomain: 'shop.example.com', publicAccessToken: PUBLIC, buyerIp: '203.0.113.7' },
      'buyerIp',
    ],
    [
      'a malformed buyer IP',
      { storeDomain: 'shop.example.com', privateAccessToken: PRIVATE, buyerIp: 'localhost; rm' },
      'buyerIp',
    ],
    [
      'a bad retry option',
      { storeDomain: 'shop.example.com', publicAccessToken: PUBLIC, retry: { maxAttempts: 0 } },
      'retry.maxAttempts',
    ],
  ])('throws a ConfigurationError naming the fix for %s', (_, options, what) => {
    const error = thrown(() => storefrontExchange({ now: MID_2026, ...(options as object) } as never));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toMatch(SHAPE);
    expect(error.message).toContain(`the provided ${what} (`);
    expect(error.message).not.toContain(PUBLIC);
    expect(error.message).not.toContain(PRIVATE);
  });

  it('refuses a version that was never generated, even through the internal factory', () => {
    const error = thrown(() =>
      createStorefrontExchange('2030-01', {
        storeDomain: 'shop.example.com',
        publicAccessToken: PUBLIC,
        now: MID_2026,
      }),
    );
    expect(error.message).toContain(
      'the provided apiVersion ("2030-01") is invalid. This package was generated for 2025-07',
    );
  });

  it('refuses a private token where window exists, without echoing it', () => {
    vi.stubGlobal('window', {});
    const error = thrown(() =>
      storefrontExchange({ storeDomain: 'shop.example.com', privateAccessToken: PRIVATE, now: MID_2026 }),
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toContain('privateAccessToken');
    expect(error.message).toContain('publicAccessToken');
    expect(error.message).not.toContain(PRIVATE);
  });

  it('accepts a private token with a buyer IP on a server, and a public token in a browser', () => {
    expect(
      storefrontExchange({
        storeDomain: 'shop.example.com',
        privateAccessToken: PRIVATE,
        buyerIp: '2001:db8::1',
        now: MID_2026,
      }),
    ).toBeTypeOf('function');
    vi.stubGlobal('window', {});
    expect(
      storefrontExchange({ storeDomain: 'https://shop.example.com/', publicAccessToken: PUBLIC, now: MID_2026 }),
    ).toBeTypeOf('function');
  });

  it(
    'warns once, outside production, naming what Shopify serves and the entry point to move ' +
      'to, when the bound version retired',
    () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      const late2026 = () => Date.UTC(2026, 10, 1);
      storefront202507({ storeDomain: 'shop.example.com', publicAccessToken: PUBLIC, now: late2026 });
      storefront202507({ storeDomain: 'shop.example.com', publicAccessToken: PUBLIC, now: late2026 });
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]![0]).toContain(
        'Storefront API 2025-07 is no longer supported (retired on 2026-07-16 15:00 UTC)',
      );
      expect(warn.mock.calls[0]![0]).toContain('Shopify now serves 2026-01 for it');
      expect(warn.mock.calls[0]![0]).toContain('Import "storefront-customer-session/2026-01" instead.');
    },
  );

  it('does not warn about a supported version', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    storefrontExchange({ storeDomain: 'shop.example.com', publicAccessToken: PUBLIC, now: MID_2026 });
    expect(warn).not.toHaveBeenCalled();
  });
});
