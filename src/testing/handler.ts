import type { ExecutionResult } from 'graphql';
import {
  API_VERSION_HEADER,
  DEPRECATED_REASON_HEADER,
  PRIVATE_TOKEN_HEADER,
  PUBLIC_TOKEN_HEADER,
} from '../runtime/endpoint.js';
import { supportedVersions } from '../runtime/versions.js';
import type { createCounters } from './counters.js';
import { prepare, readGraphQLBody } from './documents.js';
import { fieldResolver, rootValue, type RequestContext } from './resolvers.js';
import { depthError } from './depth.js';
import { executeInline } from './execution.js';
import { playFault, type createFaults } from './faults.js';
import { renewKeyOf } from './malformedRenews.js';
import { ALLOWED_METHODS, DEPRECATED_REASON, errorBody, PREFLIGHT_HEADERS, reply, type Answer } from './responses.js';
import { resolveVersion, versionFromPath, type ServedVersion } from './routing.js';
import type { SchemaSet } from './schemas.js';
import type { CartStore } from './carts.js';
import type { CustomerStore } from './state.js';
import type { EmulatorSettings, StorefrontScope } from './types.js';
import { formatError, type FormattedError } from './validation.js';

/** Bodies longer than this (in UTF-16 units, close enough to bytes for JSON) are refused with 413. */
export const MAX_BODY_LENGTH = 1 << 20;

/** One request as a transport hands it to the handler. */
export interface EmulatorRequest {
  method: string;
  /** The path and query, e.g. `/api/2026-04/graphql.json`. */
  path: string;
  /** A request header by its lower-case name. */
  header(name: string): string | undefined;
  /** The body as text, or `undefined` when it is longer than {@link MAX_BODY_LENGTH}. */
  text(): Promise<string | undefined>;
  /** Resolves when the client gives up on the request (aborts it, or closes the connection). */
  closed?: () => Promise<void>;
}

/** A storefront token the emulator accepts. */
export interface StorefrontTokenRecord {
  kind: 'public' | 'private';
  scopes: ReadonlySet<StorefrontScope>;
}

/** Everything the request handler reads; owned by the emulator. */
export interface HandlerDeps {
  schemas: SchemaSet;
  now: () => number;
  store: CustomerStore;
  carts: CartStore;
  settings: EmulatorSettings;
  storefrontTokens: ReadonlyMap<string, StorefrontTokenRecord>;
  counters: ReturnType<typeof createCounters>;
  faults: ReturnType<typeof createFaults>;
  /** Waits `ms`; resolves `false` when the emulator closed meanwhile. */
  delay: (ms: number) => Promise<boolean>;
  /** Waits until `closed` resolves or the emulator closes (a `hang` fault). */
  hold: (closed: Promise<void> | undefined) => Promise<void>;
  /** The deepest selection a query may have. */
  maxDepth: number;
  /** {@link resolveVersion}, memoised while the clock stands still (`undefined`: a malformed path). */
  route: (requested: string | undefined, now: number) => ServedVersion;
}

/** Memoises {@link resolveVersion} for one clock value at a time: the clock rarely moves during a load run. */
export function createRouter(schemas: Pick<SchemaSet, 'versions' | 'hasUnstable'>): HandlerDeps['route'] {
  let at = Number.NaN;
  let memo = new Map<string | undefined, ServedVersion>();
  return (requested, now) => {
    if (now !== at) {
      at = now;
      memo = new Map();
    }
    let served = memo.get(requested);
    if (!served) {
      served = resolveVersion(requested ?? supportedVersions(now)[0]!, now, schemas.versions, schemas.hasUnstable);
      if (memo.size < 64) memo.set(requested, served);
    }
    return served;
  };
}

/** Creates the emulator's request handler: every transport (fetch, node:http) calls it. */
export function createHandler(deps: HandlerDeps): (request: EmulatorRequest) => Promise<Answer> {
  return (request) =>
    handle(deps, request).catch(() => reply(500, errorBody('Internal error in the emulator.'), {}) as Answer);
}

const PUBLIC_TOKEN = PUBLIC_TOKEN_HEADER.toLowerCase();
const PRIVATE_TOKEN = PRIVATE_TOKEN_HEADER.toLowerCase();

async function handle(deps: HandlerDeps, request: EmulatorRequest): Promise<Answer> {
  const now = deps.now();
  const requested = versionFromPath(request.path);
  const served = deps.route(requested, now);
  const headers: Record<string, string> = { [API_VERSION_HEADER]: served.header };
  if (request.method === 'OPTIONS') {
    return { kind: 'reply', status: 204, body: '', headers: { ...PREFLIGHT_HEADERS, ...headers }, contentType: null };
  }
  if (!requested) return reply(404, errorBody('Not Found', 'NOT_FOUND'), headers);
  if (request.method !== 'POST')
    return reply(405, errorBody('Use POST.', 'METHOD_NOT_ALLOWED'), { ...headers, Allow: ALLOWED_METHODS });

  const raw = await request.text();
  if (raw === undefined) return reply(413, errorBody('Request body too large.', 'PAYLOAD_TOO_LARGE'), headers);
  const { body, parsed, operationName } = readGraphQLBody(raw);
  // Checked before the faults (which play whatever the token), so that a request the store would refuse cannot
  // leave its operation name, of any size, in the counters.
  const scopes = authorize(deps, request);
  deps.counters.record(operationName, scopes !== undefined);

  const plan = deps.faults.take(operationName, () => renewKeyOf(parsed?.document));
  if (plan?.latencyMs && !(await deps.delay(plan.latencyMs))) return { kind: 'reset' };
  if (plan?.fault) {
    const held = () => deps.hold(request.closed?.());
    return playFault(plan.fault, { headers, now, renewKey: plan.renewKey, held });
  }

  if (!scopes) return reply(401, errorBody('Invalid or missing Storefront API access token.', 'UNAUTHORIZED'), headers);
  if (!body || typeof body !== 'object')
    return reply(400, errorBody('The request body is not valid JSON.', 'BAD_REQUEST'), headers);
  if (!parsed) return errorsReply([{ message: 'No query string was present' }], headers);
  if (parsed.errors) return errorsReply(parsed.errors, headers);
  if (parsed.depth > deps.maxDepth || !parsed.document)
    return errorsReply([depthError(parsed.depth, deps.maxDepth)], headers);

  const schema = deps.schemas.schema(served.schemaVersion);
  const prepared = prepare(schema, parsed.document);
  if (prepared.errors) return errorsReply(prepared.errors, headers);
  if (prepared.deprecated) headers[DEPRECATED_REASON_HEADER] = DEPRECATED_REASON;

  const contextValue: RequestContext = {
    store: deps.store,
    carts: deps.carts,
    settings: deps.settings,
    scopes,
    now,
    schemas: deps.schemas,
  };
  const result: ExecutionResult | Promise<ExecutionResult> = executeInline({
    schema,
    document: prepared.document,
    rootValue,
    contextValue,
    fieldResolver,
    variableValues: isRecord(body.variables) ? body.variables : undefined,
    operationName: typeof body.operationName === 'string' && body.operationName !== '' ? body.operationName : undefined,
  });
  // Every resolver is synchronous, so this is a plain result; awaiting it anyway would cost a tick per request.
  if (result instanceof Promise) throw new Error('the emulator resolvers must stay synchronous');
  const errors = result.errors?.map((error) => {
    const formatted = formatError(error);
    if (formatted.extensions?.code === 'ACCESS_DENIED') formatted.locations = [];
    return formatted;
  });
  if (!('data' in result) || result.data === undefined) return errorsReply(errors ?? [], headers);
  const cost = prepared.costs.get(operationName ?? '') ?? prepared.costs.values().next().value ?? 0;
  const out = errors
    ? { data: result.data, errors, extensions: { cost: { requestedQueryCost: cost } } }
    : { data: result.data, extensions: { cost: { requestedQueryCost: cost } } };
  return reply(200, JSON.stringify(out), headers);
}

function errorsReply(errors: FormattedError[], headers: Record<string, string>): Answer {
  return reply(200, JSON.stringify({ errors }), headers);
}

/** The scopes of the storefront token the request carries, or `undefined` when it has none we know. */
function authorize(deps: HandlerDeps, request: EmulatorRequest): ReadonlySet<StorefrontScope> | undefined {
  const publicToken = request.header(PUBLIC_TOKEN);
  const [kind, token] =
    publicToken !== undefined ? ['public', publicToken] : ['private', request.header(PRIVATE_TOKEN)];
  if (token === undefined) return undefined;
  const record = deps.storefrontTokens.get(token);
  return record?.kind === kind ? record.scopes : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
