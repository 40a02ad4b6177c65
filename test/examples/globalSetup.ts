import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { TestProject } from 'vitest/node';
import { packPackage } from '../../scripts/pack.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The packed tarball every example installs. */
    tarball: string;
  }
}

/**
 * Packs the package once (`npm pack`, which builds dist/ first) for every example; `EXAMPLES_TARBALL` names an
 * already packed one instead (kept), to iterate on an example.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.EXAMPLES_TARBALL;
  if (given) {
    project.provide('tarball', given);
    return async () => {};
  }
  const packed = await packPackage();
  project.provide('tarball', packed.tarball);
  return () => rm(dirname(packed.tarball), { recursive: true, force: true });
}
