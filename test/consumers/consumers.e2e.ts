import { execFile, spawn } from 'node:child_process';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePage, createConsumerApp, nodeFromNpm, runTool, type ConsumerApp } from '../../scripts/consumer-app.js';
import { packPackage, packedVersions, type Packed } from '../../scripts/pack.js';

// `npm run test:consumers`: the packed tarball installed into throwaway apps the way app teams install
// it, each app running the renew flow (sign in → clock into the renewal window → renew → read customer)
// against the emulator it starts from the installed package's `/testing` entry.

const EMAIL = 'customer@example.com';
const execFileAsync = promisify(execFile);

interface FlowReport {
  root: string;
  versions: Record<string, { apiVersion: string; renewedLater: boolean; email: string }>;
  renewCount: number;
}

let packed: Packed;
let versions: string[];
const apps: Record<string, ConsumerApp> = {};

beforeAll(async () => {
  packed = await packPackage();
  versions = packedVersions(packed);
  // Installs run in parallel; npm's cache makes each a few seconds.
  const [esm, cjs, typescript, browser] = await Promise.all([
    createConsumerApp({ tarball: packed.tarball, fixture: 'esm', type: 'module' }),
    createConsumerApp({ tarball: packed.tarball, fixture: 'cjs', type: 'commonjs' }),
    createConsumerApp({
      tarball: packed.tarball,
      fixture: 'typescript',
      type: 'module',
      dependencies: ['@urql/core@^6', '@types/node@^20.19'],
    }),
    createConsumerApp({ tarball: packed.tarball, fixture: 'browser', type: 'module' }),
  ]);
  Object.assign(apps, { esm, cjs, typescript, browser });
});

afterAll(async () => {
  await Promise.all(Object.values(apps).map((app) => app.remove()));
  if (packed) await rm(join(packed.tarball, '..'), { recursive: true, force: true });
});

function expectRenewedOnEveryVersion(report: FlowReport): void {
  expect(report.root).toBe(versions.at(-1));
  expect(Object.keys(report.versions)).toEqual(versions);
  for (const version of versions) {
    expect(report.versions[version], version).toEqual({ apiVersion: version, renewedLater: true, email: EMAIL });
  }
  expect(report.renewCount).toBe(versions.length);
}

describe('the packed tarball', () => {
  it('holds the built entry points, the schemas and the manifest, and no sources or tests', () => {
    expect(packed.files).toEqual(
      expect.arrayContaining([
        'package.json',
        'dist/src/index.js',
        'dist/src/index.d.ts',
        'dist/src/testing/index.js',
        'dist/src/cli/bin.js',
      ]),
    );
    for (const version of versions) {
      expect(packed.files).toEqual(
        expect.arrayContaining([
          `dist/generated/${version}/entry.js`,
          `dist/generated/${version}/entry.d.ts`,
          `dist/schema/${version}.graphql`,
        ]),
      );
    }
    expect(versions.length).toBeGreaterThan(0);
    const stray = packed.files.filter(
      (f) =>
        !/^(package\.json|README\.md|LICENSE(\.md)?|dist\/.+)$/.test(f) || /\.test(-d)?\.|\.ts$(?<!\.d\.ts)/.test(f),
    );
    expect(stray).toEqual([]);
  });
});

describe('an ESM Node app', () => {
  it('imports the root, every version entry and /testing, and renews a customer token on each version', async () => {
    const { stdout } = await apps.esm!.node(['app.mjs', ...versions]);
    expectRenewedOnEveryVersion(JSON.parse(stdout) as FlowReport);
  });
});

describe('the installed bin', () => {
  it('runs from node_modules/.bin with its shebang, lists its commands and exits 2 on an unknown one', async () => {
    const bin = join(apps.esm!.dir, 'node_modules', '.bin', 'storefront-customer-session');
    const help = await execFileAsync(bin, ['--help'], { cwd: apps.esm!.dir });
    expect(help.stdout).toMatch(/schema pull/);
    const unknown = await execFileAsync(bin, ['no-such-command'], { cwd: apps.esm!.dir }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command/);
  });

  it('runs the emulator from dist (schemas included) and renews a token file against it without printing the token', async () => {
    const bin = join(apps.esm!.dir, 'node_modules', '.bin', 'storefront-customer-session');
    const child = spawn(bin, ['emulator', '--port', '0'], { cwd: apps.esm!.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      let banner = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          banner += chunk;
          if (/public token:.*\n/.test(banner) && /customer:.*\n/.test(banner)) resolve();
        });
        child.on('exit', (code) => reject(new Error(`emulator exited with ${code} before listening: ${banner}`)));
      });
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)![1]!;
      const storeDomain = /store domain:\s+(\S+)/.exec(banner)![1]!;
      const publicToken = /public token:\s+(\S+)/.exec(banner)![1]!;
      const [, email, password] = /customer:\s+(\S+) \/ (\S+)/.exec(banner)!;
      const newest = versions.at(-1)!;
      const signIn = await fetch(`${url}/api/${newest}/graphql.json`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Shopify-Storefront-Access-Token': publicToken },
        body: JSON.stringify({
          query:
            'mutation($input: CustomerAccessTokenCreateInput!) { customerAccessTokenCreate(input: $input) { customerAccessToken { accessToken expiresAt } } }',
          variables: { input: { email, password } },
        }),
      });
      const first = (
        (await signIn.json()) as {
          data: { customerAccessTokenCreate: { customerAccessToken: { accessToken: string; expiresAt: string } } };
        }
      ).data.customerAccessTokenCreate.customerAccessToken;
      const tokenFile = join(apps.esm!.dir, 'customer-token.json');
      await writeFile(tokenFile, JSON.stringify(first), { mode: 0o600 });

      const renewed = await execFileAsync(
        bin,
        ['renew', '--store', storeDomain, '--version', newest, '--token-file', tokenFile],
        {
          cwd: apps.esm!.dir,
          env: { ...process.env, SHOPIFY_STOREFRONT_TOKEN: publicToken },
        },
      );
      const second = JSON.parse(await readFile(tokenFile, 'utf8')) as { accessToken: string; expiresAt: string };
      expect(second.accessToken).not.toBe(first.accessToken);
      expect(Date.parse(second.expiresAt)).toBeGreaterThanOrEqual(Date.parse(first.expiresAt));
      expect(`${renewed.stdout}${renewed.stderr}`).not.toContain(first.accessToken);
      expect(`${renewed.stdout}${renewed.stderr}`).not.toContain(second.accessToken);
      expect(renewed.stdout).toContain(second.expiresAt);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});

describe('a CommonJS Node app', () => {
  it(`requires the ESM-only package (require(esm)) and renews a customer token on each version, on Node ${process.version}`, async () => {
    const { stdout } = await apps.cjs!.node(['app.cjs', ...versions]);
    expectRenewedOnEveryVersion(JSON.parse(stdout) as FlowReport);
  });

  // The floors of the engines range (require(esm) unflagged) and the newest line, from the npm node package.
  it.each(['20.19.0', '22.12.0', '24'])('does the same on Node %s', async (spec) => {
    const node = await nodeFromNpm(spec);
    expect(node.version.startsWith(`v${spec.split('.').length === 1 ? `${spec}.` : spec}`)).toBe(true);
    const { stdout } = await apps.cjs!.node(['app.cjs', ...versions], node.path);
    expectRenewedOnEveryVersion(JSON.parse(stdout) as FlowReport);
  });
});

describe('a TypeScript app', () => {
  it('pins a version the package still ships', async () => {
    const source = await readFile(join(apps.typescript!.dir, 'app.ts'), 'utf8');
    const pinned = /from 'storefront-customer-session\/(\d{4}-\d{2})'/.exec(source)?.[1];
    expect(
      versions,
      'scripts/consumers/typescript/app.ts pins a version the package no longer ships: update it',
    ).toContain(pinned);
  });

  // NodeNext as a Node app sets it up (lib without DOM, so skipLibCheck on: wonka's .d.ts names HTMLElement);
  // bundler with skipLibCheck off, so the package's own .d.ts files are checked too.
  it.each(['nodenext', 'bundler'])('type-checks under moduleResolution %s', async (resolution) => {
    await expect(
      runTool(apps.typescript!, 'typescript/bin/tsc', ['-p', `tsconfig.${resolution}.json`, '--noEmit']),
    ).resolves.toBeDefined();
  });

  it('compiles under NodeNext and renews a customer token through the typed documents', async () => {
    await runTool(apps.typescript!, 'typescript/bin/tsc', ['-p', 'tsconfig.nodenext.json']);
    const { stdout } = await apps.typescript!.node(['out/app.js']);
    expect(JSON.parse(stdout)).toEqual({
      root: versions.at(-1),
      pinned: '2026-04',
      refusedOtherVersion: true,
      renewedLater: true,
      email: EMAIL,
      renewCount: 1,
    });
  });
});

describe('a browser bundle built with esbuild', () => {
  it('type-checks the page under moduleResolution bundler with the DOM library', async () => {
    await expect(
      runTool(apps.browser!, 'typescript/bin/tsc', ['-p', 'tsconfig.json', '--noEmit']),
    ).resolves.toBeDefined();
  });

  it('bundles for the browser with only what the page uses: no Node built-ins, emulator, CLI, graphql-js parser or other version', async () => {
    const { metafile } = await bundlePage(apps.browser!.dir);
    const output = metafile.outputs['dist/page.js']!;
    // What ended up in the bundle (tree-shaken inputs have bytesInOutput 0).
    const used = Object.entries(output.inputs)
      .filter(([, v]) => v.bytesInOutput > 0)
      .map(([path]) => path);
    const ours = used.filter((i) => i.includes('node_modules/storefront-customer-session/'));
    expect(ours).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/dist\/src\/customerTokenExchange\.js$/),
        expect.stringMatching(/dist\/src\/storefrontExchange\.js$/),
      ]),
    );
    expect(
      used.filter(
        (i) =>
          i.startsWith('node:') ||
          /\/dist\/src\/(testing|cli|schema|codegen)\//.test(i) ||
          i.endsWith('/dist/src/cli/bin.js'),
      ),
    ).toEqual([]);
    // graphql-js may contribute its Kind enum (imported by the exchanges), never its parser, validation or execution.
    expect(used.filter((i) => i.includes('node_modules/graphql/') && !i.endsWith('/language/kinds.mjs'))).toEqual([]);
    const newest = versions.at(-1)!;
    expect(
      ours.filter((i) => /\/dist\/generated\/[^/]+\//.test(i) && !i.includes(`/dist/generated/${newest}/`)),
    ).toEqual([]);
    expect(output.bytes).toBeLessThan(80_000);
    expect(await readdir(join(apps.browser!.dir, 'dist'))).toContain('page.js');
  });
});
