import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigurationError, invalidMessage } from '../runtime/errors.js';
import { createClock, type EmulatorClock } from './clock.js';
import { createCounters, type EmulatorCounters } from './counters.js';
import { createFaults, type EmulatorFaults } from './faults.js';
import { createHandler, createRouter, type StorefrontTokenRecord } from './handler.js';
import { loadSchemaSet } from './schemas.js';
import { CustomerStore, randomToken } from './state.js';
import {
  CUSTOMER_SCOPES,
  DEFAULT_CUSTOMER,
  type CustomerSpec,
  type EmulatorOptions,
  type EmulatorSettings,
  type IssuedToken,
  type StorefrontTokenSpec,
} from './types.js';

/** Seeded-customer controls. */
export interface EmulatorCustomers {
  /** Seeds another customer. */
  add(spec: CustomerSpec): void;
  /** Every customer access token issued to `email`, oldest first. Secrets: assert on them, never log them. */
  tokens(email: string): IssuedToken[];
  /** Issues a token for `email` directly (no HTTP), e.g. to start a test mid-session. Throws for an unknown email. */
  issue(email: string): IssuedToken;
}

/** A running emulator. */
export interface Emulator {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** `127.0.0.1:PORT`, for a `storeDomain` option (loopback is reached over http). */
  storeDomain: string;
  /** The first seeded public storefront token (`''` if none was seeded). */
  publicAccessToken: string;
  /** The first seeded private storefront token (`''` if none was seeded). */
  privateAccessToken: string;
  /** The emulator's clock: token expiry and supported versions follow it, never the wall clock. */
  clock: EmulatorClock;
  /** Behaviour switches, mutable at runtime. */
  settings: EmulatorSettings;
  /** Transport misbehaviour for the next requests. */
  faults: EmulatorFaults;
  /** Requests received, per GraphQL operation name. */
  counters: EmulatorCounters;
  /** Seeded customers and their tokens. */
  customers: EmulatorCustomers;
  /** Adds a storefront token at runtime and returns its string. */
  addStorefrontToken(spec: StorefrontTokenSpec): string;
  /** The Node server, for tests that inspect it. */
  server: Server;
  /** Stops listening and closes every connection (keep-alive ones too). Leaves no open handle. */
  close(): Promise<void>;
}

const DEFAULT_TOKENS: StorefrontTokenSpec[] = [{ kind: 'public' }, { kind: 'private' }];

function checkOptions(options: EmulatorOptions): void {
  const { port, renewReturns, invalidRenewShape, storefrontTokens } = options;
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    throw new ConfigurationError(invalidMessage('port', port, 'Expected an integer from 0 (any free port) to 65535.'));
  }
  if (renewReturns !== undefined && renewReturns !== 'same-token' && renewReturns !== 'new-token') {
    throw new ConfigurationError(invalidMessage('renewReturns', renewReturns, 'Expected "same-token" or "new-token".'));
  }
  if (invalidRenewShape !== undefined && invalidRenewShape !== 'user-errors' && invalidRenewShape !== 'access-denied') {
    throw new ConfigurationError(
      invalidMessage('invalidRenewShape', invalidRenewShape, 'Expected "user-errors" or "access-denied".'),
    );
  }
  for (const spec of storefrontTokens ?? []) {
    if (spec.kind !== 'public' && spec.kind !== 'private') {
      throw new ConfigurationError(
        invalidMessage('storefrontTokens[].kind', spec.kind, 'Expected "public" or "private".'),
      );
    }
  }
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) => {
      const fix =
        error.code === 'EADDRINUSE'
          ? 'It is in use; pick another port, or 0 for any free one.'
          : `Listening failed (${error.code ?? error.message}).`;
      reject(new ConfigurationError(invalidMessage('port', port, fix), { cause: error }));
    };
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', fail);
      resolve();
    });
  });
}

/**
 * Starts a local Storefront API emulator on 127.0.0.1.
 *
 * @param options - port, initial clock, schema folder, seeded tokens and customers, behaviour switches.
 * @returns the running emulator; call `close()` when done.
 * @example
 * ```ts
 * const em = await startEmulator();
 * // POST `${em.url}/api/2026-04/graphql.json` with X-Shopify-Storefront-Access-Token: em.publicAccessToken
 * em.clock.advance(43 * 24 * 3600_000); // every token has expired
 * await em.close();
 * ```
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const schemas = loadSchemaSet(options.schemaDir);
  checkOptions(options);
  const clock = createClock(options.now ?? Date.now());
  const store = new CustomerStore(clock.now);
  for (const customer of options.customers ?? [DEFAULT_CUSTOMER]) store.add(customer);
  const settings: EmulatorSettings = {
    renewReturns: options.renewReturns ?? 'new-token',
    invalidRenewShape: options.invalidRenewShape ?? 'user-errors',
  };
  const storefrontTokens = new Map<string, StorefrontTokenRecord>();
  const addStorefrontToken = (spec: StorefrontTokenSpec): string => {
    const token = spec.token ?? randomToken();
    storefrontTokens.set(token, { kind: spec.kind, scopes: new Set(spec.scopes ?? CUSTOMER_SCOPES) });
    return token;
  };
  const seeded = (options.storefrontTokens ?? DEFAULT_TOKENS).map((spec) => ({
    kind: spec.kind,
    token: addStorefrontToken(spec),
  }));
  const counters = createCounters();
  const faults = createFaults();
  const timers = new Set<NodeJS.Timeout>();
  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const route = createRouter(schemas);
  const handler = createHandler({
    schemas,
    now: clock.now,
    store,
    settings,
    storefrontTokens,
    counters,
    faults,
    delay,
    route,
  });
  const server = createServer({ keepAliveTimeout: 5_000 }, handler);
  await listen(server, options.port ?? 0);
  const { port } = server.address() as AddressInfo;
  const { record: _record, ...publicCounters } = counters;
  const { take: _take, ...publicFaults } = faults;

  return {
    url: `http://127.0.0.1:${port}`,
    storeDomain: `127.0.0.1:${port}`,
    publicAccessToken: seeded.find((t) => t.kind === 'public')?.token ?? '',
    privateAccessToken: seeded.find((t) => t.kind === 'private')?.token ?? '',
    clock,
    settings,
    faults: publicFaults,
    counters: publicCounters,
    customers: {
      add: (spec) => store.add(spec),
      tokens: (email) => store.tokens(email),
      issue(email) {
        const customer = store.customer(email);
        if (!customer)
          throw new ConfigurationError(
            invalidMessage('email', email, 'No seeded customer has it; seed one with customers.add().'),
          );
        const { accessToken, expiresAt, deleted } = store.issue(customer);
        return { accessToken, expiresAt, deleted };
      },
    },
    addStorefrontToken,
    server,
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      if (!server.listening) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
