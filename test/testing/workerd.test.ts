import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CUSTOMER, readSchemas } from '../../src/testing/index.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const JUNE_2026 = Date.UTC(2026, 5, 15);
const ENDPOINT = 'https://emulator.myshopify.test/api/2026-04/graphql.json';

let mf: Miniflare;
let nodeImports: string[];

beforeAll(async () => {
  // The package's fetch-only testing entry, bundled the way a worker build does, with node: built-ins left
  // external: the bundle must still import none of them.
  const result = await build({
    entryPoints: [here('./worker/emulatorWorker.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker'],
    external: ['node:*'],
    logLevel: 'silent',
    metafile: true,
  });
  nodeImports = Object.values(result.metafile.outputs).flatMap((output) =>
    output.imports.filter((i) => i.path.startsWith('node:')).map((i) => i.path),
  );
  mf = new Miniflare({
    modules: true,
    script: result.outputFiles[0]!.text,
    compatibilityDate: '2026-04-01',
    bindings: { SCHEMAS: { '2026-04': readSchemas()['2026-04']! }, NOW: JUNE_2026 },
  });
}, 30_000);
afterAll(() => mf?.dispose());

const post = async (token: string, query: string, variables?: Record<string, unknown>) => {
  const response = await mf.dispatchFetch(ENDPOINT, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Shopify-Storefront-Access-Token': token },
    body: JSON.stringify({ query, variables }),
  });
  return { response, body: (await response.json()) as any };
};

describe('the emulator inside workerd (miniflare)', () => {
  it('bundles without a single node: import', () => {
    expect(nodeImports).toEqual([]);
  });

  it('bundles the testing/fetch entry for a browser with no externals at all', async () => {
    const result = await build({
      entryPoints: [here('../../src/testing/fetch.ts')],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      logLevel: 'silent',
      metafile: true,
    });
    expect(Object.keys(result.metafile.inputs).filter((input) => input.startsWith('node:'))).toEqual([]);
  });

  it('signs a customer in and reads them back with the token, across requests to the same isolate', async () => {
    const { public: token } = (await (await mf.dispatchFetch('https://emulator.myshopify.test/tokens')).json()) as {
      public: string;
    };
    const created = await post(
      token,
      'mutation Create($input: CustomerAccessTokenCreateInput!) { customerAccessTokenCreate(input: $input) ' +
        '{ customerAccessToken { accessToken expiresAt } customerUserErrors { code } } }',
      { input: { email: DEFAULT_CUSTOMER.email, password: DEFAULT_CUSTOMER.password } },
    );
    expect(created.response.status).toBe(200);
    expect(created.response.headers.get('x-shopify-api-version')).toBe('2026-04');
    const issued = created.body.data.customerAccessTokenCreate.customerAccessToken;
    expect(issued.expiresAt).toBe('2026-07-27T00:00:00Z'); // the emulator clock plus 42 days
    expect(created.body.extensions).toEqual({ cost: { requestedQueryCost: 13 } });

    const read = await post(token, 'query C($t: String!) { customer(customerAccessToken: $t) { email } }', {
      t: issued.accessToken,
    });
    expect(read.body).toMatchObject({ data: { customer: { email: DEFAULT_CUSTOMER.email } } });
  });

  it('refuses an unknown storefront token with 401', async () => {
    const { response } = await post('not-a-token', '{ shop { name } }');
    expect(response.status).toBe(401);
  });
});
