import { afterEach, describe, expect, it, vi } from 'vitest';
import { customerTokenExchange, memoryTokenStore, storefrontExchange } from '../../generated/2026-04/entry.js';
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

  /** A constructor whose `instanceof` says yes for the global object: a worker's global scope class. */
  const scopeOfGlobal = () =>
    Object.defineProperty(function Scope() {}, Symbol.hasInstance, { value: (v: unknown) => v === globalThis });
  const privateExchange = () =>
    storefrontExchange({ storeDomain: 'shop.example.com', privateAccessToken: PRIVATE, now: MID_2026 });

  it.each<[string, Record<string, unknown>]>([
    ['a page (document only)', { document: {} }],
    [
      'a dedicated worker',
      { importScripts: () => {}, WorkerGlobalScope: scopeOfGlobal(), DedicatedWorkerGlobalScope: scopeOfGlobal() },
    ],
    [
      'a shared worker',
      { importScripts: () => {}, WorkerGlobalScope: scopeOfGlobal(), SharedWorkerGlobalScope: scopeOfGlobal() },
    ],
    [
      'a service worker',
      {
        importScripts: () => {},
        WorkerGlobalScope: scopeOfGlobal(),
        ServiceWorkerGlobalScope: scopeOfGlobal(),
        clients: {},
      },
    ],
    ['a worker seen through importScripts alone', { importScripts: () => {} }],
    ['a worker seen through its WorkerGlobalScope alone', { WorkerGlobalScope: scopeOfGlobal() }],
  ])('refuses a private token in %s, without echoing it', (_, globals) => {
    for (const [name, value] of Object.entries(globals)) vi.stubGlobal(name, value);
    const error = thrown(privateExchange);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toContain('privateAccessToken');
    expect(error.message).not.toContain(PRIVATE);
  });

  it.each<[string, Record<string, unknown>]>([
    ['Node', {}],
    // workerd exposes both scope classes, and its global is a ServiceWorkerGlobalScope, but no importScripts.
    [
      'workerd (Cloudflare Workers, Oxygen)',
      {
        navigator: { userAgent: 'Cloudflare-Workers' },
        self: globalThis,
        WorkerGlobalScope: function WorkerGlobalScope() {},
        ServiceWorkerGlobalScope: scopeOfGlobal(),
      },
    ],
    [
      'workerd, were its global ever a WorkerGlobalScope',
      { navigator: { userAgent: 'Cloudflare-Workers' }, WorkerGlobalScope: scopeOfGlobal() },
    ],
    ['Deno 1, which has a window', { Deno: { version: {} }, window: globalThis }],
    ['Bun', { Bun: { version: '1.2.0' }, self: globalThis }],
    ['a Node worker thread', { self: globalThis, postMessage: () => {} }],
    ['a runtime whose WorkerGlobalScope is no constructor (instanceof would throw)', { WorkerGlobalScope: {} }],
  ])('accepts a private token on a server: %s', (_, globals) => {
    for (const [name, value] of Object.entries(globals)) vi.stubGlobal(name, value);
    expect(privateExchange()).toBeTypeOf('function');
  });

  it('still throws in production, naming the option, with the sentence left out of the bundle', () => {
    vi.stubEnv('NODE_ENV', 'production');
    vi.stubGlobal('importScripts', () => {});
    const error = thrown(privateExchange);
    vi.unstubAllEnvs();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toMatch(
      /^storefront-customer-session: the provided privateAccessToken \("\(redacted\)"\) is invalid\./,
    );
    expect(error.message).not.toContain('never reach a browser');
    expect(error.message).not.toContain(PRIVATE);
  });

  it('throws the same ConfigurationError in production for every set-up mistake, naming option and value only', () => {
    const cases: [() => unknown, RegExp][] = [
      [
        () => storefrontExchange({ storeDomain: 'not a domain', publicAccessToken: PUBLIC }),
        /^storefront-customer-session: the provided storeDomain \("not a domain"\) is invalid\.$/,
      ],
      [
        () => storefrontExchange({ storeDomain: 'http://shop.example.com', publicAccessToken: PUBLIC }),
        /^storefront-customer-session: the provided storeDomain \("http:\/\/shop.example.com"\) is invalid\.$/,
      ],
      [
        () => storefrontExchange({ storeDomain: 'shop.example.com' }),
        /^storefront-customer-session: the provided access token \("\(none\)"\) is invalid\.$/,
      ],
      [
        () => customerTokenExchange({ store: memoryTokenStore(), renewWindowMs: -1 }),
        /^storefront-customer-session: the provided renewWindowMs \("-1"\) is invalid\.$/,
      ],
      [
        () => customerTokenExchange({ store: {} as never }),
        /^storefront-customer-session: the provided store \("object"\) is invalid\.$/,
      ],
    ];
    for (const [setUp, message] of cases) {
      const development = thrown(setUp);
      vi.stubEnv('NODE_ENV', 'production');
      const production = thrown(setUp);
      vi.unstubAllEnvs();
      expect(production).toBeInstanceOf(ConfigurationError);
      expect(production.message).toMatch(message);
      // Development adds the fix after the same first sentence.
      expect(development.message.startsWith(production.message)).toBe(true);
      expect(development.message.length).toBeGreaterThan(production.message.length + 10);
    }
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
