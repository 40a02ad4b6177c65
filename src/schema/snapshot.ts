import { snapshotVersions } from '../tooling/shippedSchemas.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  buildClientSchema,
  lexicographicSortSchema,
  printSchema,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { writeAtomically } from '../tooling/atomicWrite.js';
import { LIBRARY } from '../runtime/errors.js';
import { apiLayout, DEFAULT_API, type SchemaApi } from '../tooling/apis.js';
import { buildStorefrontSchema } from './buildStorefrontSchema.js';

/** Where a snapshot came from; written as its header so a reviewer sees it. */
export interface SnapshotSource {
  /** The source's name, as `schema pull --source` takes it: `hydrogen`, `dev-mcp`, `public` or `store`. */
  kind: string;
  /** e.g. `@shopify/hydrogen-react@2026.4.4 storefront.schema.json` or a URL; never a token. */
  description: string;
  /** The hex sha256 of the bytes read. */
  sha256: string;
  /** Set when the schema is a documented subset: what it leaves out. */
  subset?: string;
  /** When it was pulled (ms). */
  pulledAt: number;
}

/** The `--source` a snapshot's header names (`# Source: dev-mcp, …`), or `undefined` for an older header. */
export function recordedSource(text: string): string | undefined {
  return /^# Source: ([a-z-]+), /m.exec(text.slice(0, 2_000))?.[1];
}

/**
 * Turns an introspection result into the snapshot text: a header naming the API, the source, the date, the sha256 of
 * what was read and whether it is the documented subset, then SDL with types and fields sorted, so a `git diff`
 * between two versions shows only what changed between them.
 */
export function snapshotText(
  version: string,
  introspection: IntrospectionQuery,
  source: SnapshotSource,
  api: SchemaApi = DEFAULT_API,
): string {
  let schema: GraphQLSchema;
  try {
    schema = buildClientSchema(introspection);
  } catch (error) {
    throw new Error(
      `${LIBRARY}: the introspection result from ${source.description} is not a usable schema ` +
        `(${(error as Error).message}); nothing was written.`,
      { cause: error },
    );
  }
  if (!schema.getQueryType()) {
    throw new Error(
      `${LIBRARY}: the introspection result from ${source.description} is not a usable schema (it has no ` +
        'query root type); nothing was written.',
    );
  }
  const sdl = printSchema(lexicographicSortSchema(schema));
  const header = [
    `# Shopify ${apiLayout(api).title} API ${version}, introspected.`,
    `# Source: ${source.kind}, ${source.description}`,
    `# Pulled: ${new Date(source.pulledAt).toISOString().slice(0, 10)}`,
    `# sha256 of what was read: ${source.sha256}`,
    source.subset ? `# Coverage: the documented subset. ${source.subset}` : '# Coverage: the full schema.',
    '# Written by `schema pull`; do not edit by hand.',
  ];
  return `${header.join('\n')}\n\n${sdl}\n`;
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
  try {
    return snapshotVersions(dir);
  } catch {
    return [];
  }
}

/** Loads a version's snapshot as a schema, with a message naming the fix when it is missing. */
export async function loadSnapshot(dir: string, version: string): Promise<GraphQLSchema> {
  const path = snapshotPath(dir, version);
  const text = await readFile(path, 'utf8').catch(() => {
    throw new Error(
      `${LIBRARY}: no schema snapshot for API version "${version}" at ${path}. Run \`schema ` +
        `pull --version ${version}\` first.`,
    );
  });
  return buildStorefrontSchema(text);
}
