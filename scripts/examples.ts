/**
 * The recipes in `examples/` (Next.js, a React Router worker, a React SPA) as app teams would run them: each is
 * copied into a temporary folder, gets the packed tarball in place of its `storefront-customer-session`
 * dependency, installs its own packages (npm's cache, the registry only), and is built and started against the
 * Storefront emulator from the installed package.
 *
 * `npm run test:examples` tests them (test/examples/); `npm run example -- <name>` runs one by hand:
 *
 *   npm run example -- nextjs        # http://127.0.0.1:3000
 *   npm run example -- react-router-worker
 *   npm run example -- react-spa
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build, type Plugin } from 'esbuild';
import type { Miniflare, Request as MiniflareRequest } from 'miniflare';
import type * as Testing from '../src/testing/index.js';
import { childNpmEnv, npm, packPackage, root } from './pack.js';

const exec = promisify(execFile);

/** The recipes, each a folder of `examples/`. */
export const EXAMPLES = ['nextjs', 'react-router-worker', 'react-spa'] as const;
export type ExampleName = (typeof EXAMPLES)[number];

/** An example installed into a temporary folder. */
export interface ExampleApp {
  name: ExampleName;
  dir: string;
  /** Runs a binary of the app's `node_modules/.bin` in its folder; rejects with its output when it fails. */
  bin(name: string, args: string[], env?: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }>;
  /** Imports a module the way the app resolves it (its own node_modules, the package's exports map). */
  import<T>(specifier: string): Promise<T>;
  remove(): Promise<void>;
}

/**
 * Copies `examples/<name>` into a temporary folder, points its `storefront-customer-session` dependency at
 * `tarball`, and installs (`--prefer-offline`: npm's one cache, the registry only for what it lacks).
 */
export async function installExample(name: ExampleName, tarball: string): Promise<ExampleApp> {
  const source = join(root, 'examples', name);
  const dir = await mkdtemp(join(tmpdir(), `scs-example-${name}-`));
  const skip = new Set(['node_modules', '.next', 'dist', 'build', 'next-env.d.ts']);
  await cp(source, dir, {
    recursive: true,
    filter: (path) =>
      !path
        .slice(source.length)
        .split(sep)
        .some((part) => skip.has(part)),
  });
  const manifestPath = join(dir, 'package.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { dependencies: Record<string, string> };
  manifest.dependencies['storefront-customer-session'] = `file:${tarball}`;
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  await exec(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel', 'error'], {
    cwd: dir,
    env: childNpmEnv(),
    maxBuffer: 16 << 20,
  });
  const require = createRequire(manifestPath);
  return {
    name,
    dir,
    bin: (bin, args, env = {}) =>
      exec(join(dir, 'node_modules', '.bin', bin), args, {
        cwd: dir,
        env: { ...childNpmEnv(), ...env },
        maxBuffer: 64 << 20,
      }),
    import: async <T>(specifier: string) => (await import(pathToFileURL(require.resolve(specifier)).href)) as T,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The installed package's `/testing` entry (the emulator), as the app resolves it. */
export function emulatorOf(app: ExampleApp): Promise<typeof Testing> {
  return app.import<typeof Testing>('storefront-customer-session/testing');
}

/** A free TCP port on 127.0.0.1 (for servers that take a port number, not 0). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

/** Polls `url` until it answers (any status), or rejects after `timeoutMs` with what `output()` says. */
export async function waitForHttp(url: string, timeoutMs: number, output: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await fetch(url, { redirect: 'manual' });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms.\n${output()}`);
      await new Promise((done) => setTimeout(done, 200));
    }
  }
}

/** A started app: where it answers, and how to stop it. */
export interface Running {
  url: string;
  stop(): Promise<void>;
}

// ---- Next.js: `next build`, then `next start` on 127.0.0.1 with the emulator's domain and token in the env.

export function nextEnv(emulator: { storeDomain: string; publicAccessToken: string }): NodeJS.ProcessEnv {
  return {
    STOREFRONT_DOMAIN: emulator.storeDomain,
    STOREFRONT_PUBLIC_TOKEN: emulator.publicAccessToken,
    NEXT_TELEMETRY_DISABLED: '1',
  };
}

export async function buildNext(app: ExampleApp): Promise<void> {
  await app.bin('next', ['build'], { NEXT_TELEMETRY_DISABLED: '1' });
}

export async function startNext(app: ExampleApp, env: NodeJS.ProcessEnv, port?: number): Promise<Running> {
  const listen = port ?? (await freePort());
  const child = spawn(join(app.dir, 'node_modules', '.bin', 'next'), ['start', '-H', '127.0.0.1', '-p', `${listen}`], {
    cwd: app.dir,
    env: { ...childNpmEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const url = `http://127.0.0.1:${listen}`;
  await waitForHttp(`${url}/`, 60_000, () => output);
  return { url, stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}

// ---- The React Router worker: bundled for workerd with esbuild, run in miniflare.

/**
 * Replaces `process.env.NODE_ENV` with `"production"` in dependencies that read it bare (React, `@urql/core`), as
 * every Workers build does (wrangler, Vite), but never in `storefront-customer-session`: the package must run in
 * workerd without `process` (no `nodejs_compat`) on its own.
 */
const nodeEnvForDependenciesOnly: Plugin = {
  name: 'node-env-for-dependencies-only',
  setup(esbuild) {
    esbuild.onLoad({ filter: /[\\/]node_modules[\\/].*\.(c|m)?js$/ }, async (args) => {
      if (/[\\/]node_modules[\\/]storefront-customer-session[\\/]/.test(args.path)) return undefined;
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('process.env.NODE_ENV')) return undefined;
      return { contents: source.replaceAll('process.env.NODE_ENV', '"production"'), loader: 'js' };
    });
  },
};

/**
 * The worker type-checked (`tsc --noEmit`, against the packed package's types) and bundled the way a Workers build
 * does (ESM, workerd conditions), answered as source text.
 */
export async function bundleWorker(app: ExampleApp): Promise<string> {
  await app.bin('tsc', ['--noEmit']);
  const result = await build({
    absWorkingDir: app.dir,
    entryPoints: ['server.ts'],
    bundle: true,
    write: false,
    format: 'esm',
    // `neutral`, not `browser`: esbuild defines process.env.NODE_ENV for browser bundles.
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'import', 'module'],
    mainFields: ['module', 'main'],
    target: 'es2022',
    plugins: [nodeEnvForDependenciesOnly],
    logLevel: 'error',
  });
  return result.outputFiles[0]!.text;
}

/** The environment the worker reads (its `Env`). */
export interface WorkerEnv {
  SESSION_SECRET: string;
  STOREFRONT_DOMAIN: string;
  STOREFRONT_PUBLIC_TOKEN: string;
}

/**
 * The worker in miniflare, with no `nodejs_compat`: its `fetch` to the store goes to `storefront` (the emulator's
 * fetch handler) through miniflare's outbound service, so the worker's code is what runs in production.
 */
export async function startWorker(
  script: string,
  env: WorkerEnv,
  storefront: (request: Request) => Promise<Response>,
  port?: number,
): Promise<{ mf: Miniflare; url: string }> {
  const { Miniflare, Response: MiniflareResponse } = await import('miniflare');
  const mf = new Miniflare({
    modules: [{ type: 'ESModule', path: 'server.js', contents: script }],
    compatibilityDate: '2026-04-01',
    compatibilityFlags: [], // no nodejs_compat: no `process`, no node: modules
    bindings: { ...env },
    // Miniflare's Request and Response are its own undici's: hand the emulator a global Request, and back.
    outboundService: async (request: MiniflareRequest) => {
      const { method, url } = request;
      const body = method === 'GET' || method === 'HEAD' ? null : await request.text();
      const answer = await storefront(new Request(url, { method, headers: [...request.headers], body }));
      return new MiniflareResponse(await answer.arrayBuffer(), { status: answer.status, headers: [...answer.headers] });
    },
    ...(port === undefined ? {} : { host: '127.0.0.1', port }),
  });
  const url = (await mf.ready).href.replace(/\/$/, '');
  return { mf, url };
}

// ---- The React SPA: `vite build` with the emulator's domain and token, then served as static files.

export async function buildSpa(app: ExampleApp, emulator: { storeDomain: string; publicAccessToken: string }) {
  await app.bin('tsc', ['--noEmit']);
  await app.bin('vite', ['build', '--logLevel', 'warn'], {
    VITE_STOREFRONT_DOMAIN: emulator.storeDomain,
    VITE_STOREFRONT_PUBLIC_TOKEN: emulator.publicAccessToken,
  });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Serves `dir` on 127.0.0.1 (index.html for every path without a file: the SPA's routes). */
export async function serveStatic(dir: string, port = 0): Promise<{ server: Server; port: number }> {
  const base = resolve(dir);
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    if (path === '/favicon.ico') return void response.writeHead(204).end();
    const file = resolve(base, `.${path}`);
    const inside = file.startsWith(`${base}${sep}`);
    const send = (name: string) =>
      readFile(name).then((body) => {
        response.writeHead(200, { 'Content-Type': TYPES[extname(name)] ?? 'application/octet-stream' }).end(body);
      });
    (inside && extname(file) ? send(file) : send(join(base, 'index.html'))).catch(() => response.writeHead(404).end());
  });
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  return { server, port: (server.address() as AddressInfo).port };
}

// ---- `npm run example -- <name>`: pack, install, build, and run one recipe against the emulator until Ctrl-C.

async function main(name: string | undefined): Promise<void> {
  if (!EXAMPLES.includes(name as ExampleName)) {
    console.error(`Usage: npm run example -- <${EXAMPLES.join(' | ')}>`);
    process.exit(2);
  }
  console.log('packing the package and installing the example (a minute or two the first time) …');
  const given = process.env.EXAMPLES_TARBALL; // an already packed tarball, kept
  const tarball = given ?? (await packPackage()).tarball;
  const app = await installExample(name as ExampleName, tarball);
  const testing = await emulatorOf(app);
  const emulator = await testing.startEmulator({ port: 8787 });
  const stops: Array<() => Promise<unknown>> = [() => emulator.close(), () => app.remove()];
  let url: string;
  if (name === 'nextjs') {
    await buildNext(app);
    const running = await startNext(app, nextEnv(emulator), 3000);
    stops.unshift(running.stop);
    url = `${running.url}/`;
  } else if (name === 'react-router-worker') {
    const env = {
      SESSION_SECRET: 'a-secret-for-the-example',
      STOREFRONT_DOMAIN: emulator.storeDomain,
      STOREFRONT_PUBLIC_TOKEN: emulator.publicAccessToken,
    };
    const worker = await startWorker(await bundleWorker(app), env, (request) => fetch(request), 8788);
    stops.unshift(() => worker.mf.dispose());
    url = `${worker.url}/`;
  } else {
    await buildSpa(app, emulator);
    const { server, port } = await serveStatic(join(app.dir, 'dist'), 5173);
    stops.unshift(() => new Promise((done) => server.close(done)));
    url = `http://localhost:${port}/`;
  }
  console.log(`\n${name} on ${url}\nemulator on ${emulator.url}`);
  console.log(`sign in as ${testing.DEFAULT_CUSTOMER.email} / ${testing.DEFAULT_CUSTOMER.password}; Ctrl-C stops`);
  process.once('SIGINT', () => {
    void (async () => {
      for (const stop of stops) await stop().catch(() => undefined);
      if (!given) await rm(join(tarball, '..'), { recursive: true, force: true });
      process.exit(0);
    })();
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv[2]).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
