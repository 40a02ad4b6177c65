import { pathToFileURL } from 'node:url';

/** Whether the module at `url` is the script node was started with (a sub-bench run on its own). */
export function isMain(url: string): boolean {
  const script = process.argv[1];
  return script !== undefined && (url === pathToFileURL(script).href || url === pathToFileURL(`${script}.ts`).href);
}

/** A positive integer from the environment, or the default (lets CI shorten or lengthen a run). */
export function envInt(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/**
 * Whether this run is the quick one (`npm run bench -- --quick` or BENCH_QUICK=1): every section, few rounds and
 * short slices, so CI can run the whole bench in about a minute. Its figures are smoke, not results.
 */
export function quickMode(): boolean {
  return process.argv.includes('--quick') || process.env['BENCH_QUICK'] === '1';
}
