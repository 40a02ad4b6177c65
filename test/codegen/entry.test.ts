import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client, type Exchange, type OperationResult } from '@urql/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { map, pipe } from 'wonka';

const repo = resolve(import.meta.dirname, '../..');
const exec = promisify(execFile);
const manifest = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
let scratch: string;

/** A version entry of the scratch copy, as the package's `/<version>` entry points are built from it. */
type Entry = Record<string, unknown> & { storefrontExchange: (options: object) => Exchange };

beforeAll(async () => {
  // A scratch copy of the repo's codegen inputs (two versions, the faster the better) with one more operation.
  scratch = await mkdtemp(join(tmpdir(), 'scs-add-operation-'));
  for (const part of ['codegen.ts', 'src', 'operations'])
    await cp(join(repo, part), join(scratch, part), { recursive: true });
  await mkdir(join(scratch, 'schema'));
  for (const version of ['2026-01', '2026-04'])
    await cp(join(repo, `schema/${version}.graphql`), join(scratch, `schema/${version}.graphql`));
  await writeFile(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
  await symlink(join(repo, 'node_modules'), join(scratch, 'node_modules'), 'dir');
  await writeFile(
    join(scratch, 'operations/ThrowawayOrders.graphql'),
    '# A throwaway operation.\nquery ThrowawayOrders($customerAccessToken: String!, $first: Int!) {\n' +
      '  customer(customerAccessToken: $customerAccessToken) {\n' +
      '    orders(first: $first) {\n      nodes {\n        id\n      }\n    }\n  }\n}\n',
  );
  // `npm run codegen`, as package.json has it, with node_modules/.bin on PATH as npm puts it.
  await exec('/bin/sh', ['-c', manifest.scripts['codegen']!], {
    cwd: scratch,
    env: { ...process.env, PATH: `${join(repo, 'node_modules/.bin')}:${process.env['PATH']}` },
  });
}, 90_000);
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('adding an operation (one .graphql file and npm run codegen)', () => {
  it('exports it from every version entry, bound to that version and token-injected', async () => {
    const keys = new Set<string>();
    for (const version of ['2026-01', '2026-04']) {
      const entry = await readFile(join(scratch, `generated/${version}/entry.ts`), 'utf8');
      // The urql key comes from codegen (a hash of the version and the operation's text): nothing hashed at import.
      const key =
        /export const ThrowawayOrdersDocument = \/\*#__PURE__\*\/ withInjectedToken\(\/\*#__PURE__\*\/ versionDocument\(ThrowawayOrdersSource, apiVersion, (\d+)\)\);/.exec(
          entry,
        )?.[1];
      expect(key).toBeDefined();
      keys.add(key!);
      expect(entry).toMatch(/^ {2}ThrowawayOrdersQuery,$/m);
      expect(entry).toContain(' * A throwaway operation.');
    }
    expect(keys.size, 'each version has its own key for the same text').toBe(2);
  });

  it("is refused by another version's storefrontExchange, and sent by its own", async () => {
    const older = (await import(join(scratch, 'generated/2026-01/entry.ts'))) as Entry;
    const newer = (await import(join(scratch, 'generated/2026-04/entry.ts'))) as Entry;
    const sent: string[] = [];
    const answer: Exchange = () => (ops$) =>
      pipe(
        ops$,
        map((operation): OperationResult => {
          if (operation.kind !== 'teardown') sent.push(String(operation.context.url));
          return { operation, data: { customer: null }, stale: false, hasNext: false };
        }),
      );
    const client = (entry: Entry) =>
      new Client({
        url: 'https://shop.example.com',
        exchanges: [entry.storefrontExchange({ storeDomain: 'shop.example.com', publicAccessToken: 'public' }), answer],
      });
    const variables = { customerAccessToken: 'token', first: 1 };
    const refused = await client(newer)
      .query(older['ThrowawayOrdersDocument'] as never, variables)
      .toPromise();
    const signalOf = newer['signalOf'] as (result: OperationResult) => unknown;
    expect(signalOf(refused)).toEqual({
      kind: 'wrong-version-document',
      operationName: 'ThrowawayOrders',
      apiVersion: '2026-04',
      documentVersion: '2026-01',
    });
    expect(sent).toEqual([]);
    const own = await client(older)
      .query(older['ThrowawayOrdersDocument'] as never, variables)
      .toPromise();
    expect(own.error).toBeUndefined();
    expect(sent).toEqual(['https://shop.example.com/api/2026-01/graphql.json']);
  });
});
