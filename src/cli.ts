#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { LIBRARY } from './errors.js';
import { pullLiveSchema, pullPublishedSchema } from './schema/pull.js';
import { snapshotText, writeSnapshot } from './schema/snapshot.js';
import { assertWellFormedVersion } from './versions.js';

/** Exit codes scripts can rely on. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

class UsageError extends Error {}

const HELP: Record<string, string> = {
  'schema pull': `Usage: ${LIBRARY} schema pull --version <YYYY-MM> [--store <domain>] [--out <dir>]

Writes schema/<version>.graphql, the introspected Storefront schema of one API version.
  --version   the API version, e.g. 2026-04 (required)
  --store     introspect this store live; the token is read from SHOPIFY_STOREFRONT_TOKEN
              (public) or SHOPIFY_STOREFRONT_PRIVATE_TOKEN, never from the command line.
              Without --store, the schema Shopify publishes in @shopify/hydrogen-react is used.
  --out       the folder to write to (default: schema)`,
};

async function schemaPull(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { version: { type: 'string' }, store: { type: 'string' }, out: { type: 'string', default: 'schema' }, help: { type: 'boolean' } },
    strict: true,
  });
  if (values.help) return print(HELP['schema pull']!);
  if (!values.version) throw new UsageError('schema pull needs --version <YYYY-MM>.');
  assertWellFormedVersion(values.version, 'version');
  const pulled = values.store
    ? await pullLiveSchema({
        storeDomain: values.store,
        version: values.version,
        publicAccessToken: process.env.SHOPIFY_STOREFRONT_TOKEN || undefined,
        privateAccessToken: process.env.SHOPIFY_STOREFRONT_PRIVATE_TOKEN || undefined,
      })
    : await pullPublishedSchema(values.version);
  const path = await writeSnapshot(values.out!, values.version, snapshotText(values.version, pulled.introspection, { description: pulled.source }));
  console.log(`wrote ${path} from ${pulled.source}`);
  return EXIT.ok;
}

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  'schema pull': schemaPull,
};

function print(text: string): number {
  console.log(text);
  return EXIT.ok;
}

/** Runs the CLI with `argv` (without node and script) and resolves to its exit code. */
export async function main(argv: string[]): Promise<number> {
  const key = [argv.slice(0, 2).join(' '), argv[0] ?? ''].find((k) => k in COMMANDS);
  if (!key) {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help') {
      return print(`Usage: ${LIBRARY} <command> [options]\n\nCommands:\n${Object.keys(COMMANDS).map((c) => `  ${c}`).join('\n')}\n\nRun a command with --help for its options.`);
    }
    console.error(`${LIBRARY}: unknown command "${argv.slice(0, 2).join(' ')}". Run with --help for the list.`);
    return EXIT.usage;
  }
  try {
    return await COMMANDS[key]!(argv.slice(key.split(' ').length));
  } catch (error) {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    console.error(usage ? `${LIBRARY}: ${(error as Error).message}` : (error as Error).message);
    return usage ? EXIT.usage : EXIT.failed;
  }
}

const invokedDirectly = process.argv[1] && import.meta.url.endsWith(process.argv[1].split(/[\\/]/).pop()!);
if (invokedDirectly) process.exitCode = await main(process.argv.slice(2));
