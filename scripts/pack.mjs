// Packs the package exactly as `npm publish` would (prepack builds dist/ first) and answers where the
// tarball is and what is in it. Shared by `npm run lint:package` and the consumer and browser tests, so
// every check runs against the same bytes a registry would serve.
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository root. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The npm executable for this platform. */
export const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/**
 * Runs `npm pack` (which runs `prepack`, i.e. a clean build) into a fresh temporary folder.
 *
 * @param {string} [destination] - the folder to write the tarball to; a new temporary folder by default.
 * @returns {Promise<{ tarball: string, files: string[], name: string, version: string }>}
 */
export async function packPackage(destination) {
  const dir = destination ?? (await mkdtemp(join(tmpdir(), 'scs-pack-')));
  const { stdout } = await run(npm, ['pack', '--json', '--pack-destination', dir], {
    cwd: root,
    maxBuffer: 64 << 20,
    env: { ...process.env, npm_config_loglevel: 'error' },
  });
  // prepack's own output (tsc) goes to stderr/stdout before the JSON; the JSON is the last array printed.
  const json = stdout.slice(stdout.lastIndexOf('\n[') + 1 || stdout.indexOf('['));
  const [packed] = JSON.parse(json);
  return {
    tarball: join(dir, packed.filename),
    files: packed.files.map((/** @type {{ path: string }} */ f) => f.path),
    name: packed.name,
    version: packed.version,
  };
}
