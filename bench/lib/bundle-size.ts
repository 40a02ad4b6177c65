import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** The size of an app as a browser would download it. */
export interface BundleSize {
  /** Minified bytes. */
  readonly minified: number;
  /** Those bytes gzipped (level 9). */
  readonly gzipped: number;
  /** Minified bytes each input file contributes, keyed by its path relative to the repo. */
  readonly modules: ReadonlyMap<string, number>;
}

/**
 * Bundles `entry` as an app's bundler would for a browser: esbuild, ESM, everything bundled, minified,
 * tree-shaken, with `process.env.NODE_ENV` set to "production" (as Vite, webpack and Next do).
 */
export async function bundleSize(entry: string): Promise<BundleSize> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
    metafile: true,
  });
  const code = result.outputFiles[0]!.contents;
  const [output] = Object.values(result.metafile.outputs);
  const modules = new Map(
    Object.entries(output?.inputs ?? {}).map(([path, input]) => [path, input.bytesInOutput] as const),
  );
  return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength, modules };
}
