import type { IncomingMessage, ServerResponse } from 'node:http';
import { execute, type ExecutionResult } from 'graphql';
import {
  API_VERSION_HEADER,
  DEPRECATED_REASON_HEADER,
  PRIVATE_TOKEN_HEADER,
  PUBLIC_TOKEN_HEADER,
} from '../runtime/endpoint.js';
import { supportedVersions } from '../runtime/versions.js';
import type { createCounters } from './counters.js';
import { operationNameOf, parseQuery, prepare } from './documents.js';
import type { createFaults } from './faults.js';
import { fieldResolver, rootValue, type RequestContext } from './resolvers.js';
import { CORS_HEADERS, DEPRECATED_REASON, errorBody, playFault, PREFLIGHT_HEADERS, send } from './responses.js';
import { resolveVersion, versionFromPath, type ServedVersion } from './routing.js';
import type { SchemaSet } from './schemas.js';
import type { CustomerStore } from './state.js';
import type { EmulatorSettings, StorefrontScope } from './types.js';
import { formatError, type FormattedError } from './validation.js';

/** Bodies longer than this (in UTF-16 units, close enough to bytes for JSON) are refused with 413. */
const MAX_BODY_LENGTH = 1 << 20;

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
  settings: EmulatorSettings;
  storefrontTokens: ReadonlyMap<string, StorefrontTokenRecord>;
  counters: ReturnType<typeof createCounters>;
  faults: ReturnType<typeof createFaults>;
  delay: (ms: number) => Promise<void>;
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

/** Creates the emulator's request listener. */
export function createHandler(deps: HandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(deps, req, res).catch(() => {
      if (!res.headersSent) send(res, 500, errorBody('Internal error in the emulator.'), {});
      else res.destroy();
    });
  };
}

async function handle(deps: HandlerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const now = deps.now();
  const requested = versionFromPath(req.url ?? '');
  const served = deps.route(requested, now);
  const headers: Record<string, string> = { [API_VERSION_HEADER]: served.header };
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { ...CORS_HEADERS, ...PREFLIGHT_HEADERS, ...headers, 'Content-Length': '0' });
    res.end();
    return;
  }
  if (!requested) return send(res, 404, errorBody('Not Found', 'NOT_FOUND'), headers);
  if (req.method !== 'POST')
    return send(res, 405, errorBody('Use POST.', 'METHOD_NOT_ALLOWED'), { ...headers, Allow: 'POST, OPTIONS' });

  const raw = await readBody(req);
  if (raw === undefined) return send(res, 413, errorBody('Request body too large.', 'PAYLOAD_TOO_LARGE'), headers);
  let body: { query?: unknown; variables?: unknown; operationName?: unknown } | undefined;
  try {
    body = JSON.parse(raw);
  } catch {
    body = undefined;
  }
  const query = typeof body?.query === 'string' ? body.query : undefined;
  const parsed = query === undefined ? undefined : parseQuery(query);
  const operationName = operationNameOf(parsed?.document, body?.operationName);
  deps.counters.record(operationName);

  const plan = deps.faults.take(operationName);
  if (plan?.latencyMs) await deps.delay(plan.latencyMs);
  if (plan?.fault) return playFault(req, res, plan.fault, headers);

  const scopes = authorize(deps, req);
  if (!scopes)
    return send(res, 401, errorBody('Invalid or missing Storefront API access token.', 'UNAUTHORIZED'), headers);
  if (!body || typeof body !== 'object')
    return send(res, 400, errorBody('The request body is not valid JSON.', 'BAD_REQUEST'), headers);
  if (!parsed) return sendErrors(res, [{ message: 'No query string was present' }], headers);
  if (parsed.errors) return sendErrors(res, parsed.errors, headers);

  const schema = deps.schemas.schema(served.schemaVersion);
  const prepared = prepare(schema, parsed.document);
  if (prepared.errors) return sendErrors(res, prepared.errors, headers);
  if (prepared.deprecated) headers[DEPRECATED_REASON_HEADER] = DEPRECATED_REASON;

  const contextValue: RequestContext = {
    store: deps.store,
    settings: deps.settings,
    scopes,
    now,
    schemas: deps.schemas,
  };
  const result: ExecutionResult | Promise<ExecutionResult> = execute({
    schema,
    document: parsed.document,
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
  if (!('data' in result) || result.data === undefined) return sendErrors(res, errors ?? [], headers);
  const cost = prepared.costs.get(operationName ?? '') ?? prepared.costs.values().next().value ?? 0;
  const out = errors
    ? { data: result.data, errors, extensions: { cost: { requestedQueryCost: cost } } }
    : { data: result.data, extensions: { cost: { requestedQueryCost: cost } } };
  send(res, 200, JSON.stringify(out), headers);
}

function sendErrors(res: ServerResponse, errors: FormattedError[], headers: Record<string, string>): void {
  send(res, 200, JSON.stringify({ errors }), headers);
}

/** The scopes of the storefront token the request carries, or `undefined` when it has none we know. */
function authorize(deps: HandlerDeps, req: IncomingMessage): ReadonlySet<StorefrontScope> | undefined {
  const publicToken = req.headers[PUBLIC_TOKEN_HEADER.toLowerCase()];
  const privateToken = req.headers[PRIVATE_TOKEN_HEADER.toLowerCase()];
  const [kind, token] = typeof publicToken === 'string' ? ['public', publicToken] : ['private', privateToken];
  if (typeof token !== 'string') return undefined;
  const record = deps.storefrontTokens.get(token);
  return record?.kind === kind ? record.scopes : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let text = '';
    let tooLarge = false;
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      if (tooLarge) return;
      text += chunk;
      tooLarge = text.length > MAX_BODY_LENGTH;
    });
    req.on('end', () => resolve(tooLarge ? undefined : text));
    req.on('error', reject);
  });
}
