import { execFile, spawn } from 'node:child_process';
import { cp, lstat, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bundlePage,
  createAppBeside,
  createConsumerApp,
  fixtures,
  nodeFromNpm,
  runTool,
  type AppBeside,
  type ConsumerApp,
} from '../../scripts/consumer-app.js';
import { childNpmEnv, npm, packPackage, packedVersions, root, type Packed } from '../../scripts/pack.js';
import { rootVersion } from '../../generated/versions.js';

// `npm run test:consumers`: the packed tarball installed into throwaway apps the way app teams install
// it, each app running the renew flow (sign in → clock into the renewal window → renew → read customer)
// against the emulator it starts from the installed package's `/testing` entry.

const EMAIL = 'customer@example.com';
const WITH_GRAPHQL = ['@urql/core@^6', 'graphql@^16.8'];
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
    // graphql is an optional peer: these apps run the emulator (/testing) or type-check against the documents.
    createConsumerApp({ tarball: packed.tarball, fixture: 'esm', type: 'module', dependencies: WITH_GRAPHQL }),
    createConsumerApp({ tarball: packed.tarball, fixture: 'cjs', type: 'commonjs', dependencies: WITH_GRAPHQL }),
    createConsumerApp({
      tarball: packed.tarball,
      fixture: 'typescript',
      type: 'module',
      dependencies: [...WITH_GRAPHQL, '@types/node@^20.19'],
    }),
    createConsumerApp({ tarball: packed.tarball, fixture: 'browser', type: 'module', dependencies: WITH_GRAPHQL }),
  ]);
  Object.assign(apps, { esm, cjs, typescript, browser });
});

afterAll(async () => {
  await Promise.all(Object.values(apps).map((app) => app.remove()));
  if (packed) await rm(join(packed.tarball, '..'), { recursive: true, force: true });
});

function expectRenewedOnEveryVersion(report: FlowReport): void {
  expect(report.root).toBe(rootVersion); // pinned in codegen.ts, not the newest (README, version policy)
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
        'dist/src/codegen/index.js',
        'dist/src/runtime/codegenRuntime.js',
        'LICENSE',
        'CHANGELOG.md',
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
        !/^(package\.json|README\.md|LICENSE|CHANGELOG\.md|dist\/.+)$/.test(f) ||
        /\.test(-d)?\.|\.ts$(?<!\.d\.ts)/.test(f),
    );
    expect(stray).toEqual([]);
    expect(packed.files.filter((f) => /demo/.test(f))).toEqual([]);
    console.log(`tarball (${packed.files.length} files):\n${[...packed.files].sort().join('\n')}`);
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

  it(
    'runs the emulator from dist (schemas included) and renews a token file against it ' + 'without printing the token',
    async () => {
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
              'mutation($input: CustomerAccessTokenCreateInput!) { customerAccessTokenCreate(input: ' +
              '$input) { customerAccessToken { accessToken expiresAt } } }',
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
    },
  );
});

describe('a CommonJS Node app', () => {
  it(
    'requires the ESM-only package (require(esm)) and renews a customer token on each ' +
      `version, on Node ${process.version}`,
    async () => {
      const { stdout } = await apps.cjs!.node(['app.cjs', ...versions]);
      expectRenewedOnEveryVersion(JSON.parse(stdout) as FlowReport);
    },
  );

  // The floors of the engines range (require(esm) unflagged) and the newest line, from the npm node package.
  it.each(['20.19.0', '22.12.0', '24'])('does the same on Node %s', async (spec) => {
    const node = await nodeFromNpm(spec);
    expect(node.version.startsWith(`v${spec.split('.').length === 1 ? `${spec}.` : spec}`)).toBe(true);
    const { stdout } = await apps.cjs!.node(['app.cjs', ...versions], node.path);
    expectRenewedOnEveryVersion(JSON.parse(stdout) as FlowReport);
  });
});

describe('graphql 17 on Node 22', () => {
  // graphql 17 needs Node 22+ and refuses every Storefront schema from 2025-10 on when it validates the type
  // system; the emulator, schema check and codegen must work with it anyway (issue: graphql 17 works).
  let app: ConsumerApp;
  let node22: { path: string; version: string };
  const run = (args: string[]) =>
    app.node([join(app.dir, 'node_modules/storefront-customer-session/dist/src/cli/bin.js'), ...args], node22.path);
  beforeAll(async () => {
    node22 = await nodeFromNpm('22');
    app = await createConsumerApp({
      tarball: packed.tarball,
      fixture: 'esm',
      type: 'module',
      dependencies: ['@urql/core@^6', 'graphql@^17', '@graphql-codegen/cli@7', '@graphql-codegen/client-preset@6'],
    });
    await cp(join(root, 'operations'), join(app.dir, 'operations'), { recursive: true });
  }, 240_000);
  afterAll(() => app?.remove());

  it('resolves one graphql, version 17, for the package and the app', async () => {
    expect(node22.version).toMatch(/^v22\./);
    const { stdout } = await app.node(
      ['--input-type=module', '-e', "const g = await import('graphql'); console.log(g.versionInfo.major)"],
      node22.path,
    );
    expect(stdout.trim()).toBe('17');
    const { stdout: tree } = await execFileAsync(npm, ['ls', 'graphql', '--all', '--parseable'], {
      cwd: app.dir,
      env: childNpmEnv(),
    });
    expect(tree.split('\n').filter((line) => line.endsWith('/node_modules/graphql'))).toEqual([
      join(app.dir, 'node_modules/graphql'),
    ]);
  });

  it('runs the emulator (startEmulator, over HTTP) and renews a customer token on every version', async () => {
    const { stdout } = await app.node(['app.mjs', ...versions], node22.path);
    expectRenewedOnEveryVersion(JSON.parse(stdout) as FlowReport);
  });

  it('passes schema check and runs schema diff against every shipped schema', async () => {
    const check = await run(['schema', 'check', '--operations', 'operations', '--versions', versions.join(',')]);
    expect(check.stdout).toMatch(new RegExp(`operation\\(s\\) valid against ${versions.join(', ')} \\(`));
    const diff = await run(['schema', 'diff', versions.at(-2)!, versions.at(-1)!, '--operations', 'operations']);
    expect(diff.stdout).toMatch(new RegExp(`^schema diff ${versions.at(-2)} → ${versions.at(-1)}: `));
  });

  it("compiles operations with the app's graphql-codegen against every shipped schema", async () => {
    const args = [
      'codegen',
      '--operations',
      'operations/*.graphql',
      '--out',
      'generated',
      '--versions',
      versions.join(','),
    ];
    const generated = await run(args);
    expect(generated.stdout).toContain('@graphql-codegen/cli 7.');
    expect((await run([...args, '--check'])).stdout).toContain('codegen --check:');
    expect(await readdir(join(app.dir, 'generated'))).toEqual(versions);
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
      root: rootVersion,
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

  it(
    'bundles for the browser with only what the page uses: no Node built-ins, emulator, CLI, ' +
      'graphql-js parser or other version',
    async () => {
      const { metafile } = await bundlePage(apps.browser!.dir);
      const output = metafile.outputs['dist/page.js']!;
      // What ended up in the bundle (tree-shaken inputs have bytesInOutput 0).
      const used = Object.entries(output.inputs)
        .filter(([, v]) => v.bytesInOutput > 0)
        .map(([path]) => path);
      const ours = used.filter((i) => i.includes('node_modules/storefront-customer-session/'));
      expect(ours).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/dist\/src\/runtime\/customerTokenExchange\.js$/),
          expect.stringMatching(/dist\/src\/runtime\/storefrontExchange\.js$/),
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
      // The runtime loads no graphql-js at all (an optional peer, for the CLI and the emulator).
      expect(used.filter((i) => i.includes('node_modules/graphql/'))).toEqual([]);
      // Only the root's version: the page imports from the root entry.
      expect(
        ours.filter((i) => /\/dist\/generated\/[^/]+\//.test(i) && !i.includes(`/dist/generated/${rootVersion}/`)),
      ).toEqual([]);
      expect(output.bytes).toBeLessThan(80_000);
      expect(await readdir(join(apps.browser!.dir, 'dist'))).toContain('page.js');
    },
  );
});

/** Installed packages and bytes of an app's node_modules (every file, nested node_modules included). */
async function installSize(dir: string): Promise<{ packages: number; bytes: number }> {
  let packages = 0;
  let bytes = 0;
  for (const entry of await readdir(join(dir, 'node_modules'), { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile()) bytes += (await lstat(path)).size;
    if (entry.isFile() && entry.name === 'package.json' && /node_modules\/(@[^/]+\/)?[^/@]+$/.test(entry.parentPath))
      packages++;
  }
  return { packages, bytes };
}

/** Apps that already have a codegen or a bundler when they install the package (issue 11, point 1). */
const BESIDE = [
  {
    name: '@graphql-codegen/cli@5 + @shopify/api-codegen-preset',
    existing: ['@graphql-codegen/cli@5', '@shopify/api-codegen-preset'],
    clientPreset: '@graphql-codegen/client-preset@4',
    cli: '5.',
  },
  {
    name: '@graphql-codegen/cli@6',
    existing: ['@graphql-codegen/cli@6'],
    clientPreset: '@graphql-codegen/client-preset@5',
    cli: '6.',
  },
  {
    name: '@graphql-codegen/cli@7',
    existing: ['@graphql-codegen/cli@7'],
    clientPreset: '@graphql-codegen/client-preset@6',
    cli: '7.',
  },
  { name: 'esbuild@0.25', existing: ['esbuild@0.25'] },
] as const;

describe('installing beside what an app already has', () => {
  const beside = new Map<string, AppBeside>();
  let runtimeOnly: AppBeside;
  let withoutPeers: AppBeside;
  beforeAll(async () => {
    const slug = (name: string) => name.replace(/[^a-z0-9]+/gi, '-');
    // One at a time: four big installs at once are slower on two cores than in a row.
    for (const app of BESIDE) {
      const created = await createAppBeside({
        tarball: packed.tarball,
        name: slug(app.name),
        existing: [...app.existing],
        dependencies: ['@urql/core@^6'],
      });
      beside.set(app.name, created);
    }
    const runtime = { tarball: packed.tarball, existing: [], dependencies: ['@urql/core@^6'] };
    runtimeOnly = await createAppBeside({ ...runtime, name: 'runtime' });
    withoutPeers = await createAppBeside({ ...runtime, name: 'runtime-omit-peer', flags: ['--omit=peer'] });
  }, 900_000);
  afterAll(async () => {
    await Promise.all([...beside.values(), runtimeOnly, withoutPeers].filter(Boolean).map((app) => app.remove()));
  });

  it.each(BESIDE.map((app) => app.name))('installs beside %s with no ERESOLVE and no peer warning about it', (name) => {
    const output = beside.get(name)!.installOutput;
    console.log(`npm install beside ${name}:\n${output.trim() || '(nothing printed)'}`);
    expect(output).not.toMatch(/ERESOLVE|Conflicting peer dependency|Could not resolve dependency/);
    expect(
      output.split('\n').filter((line) => /peer/i.test(line) && line.includes('storefront-customer-session')),
    ).toEqual([]);
  });

  it.each(BESIDE.filter((app) => 'cli' in app).map((app) => app.name))(
    "compiles the example app's operations with the app's own graphql-codegen (%s), type-checks and runs it",
    async (name) => {
      const spec = BESIDE.find((app) => app.name === name) as (typeof BESIDE)[number] & {
        clientPreset: string;
        cli: string;
      };
      const app = beside.get(name)!;
      await app.install([spec.clientPreset]);
      await cp(join(root, 'examples/app/operations'), join(app.dir, 'operations'), { recursive: true });
      await cp(join(root, 'examples/app/app.ts'), join(app.dir, 'app.ts'));
      for (const file of ['tsconfig.json', 'run.mjs'])
        await cp(join(fixtures, 'codegen-app', file), join(app.dir, file));
      const bin = join(app.dir, 'node_modules', '.bin', 'storefront-customer-session');
      const args = [
        'codegen',
        '--operations',
        'operations/*.graphql',
        '--out',
        'generated',
        '--versions',
        '2026-01,2026-04',
      ];
      const generated = await execFileAsync(bin, args, { cwd: app.dir });
      expect(generated.stdout).toContain(`@graphql-codegen/cli ${spec.cli}`);
      const check = await execFileAsync(bin, [...args, '--check'], { cwd: app.dir });
      expect(check.stdout).toContain('codegen --check: 8 files up to date');
      await runTool(app, 'typescript/bin/tsc', ['-p', 'tsconfig.json']);
      const { stdout } = await app.node(['run.mjs']);
      console.log(`the example app beside ${name}: ${stdout.trim()}`);
      expect(JSON.parse(stdout)).toEqual({
        shopName: expect.any(String),
        customerEmail: EMAIL,
        orders: [],
        otherVersion: 'wrong-version-document',
      });
    },
  );

  it('installs only the runtime for an app that only runs the exchanges: no codegen, no esbuild', async () => {
    const size = await installSize(runtimeOnly.dir);
    console.log(`runtime-only install (npm defaults): ${size.packages} packages, ${size.bytes} bytes of node_modules`);
    const names = await readdir(join(runtimeOnly.dir, 'node_modules'));
    expect(names.filter((n) => /codegen|esbuild/.test(n))).toEqual([]);
    // npm installs graphql only as a peer (of @graphql-typed-document-node/core, for the types), never as ours.
    const { stdout: why } = await execFileAsync(npm, ['explain', 'graphql'], {
      cwd: runtimeOnly.dir,
      env: childNpmEnv(),
    });
    expect(why).not.toMatch(/^\s*graphql@\S+ from storefront-customer-session/m);
    expect(why).toMatch(/peerOptional graphql@"\^16\.8\.0 \|\| \^17\.0\.0" from storefront-customer-session/);
  });

  it('runs the exchanges without graphql (npm install --omit=peer), and the CLI helps, then names the install', async () => {
    const size = await installSize(withoutPeers.dir);
    console.log(`runtime-only install (--omit=peer): ${size.packages} packages, ${size.bytes} bytes of node_modules`);
    expect(await readdir(join(withoutPeers.dir, 'node_modules'))).not.toContain('graphql');
    const { stdout } = await withoutPeers.node([
      '--input-type=module',
      '-e',
      "const m = await import('storefront-customer-session/2026-04'); console.log(typeof " +
        'm.storefrontExchange, typeof m.CustomerDocument);',
    ]);
    expect(stdout.trim()).toBe('function object');
    const bin = join(withoutPeers.dir, 'node_modules', '.bin', 'storefront-customer-session');
    const help = await execFileAsync(bin, ['--help'], { cwd: withoutPeers.dir });
    expect(help.stdout).toContain('Usage: storefront-customer-session <command> [options]');
    const cli = await execFileAsync(bin, ['schema', 'check', '--operations', '.'], { cwd: withoutPeers.dir }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('storefront-customer-session: graphql is not installed beside the package (');
    expect(cli.stderr).toContain('npm install --save-dev graphql');
  });
});
