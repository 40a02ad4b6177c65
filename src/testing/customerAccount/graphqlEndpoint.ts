import { execute, type ExecutionResult, type GraphQLFieldResolver } from 'graphql';
import { API_VERSION_HEADER, DEPRECATED_REASON_HEADER } from '../../runtime/endpoint.js';
import { isWellFormedVersion } from '../../runtime/versions.js';
import type { createCounters } from '../counters.js';
import { depthError } from '../depth.js';
import { prepare, readGraphQLBody } from '../documents.js';
import type { EmulatorRequest } from '../handler.js';
import { fieldResolver } from '../resolvers.js';
import { DEPRECATED_REASON, errorBody, reply, type Answer } from '../responses.js';
import { resolveVersion } from '../routing.js';
import type { SchemaSet } from '../schemas.js';
import { formatError } from '../validation.js';
import type { CustomerAccountTokenGrant, CustomerAccountTokens } from './accessTokens.js';
import { ordersPage, type CustomerAccountOrders } from './orders.js';

/** `POST /{shopId}/account/customer/api/{version}/graphql`, as on `shopify.com`. */
const GRAPHQL_PATH = /^\/([^/?]+)\/account\/customer\/api\/([^/?]+)\/graphql$/;

/** The methods the endpoint serves (anything else is a 405). */
const ALLOWED_METHODS = 'POST, OPTIONS';

/** The preflight answer: POST with JSON and the access token in `Authorization` (Hydrogen also sends `Origin`). */
const PREFLIGHT_HEADERS = {
  'Access-Control-Allow-Methods': ALLOWED_METHODS,
  'Access-Control-Allow-Headers': 'Content-Type, Accept, Authorization',
  'Access-Control-Max-Age': '86400',
} as const;

/**
 * The answer to a request without a live access token: HTTP 401 with a GraphQL-shaped `errors` body. The status is
 * what Shopify's own client goes by (Hydrogen's `createCustomerAccountClient` treats any 401 from this endpoint as
 * "the access token is invalid": it clears the session and signs the customer out); the body is not confirmed by a
 * capture, so it takes the emulator's Storefront 401 shape, which a client reading `errors[0].extensions.code` can use.
 */
export const UNAUTHORIZED_BODY = errorBody('Unauthorized', 'UNAUTHORIZED');

/** Where the Customer Account GraphQL endpoint's path is, or `undefined` when `path` is not one. */
export function customerAccountPathOf(path: string): { shopId: string; version: string } | undefined {
  const match = GRAPHQL_PATH.exec(path.split('?', 1)[0] ?? '');
  return match ? { shopId: match[1]!, version: match[2]! } : undefined;
}

/** Everything the endpoint reads; owned by the emulator. */
export interface CustomerAccountEndpointDeps {
  /** The vendored Customer Account schemas, or `undefined` when none were given (every request then gets a 404). */
  schemas: () => SchemaSet | undefined;
  now: () => number;
  /** The access tokens the emulator's OAuth token endpoint issues. */
  tokens: CustomerAccountTokens;
  orders: CustomerAccountOrders;
  counters: ReturnType<typeof createCounters>;
  /** The deepest selection a query may have. */
  maxDepth: number;
  /** The shop id in the path; another one answers 404. @defaultValue any */
  shopId?: string;
}

/** What a resolver knows: the signed-in customer and the clock. */
interface CustomerAccountContext {
  now: number;
  grant: CustomerAccountTokenGrant;
  orders: CustomerAccountOrders;
}

/** The root fields the endpoint implements: the signed-in customer; every other field resolves to a placeholder. */
const rootValue = {
  customer(_args: unknown, { grant, orders }: CustomerAccountContext) {
    const displayName = [grant.firstName, grant.lastName].filter(Boolean).join(' ') || grant.email;
    return {
      id: grant.customerId,
      firstName: grant.firstName || null,
      lastName: grant.lastName || null,
      displayName,
      emailAddress: { emailAddress: grant.email, marketingState: 'NOT_SUBSCRIBED' },
      tags: [],
      orders: (args: Parameters<typeof ordersPage>[1]) => ordersPage(orders.list(grant.customerId), args),
    };
  },
};

/** The access token of a request: `Authorization: <token>` as Hydrogen sends it, or `Authorization: Bearer <token>`. */
function accessTokenOf(request: EmulatorRequest): string | undefined {
  const value = request.header('authorization')?.trim();
  if (!value) return undefined;
  return /^bearer\s+/i.test(value) ? value.replace(/^bearer\s+/i, '') : value;
}

/**
 * The Customer Account GraphQL endpoint: routes the version like the Storefront endpoint (a retired version falls
 * forward to the oldest supported one the emulator vendors, named in `X-Shopify-API-Version`), answers 401 without a
 * live access token, validates against that version's vendored Customer Account schema, and answers the signed-in
 * customer (name, email) and their seeded orders.
 */
export function createCustomerAccountEndpoint(
  deps: CustomerAccountEndpointDeps,
): (request: EmulatorRequest) => Promise<Answer> {
  return (request) =>
    handle(deps, request).catch(() => reply(500, errorBody('Internal error in the emulator.'), {}) as Answer);
}

async function handle(deps: CustomerAccountEndpointDeps, request: EmulatorRequest): Promise<Answer> {
  const path = customerAccountPathOf(request.path);
  const schemas = deps.schemas();
  if (!path || !isWellFormedVersion(path.version) || (deps.shopId !== undefined && path.shopId !== deps.shopId))
    return reply(404, errorBody('Not Found', 'NOT_FOUND'), {});
  if (!schemas)
    return reply(
      404,
      errorBody('This emulator has no Customer Account schemas (the customerAccountSchemas option).', 'NOT_FOUND'),
      {},
    );
  const now = deps.now();
  const served = resolveVersion(path.version, now, schemas.versions, schemas.hasUnstable);
  const headers: Record<string, string> = { [API_VERSION_HEADER]: served.header };
  if (request.method === 'OPTIONS')
    return { kind: 'reply', status: 204, body: '', headers: { ...PREFLIGHT_HEADERS, ...headers }, contentType: null };
  if (request.method !== 'POST')
    return reply(405, errorBody('Use POST.', 'METHOD_NOT_ALLOWED'), { ...headers, Allow: ALLOWED_METHODS });

  const raw = await request.text();
  if (raw === undefined) return reply(413, errorBody('Request body too large.', 'PAYLOAD_TOO_LARGE'), headers);
  const { body, parsed, operationName } = readGraphQLBody(raw);
  const accessToken = accessTokenOf(request);
  const grant = accessToken === undefined ? null : deps.tokens.lookup(accessToken);
  // Like the Storefront's: every request counts, its operation name only with an access token that works.
  deps.counters.record(operationName, grant !== null);
  if (!grant) return reply(401, UNAUTHORIZED_BODY, headers);
  if (!body || typeof body !== 'object')
    return reply(400, errorBody('The request body is not valid JSON.', 'BAD_REQUEST'), headers);
  if (!parsed) return errorsReply([{ message: 'No query string was present' }], headers);
  if (parsed.errors) return errorsReply(parsed.errors, headers);
  if (parsed.depth > deps.maxDepth || !parsed.document)
    return errorsReply([depthError(parsed.depth, deps.maxDepth)], headers);

  const schema = schemas.schema(served.schemaVersion);
  const prepared = prepare(schema, parsed.document);
  if (prepared.errors) return errorsReply(prepared.errors, headers);
  if (prepared.deprecated) headers[DEPRECATED_REASON_HEADER] = DEPRECATED_REASON;

  const contextValue: CustomerAccountContext = { now, grant, orders: deps.orders };
  const result: ExecutionResult | Promise<ExecutionResult> = execute({
    schema,
    document: parsed.document,
    rootValue,
    contextValue,
    // The Storefront's: reads properties, calls functions, and answers placeholders for fields it does not model.
    fieldResolver: fieldResolver as GraphQLFieldResolver<unknown, unknown>,
    variableValues: isRecord(body.variables) ? body.variables : undefined,
    operationName: typeof body.operationName === 'string' && body.operationName !== '' ? body.operationName : undefined,
  });
  if (result instanceof Promise) throw new Error('the emulator resolvers must stay synchronous');
  const errors = result.errors?.map((error) => formatError(error));
  if (!('data' in result) || result.data === undefined) return errorsReply(errors ?? [], headers);
  return reply(200, JSON.stringify(errors ? { data: result.data, errors } : { data: result.data }), headers);
}

function errorsReply(errors: unknown[], headers: Record<string, string>): Answer {
  return reply(200, JSON.stringify({ errors }), headers);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
