import { assertStoreDomain } from '../runtime/endpoint.js';
import { ConfigurationError, invalidMessage } from '../runtime/errors.js';
import { createClock, type EmulatorClock } from './clock.js';
import { createCounters, type EmulatorCounters } from './counters.js';
import { createCustomerAccountTokens } from './customerAccount/accessTokens.js';
import { createCustomerAccountOAuth, type EmulatorCustomerAccount } from './customerAccount/oauth.js';
import { DEFAULT_MAX_DEPTH, MAX_NESTING } from './depth.js';
import { createFaults, type EmulatorFaults } from './faults.js';
import { fetchHandler, type EmulatorFetch } from './fetchHandler.js';
import { createHandler, createRouter, type EmulatorRequest, type StorefrontTokenRecord } from './handler.js';
import type { Answer } from './responses.js';
import { schemaSetFromSdl } from './schemaSet.js';
import type { SchemaSet } from './schemas.js';
import { CartStore, type EmulatorCarts } from './carts.js';
import { CustomerStore, randomToken } from './state.js';
import { createCustomerAccountGraphql, type CustomerAccountGraphqlControls } from './customerAccount/graphqlApi.js';
import {
  DEFAULT_CUSTOMER,
  DEFAULT_SCOPES,
  type CreateEmulatorOptions,
  type CustomerSpec,
  type EmulatorBehaviour,
  type EmulatorSettings,
  type IssuedToken,
  RENEW_RETURNS,
  type StorefrontTokenSpec,
} from './types.js';

/** Seeded-customer controls. */
export interface EmulatorCustomers {
  /** Seeds another customer. */
  add(spec: CustomerSpec): void;
  /**
   * Every customer access token issued to `email` that the emulator still holds (it keeps the newest 100 000 of all
   * customers), oldest first. Secrets: assert on them, never log them.
   */
  tokens(email: string): IssuedToken[];
  /** Issues a token for `email` directly (no HTTP), e.g. to start a test mid-session. Throws for an unknown email. */
  issue(email: string): IssuedToken;
}

/** An emulator as a `fetch` handler: no server, no port; runs in Node, workerd/Oxygen, browsers and behind MSW. */
export interface FetchEmulator {
  /**
   * Answers one Storefront request the way the emulator does over HTTP: routing per version, tokens, scopes, the
   * token life cycle, CORS and every fault (a `reset` rejects with a `TypeError`, like a network failure).
   */
  fetch: EmulatorFetch;
  /** `https://<storeDomain>`: where requests to {@link FetchEmulator.fetch} may point (any host is answered). */
  url: string;
  /** For a `storeDomain` option. @defaultValue `'emulator.myshopify.test'` */
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
  /** The carts created through `cartCreate`, as `cartBuyerIdentityUpdate` left them. */
  carts: EmulatorCarts;
  /** Adds a storefront token at runtime and returns its string. */
  addStorefrontToken(spec: StorefrontTokenSpec): string;
  /**
   * The Customer Account API on the same origin: its sign-in (OAuth with PKCE) and its GraphQL endpoint (orders,
   * access tokens issued directly, request counters).
   */
  customerAccount: EmulatorCustomerAccount & CustomerAccountGraphqlControls;
  /**
   * Ends pending latency and `hang` faults: their requests fail like a closed connection. Leaves no timer or held
   * request behind.
   */
  close(): Promise<void>;
}

/** The longest wait one `setTimeout` can play (longer ones fire at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

const DEFAULT_TOKENS: StorefrontTokenSpec[] = [{ kind: 'public' }, { kind: 'private' }];
const DEFAULT_STORE_DOMAIN = 'emulator.myshopify.test';

function checkBehaviour(options: EmulatorBehaviour): void {
  const { renewReturns, invalidRenewShape, storefrontTokens, maxDepth } = options;
  if (renewReturns !== undefined && !RENEW_RETURNS.includes(renewReturns)) {
    const expected = `Expected one of ${RENEW_RETURNS.map((r) => `"${r}"`).join(', ')}.`;
    throw new ConfigurationError(invalidMessage('renewReturns', renewReturns, expected));
  }
  if (invalidRenewShape !== undefined && invalidRenewShape !== 'user-errors' && invalidRenewShape !== 'access-denied') {
    throw new ConfigurationError(
      invalidMessage('invalidRenewShape', invalidRenewShape, 'Expected "user-errors" or "access-denied".'),
    );
  }
  if (maxDepth !== undefined && !(Number.isInteger(maxDepth) && maxDepth >= 1 && maxDepth <= MAX_NESTING)) {
    throw new ConfigurationError(
      invalidMessage('maxDepth', maxDepth, `Expected a whole number from 1 to ${MAX_NESTING}.`),
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

/** An emulator's state and its transport-neutral handler; {@link createEmulator} and `startEmulator` wrap it. */
export function emulatorCore(
  schemas: SchemaSet,
  options: EmulatorBehaviour,
  origin: () => string,
  customerAccountSchemas: () => SchemaSet | undefined = () => undefined,
): Omit<FetchEmulator, 'fetch' | 'url' | 'storeDomain'> & { answer(request: EmulatorRequest): Promise<Answer> } {
  checkBehaviour(options);
  const clock = createClock(options.now ?? Date.now());
  const store = new CustomerStore(clock.now);
  for (const customer of options.customers ?? [DEFAULT_CUSTOMER]) store.add(customer);
  const carts = new CartStore(clock.now);
  const settings: EmulatorSettings = {
    renewReturns: options.renewReturns ?? 'new-token',
    invalidRenewShape: options.invalidRenewShape ?? 'user-errors',
  };
  const storefrontTokens = new Map<string, StorefrontTokenRecord>();
  const addStorefrontToken = (spec: StorefrontTokenSpec): string => {
    const token = spec.token ?? randomToken();
    storefrontTokens.set(token, { kind: spec.kind, scopes: new Set(spec.scopes ?? DEFAULT_SCOPES) });
    return token;
  };
  const seeded = (options.storefrontTokens ?? DEFAULT_TOKENS).map((spec) => ({
    kind: spec.kind,
    token: addStorefrontToken(spec),
  }));
  const counters = createCounters();
  const faults = createFaults();
  const sleeping = new Map<ReturnType<typeof setTimeout>, (done: boolean) => void>();
  // Requests a `hang` fault holds: each is let go when its client gives up, and all of them when the emulator closes.
  const holding = new Set<() => void>();
  // Once closed, a request still in flight (its body was arriving at close()) is dropped, never held or delayed.
  let isClosed = false;
  const hold = (closed: Promise<void> | undefined) =>
    new Promise<void>((resolve) => {
      if (isClosed) return resolve();
      const release = () => {
        holding.delete(release);
        resolve();
      };
      holding.add(release);
      void closed?.then(release);
    });
  const delay = (ms: number) =>
    new Promise<boolean>((resolve) => {
      if (isClosed) return resolve(false);
      // setTimeout fires at once past 2^31 - 1 ms: a longer latency waits in steps.
      const arm = (left: number) => {
        const timer = setTimeout(
          () => {
            sleeping.delete(timer);
            if (left > MAX_TIMER_MS) arm(left - MAX_TIMER_MS);
            else resolve(true);
          },
          Math.min(left, MAX_TIMER_MS),
        );
        sleeping.set(timer, resolve);
      };
      arm(ms);
    });

  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const storefront = createHandler({
    schemas,
    now: clock.now,
    store,
    carts,
    settings,
    storefrontTokens,
    counters,
    faults,
    delay,
    hold,
    maxDepth,
    route: createRouter(schemas),
  });
  const customerAccountTokens = createCustomerAccountTokens(clock);
  const customerAccount = createCustomerAccountOAuth(
    {
      now: clock.now,
      origin,
      store,
      tokens: customerAccountTokens,
      defaultEmail: (options.customers ?? [DEFAULT_CUSTOMER])[0]?.email ?? DEFAULT_CUSTOMER.email,
      delay,
      hold,
    },
    options.customerAccount,
  );
  // The GraphQL endpoint (`/{shopId}/account/customer/api/{version}/graphql`) accepts the sign-in's access tokens.
  const customerAccountGraphql = createCustomerAccountGraphql({
    now: clock.now,
    tokens: customerAccountTokens,
    shopId: customerAccount.api.shopId,
    schemas: customerAccountSchemas,
    maxDepth,
    // issueAccessToken() signs in whom the sign-in would: settings.signInAs.
    customers: store,
    signInAs: () => customerAccount.api.settings.signInAs,
  });
  const answer = (request: EmulatorRequest) =>
    customerAccount.answer(request) ??
    (customerAccountGraphql.handles(request.path) ? customerAccountGraphql.answer(request) : storefront(request));
  const { record: _record, ...publicCounters } = counters;
  const { take: _take, ...publicFaults } = faults;

  return {
    answer,
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
    carts: {
      get(id) {
        const record = carts.get(id);
        return record && carts.view(record, store);
      },
      count: () => carts.count(),
    },
    addStorefrontToken,
    // Added onto the sign-in's object, not spread: its `urls` and `discoveryUrl` are getters (the origin comes later).
    customerAccount: Object.assign(customerAccount.api, customerAccountGraphql.controls),
    close() {
      isClosed = true;
      for (const [timer, wake] of sleeping) {
        clearTimeout(timer);
        wake(false);
      }
      sleeping.clear();
      for (const release of holding) release();
      return Promise.resolve();
    },
  };
}

/**
 * Creates a Storefront API emulator as a `fetch` handler: the emulator's whole behaviour with no server, so it
 * runs wherever tests run (Node, vitest's pools, workerd/Oxygen and miniflare, browsers, behind MSW).
 *
 * @param options - the schemas as SDL text (the Node entry `/testing` defaults them to the vendored ones), plus
 * the same seeds and switches as `startEmulator`.
 * @returns the emulator; hand `emulator.fetch` to the exchanges' `fetch` option or to a request interceptor.
 * @example
 * ```ts
 * const emulator = createEmulator({ schemas: readSchemas() });
 * const exchange = storefrontExchange({
 *   storeDomain: emulator.storeDomain,
 *   publicAccessToken: emulator.publicAccessToken,
 *   fetch: emulator.fetch,
 * });
 * ```
 */
export function createEmulator(options: CreateEmulatorOptions): FetchEmulator {
  const storeDomain = assertStoreDomain(options?.storeDomain ?? DEFAULT_STORE_DOMAIN);
  const url = `https://${storeDomain}`;
  const customerAccountSchemas = options?.customerAccountSchemas
    ? schemaSetFromSdl(options.customerAccountSchemas)
    : undefined;
  const { answer, ...core } = emulatorCore(
    schemaSetFromSdl(options?.schemas),
    options,
    () => url,
    () => customerAccountSchemas,
  );
  return {
    ...core,
    url,
    storeDomain,
    fetch: fetchHandler(answer),
  };
}
