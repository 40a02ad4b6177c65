import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A directory of this test run alone (made by vitest's main process, removed when the run ends). */
    runDir: string;
  }
}

/**
 * vitest's global set-up: a directory for this run, for what the test files of one run share (the Redis tests'
 * "not run" notice, said once). A file named after a process id could not do it: this machine reuses process ids
 * (`pid_max` 32768), and a marker left by an earlier run whose vitest had the same id silenced the notice.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'storefront-customer-session-run-'));
  project.provide('runDir', dir);
  return () => rm(dir, { recursive: true, force: true });
}
