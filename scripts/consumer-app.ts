/**
 * Throwaway apps that install the packed tarball the way an app team would: a temporary folder, its own
 * package.json, `npm install <tarball> @urql/core`, and the app's sources copied from
 * `scripts/consumers/<fixture>/`. Nothing resolves back into this repository except the tools run on the
 * app (tsc, esbuild), which are passed the app's folder.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build, type Metafile } from 'esbuild';
import { childNpmEnv, npm, root } from './pack.js';

const exec = promisify(execFile);

/** Options for {@link createConsumerApp}. */
export interface ConsumerAppOptions {
  /** The packed `.tgz` to install. */
  tarball: string;
  /** A folder under `scripts/consumers/` whose files become the app. */
  fixture: string;
  /** `module` for an ESM app, `commonjs` for a CommonJS one. */
  type: 'module' | 'commonjs';
  /** More packages to install beside the tarball. @defaultValue `['@urql/core@^6']` */
  dependencies?: string[];
}

/** An installed throwaway app. */
export interface ConsumerApp {
  dir: string;
  /**
   * Runs Node (this one, or the binary at `node`) with `args` in the app folder; rejects with stdout and
   * stderr when it exits non-zero.
   */
  node(args: string[], node?: string): Promise<{ stdout: string; stderr: string }>;
  /** Removes the app folder. */
  remove(): Promise<void>;
}

/** The folder that holds the app fixtures. */
export const fixtures = join(root, 'scripts', 'consumers');

/**
 * Creates an app in a new temporary folder and installs the tarball into it (reusing npm's cache).
 *
 * @returns the app; call `remove()` when done.
 */
export async function createConsumerApp(options: ConsumerAppOptions): Promise<ConsumerApp> {
  const dir = await mkdtemp(join(tmpdir(), `scs-consumer-${options.fixture}-`));
  await cp(join(fixtures, options.fixture), dir, { recursive: true });
  await writeFile(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: `consumer-${options.fixture}`, private: true, type: options.type }, null, 2)}\n`,
  );
  const dependencies = options.dependencies ?? ['@urql/core@^6'];
  await exec(
    npm,
    ['install', options.tarball, ...dependencies, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel', 'error'],
    {
      cwd: dir,
      env: childNpmEnv(),
      maxBuffer: 16 << 20,
    },
  );
  return {
    dir,
    node: (args, node = process.execPath) => exec(node, args, { cwd: dir, maxBuffer: 16 << 20 }),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** An app that already had its own packages when the tarball was installed beside them. */
export interface AppBeside extends ConsumerApp {
  /** What `npm install <tarball> …` printed (stdout and stderr), at npm's default log level. */
  installOutput: string;
  /** Installs more packages into the app. */
  install(packages: string[]): Promise<void>;
}

/**
 * Creates an app that already depends on `existing` (installed first, as a real app has them), then installs the
 * tarball and `dependencies` beside them the way an app team would: no `--legacy-peer-deps`, no `--force`.
 * Rejects when either install fails (an ERESOLVE fails it).
 */
export async function createAppBeside(options: {
  tarball: string;
  name: string;
  existing: string[];
  dependencies: string[];
  /** More `npm install` flags for the tarball's install, e.g. `--omit=peer`. */
  flags?: string[];
}): Promise<AppBeside> {
  const dir = await mkdtemp(join(tmpdir(), `scs-beside-${options.name}-`));
  await writeFile(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: `beside-${options.name}`, private: true, type: 'module' }, null, 2)}\n`,
  );
  const install = async (packages: string[], loglevel = 'error', flags: string[] = []) =>
    exec(
      npm,
      ['install', ...packages, ...flags, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel', loglevel],
      {
        cwd: dir,
        env: childNpmEnv(),
        maxBuffer: 16 << 20,
      },
    );
  if (options.existing.length > 0) await install(options.existing);
  const { stdout, stderr } = await install([options.tarball, ...options.dependencies], 'warn', options.flags);
  return {
    dir,
    installOutput: `${stdout}${stderr}`,
    install: async (packages) => void (await install(packages)),
    node: (args, node = process.execPath) => exec(node, args, { cwd: dir, maxBuffer: 16 << 20 }),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Runs a tool from this repository's node_modules (tsc, esbuild) with the app folder as cwd. */
export function runTool(app: ConsumerApp, bin: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return exec(process.execPath, [join(root, 'node_modules', bin), ...args], { cwd: app.dir, maxBuffer: 16 << 20 });
}

/**
 * Bundles a browser app's `page.ts` with esbuild, resolving packages from the app's own node_modules,
 * into `dist/page.js` (minified ESM for browsers), and answers the metafile.
 */
export async function bundlePage(dir: string): Promise<{ metafile: Metafile }> {
  const result = await build({
    absWorkingDir: dir,
    entryPoints: ['page.ts'],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    outfile: 'dist/page.js',
    metafile: true,
    logLevel: 'error',
  });
  return { metafile: result.metafile };
}

/**
 * A Node binary of another release line from the npm `node` package (`npx -p node@<spec>`), cached by npm.
 *
 * @param spec - e.g. `22`, `20.19.0`.
 * @returns the binary's path and its `process.version`.
 */
export async function nodeFromNpm(spec: string): Promise<{ path: string; version: string }> {
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  const { stdout } = await exec(
    npx,
    ['-y', '-p', `node@${spec}`, 'node', '-p', 'JSON.stringify([process.execPath, process.version])'],
    {
      cwd: tmpdir(),
      env: childNpmEnv(),
    },
  );
  const [path, version] = JSON.parse(stdout.trim().split('\n').at(-1)!) as [string, string];
  return { path, version };
}
