import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

// `npm ci` is quiet on every Node line the package supports: no package it installs (on Linux x64, as CI does)
// declares an engine those lines miss (EBADENGINE), and every install script is reviewed in allowScripts (npm 11's
// advisory list; npm 12 blocks the ones not listed). Read from package-lock.json, so it needs no install.

const root = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  engines: { node: string };
  allowScripts?: Record<string, boolean>;
};
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<
    string,
    { version?: string; engines?: { node?: string }; cpu?: string[]; os?: string[]; hasInstallScript?: boolean }
  >;
};

/** The lowest version of each supported line, and the newest line CI runs (package.json engines: ^20.19 || >=22.12). */
const LINES = ['20.19.0', '22.12.0', '24.0.0'];

/** The lock's packages npm installs on Linux x64 (platform packages for other systems are skipped, unchecked). */
const installed = Object.entries(lock.packages).filter(
  ([path, entry]) =>
    path !== '' &&
    (!entry.cpu || entry.cpu.includes('x64')) &&
    (!entry.os || entry.os.includes('linux')) &&
    // A wasm32 binding's own dependencies are installed only with it.
    !path.includes('binding-wasm32') &&
    !path.endsWith('@napi-rs/wasm-runtime'),
);

describe('npm ci on the supported Node lines', () => {
  it('covers what package.json promises', () => {
    for (const line of LINES) expect(semver.satisfies(line, pkg.engines.node), line).toBe(true);
  });

  it.each(LINES)('installs nothing whose engines exclude Node %s (no EBADENGINE warning)', (line) => {
    const excluded = installed
      .filter(([, entry]) => entry.engines?.node && !semver.satisfies(line, entry.engines.node))
      .map(([path, entry]) => `${path}@${entry.version} needs node ${entry.engines!.node}`);
    expect(excluded).toEqual([]);
  });

  it('lists every dependency with an install script in allowScripts', () => {
    const scripted = installed
      .filter(([, entry]) => entry.hasInstallScript)
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(scripted.length).toBeGreaterThan(0);
    expect(scripted.filter((name) => pkg.allowScripts?.[name] === undefined)).toEqual([]);
  });
});
