import { LIBRARY } from '../runtime/errors.js';
import { API_VERSION_HEADER } from '../runtime/endpoint.js';
import { assertWellFormedVersion } from '../runtime/versions.js';
import { INTROSPECTION_QUERY, introspectionOf, sha256, type PulledSchema } from './introspection.js';

import { PUBLIC_SCHEMA_URLS, PUBLIC_URLS_ENV } from './sources.js';

export { PUBLIC_SCHEMA_URLS, PUBLIC_URLS_ENV } from './sources.js';

/** No keyless endpoint is waited on for longer than this. */
export const PUBLIC_TIMEOUT_MS = 15_000;

/** Options of {@link pullPublicSchema}. */
export interface PublicOptions {
  /** URL templates with `{version}`; {@link PUBLIC_SCHEMA_URLS} by default. */
  urls?: readonly string[];
  /** The fetch used; the global one by default. */
  fetch?: typeof fetch;
  /** Per-endpoint timeout in ms. @defaultValue {@link PUBLIC_TIMEOUT_MS} */
  timeoutMs?: number;
}

/**
 * Introspects `version` at the keyless endpoints, the first that answers with a schema winning. An endpoint that
 * says (in `X-Shopify-API-Version`) it served another version is refused: that is Shopify falling forward.
 *
 * @throws Error naming each endpoint tried and what it answered.
 */
export async function pullPublicSchema(version: string, options: PublicOptions = {}): Promise<PulledSchema> {
  assertWellFormedVersion(version, 'version');
  const failures: string[] = [];
  for (const template of options.urls ?? PUBLIC_SCHEMA_URLS) {
    const url = template.replaceAll('{version}', version);
    try {
      return await introspect(url, version, options);
    } catch (error) {
      failures.push(`${url}: ${(error as Error).message}`);
    }
  }
  throw new Error(
    `${LIBRARY}: no keyless endpoint answered introspection for API version ("${version}"): ` +
      `${failures.join('; ')}. Check the network, or use --source dev-mcp or --source hydrogen.`,
  );
}

async function introspect(url: string, version: string, options: PublicOptions): Promise<PulledSchema> {
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: INTROSPECTION_QUERY, operationName: 'IntrospectionQuery' }),
      signal: AbortSignal.timeout(options.timeoutMs ?? PUBLIC_TIMEOUT_MS),
    });
  } catch (error) {
    const e = error as { name?: string; cause?: { code?: string } };
    throw new Error(
      e.name === 'TimeoutError' ? 'no answer within the timeout' : `unreachable (${e.cause?.code ?? e.name})`,
    );
  }
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const served = response.headers.get(API_VERSION_HEADER);
  if (served && served !== version) throw new Error(`answered with API version "${served}" (fell forward)`);
  const text = await response.text();
  let introspection;
  try {
    introspection = introspectionOf(JSON.parse(text));
  } catch {
    throw new Error('not a JSON body');
  }
  if (!introspection) throw new Error('no data.__schema in the answer');
  return { introspection, source: `${url} (keyless introspection)`, sha256: sha256(text) };
}

/** The URL templates from the environment's {@link PUBLIC_URLS_ENV}, or `undefined` to use the defaults. */
export function publicUrlsFrom(env: Readonly<Record<string, string | undefined>>): string[] | undefined {
  const urls = env[PUBLIC_URLS_ENV]?.split(/\s+/).filter(Boolean);
  return urls?.length ? urls : undefined;
}
