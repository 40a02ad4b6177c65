import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Where the benchmarks write scratch files: under node_modules/.cache (ignored by git, and inside the repo
 * so that files there resolve packages from this repo's node_modules). Each bench removes what it made.
 */
export const SCRATCH = join(ROOT, 'node_modules/.cache/storefront-customer-session-bench');
