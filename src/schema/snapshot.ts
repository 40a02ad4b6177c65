import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  buildClientSchema,
  buildSchema,
  lexicographicSortSchema,
  printSchema,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { compareVersions, isWellFormedVersion } from '../runtime/versions.js';
import { writeAtomically } from '../tooling/atomicWrite.js';
import { LIBRARY } from '../runtime/errors.js';

/** Where a snapshot came from; written as the file's first line so a reviewer sees it. */
export interface SnapshotSource {
  /** e.g. `@shopify/hydrogen-react@2026.4.4 storefront.schema.json` or `https://shop.example.com (live)` */
  description: string;
}

/**
 * Turns an introspection result into the snapshot text: SDL with types and fields sorted, so a
 * `git diff` between two versions shows only what changed between them.
 */
export function snapshotText(version: string, introspection: IntrospectionQuery, source: SnapshotSource): string {
  let schema: GraphQLSchema;
  try {
    schema = buildClientSchema(introspection);
  } catch (error) {
    throw new Error(`${LIBRARY}: the introspection result from ${source.description} is not a usable schema (${(error as Error).message}); nothing was written.`, { cause: error });
  }
  const sdl = printSchema(lexicographicSortSchema(schema));
  return `# Shopify Storefront API ${version}, introspected. Source: ${source.description}\n# Written by \`schema pull\`; do not edit by hand.\n\n${sdl}\n`;
}

/** The path of a version's snapshot inside `dir`. */
export function snapshotPath(dir: string, version: string): string {
  return join(dir, `${version}.graphql`);
}

/**
 * Writes a snapshot atomically (see {@link writeAtomically}), so an interrupted pull never leaves a
 * half-written schema behind.
 */
export async function writeSnapshot(dir: string, version: string, text: string): Promise<string> {
  const target = snapshotPath(dir, version);
  await writeAtomically(target, text);
  return target;
}

/** The versions that have a snapshot in `dir`, oldest first. */
export async function listSnapshotVersions(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .map((name) => name.replace(/\.graphql$/, ''))
    .filter((name, i) => names[i]!.endsWith('.graphql') && isWellFormedVersion(name))
    .sort(compareVersions);
}

/** Loads a version's snapshot as a schema, with a message naming the fix when it is missing. */
export async function loadSnapshot(dir: string, version: string): Promise<GraphQLSchema> {
  const path = snapshotPath(dir, version);
  const text = await readFile(path, 'utf8').catch(() => {
    throw new Error(`${LIBRARY}: no schema snapshot for API version "${version}" at ${path}. Run \`schema pull --version ${version}\` first.`);
  });
  return buildSchema(text);
}
