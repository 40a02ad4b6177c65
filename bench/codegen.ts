/**
 * Section 1, codegen: wall time, peak memory and bytes generated to regenerate every vendored
 * version with this repo's codegen.ts, against `@shopify/api-codegen-preset` and the plain
 * client-preset default config generating the same versions from the same operations.
 *
 * Each tool runs as its own child process in a scratch copy of the repo under `.tmp/` (generated/
 * is never touched), tools alternate within a round, and the median of the rounds is reported.
 * Run alone: `npx tsx bench/codegen.ts`.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { buildSchema, introspectionFromSchema } from 'graphql';
import { growWorkspace, parseScale, type Scale } from './codegen/scale.js';
import { vendoredVersions } from './codegen/versions.js';
import { envInt, isMain, quickMode } from './lib/main.js';
import { measureProcess, type ProcessRun } from './lib/measure.js';
import { bytes, median, mib, ms, ratio } from './lib/stats.js';
import { ROOT, SCRATCH } from './lib/scratch.js';
import { rootVersion as ROOT_VERSION } from '../generated/versions.js';
import { renderTable, renderVerdicts, type Table, type Verdict } from './lib/table.js';

const require = createRequire(join(ROOT, 'package.json'));

/** One way to generate every version: what it runs, where each version's output lands. */
interface Tool {
  readonly name: string;
  /** The graphql-codegen CLI it runs with `--config <config>`. */
  readonly cli?: string;
  readonly config: string;
  /** The command measured, when it is not `node <cli> --config <config>`. */
  readonly command?: { file: string; args: readonly string[] };
  /** The folder holding one version's output, relative to the workspace. */
  readonly outputOf: (version: string) => string;
  /** Files in that folder that are inputs, not output (the preset's cached schema). */
  readonly isInput?: (file: string) => boolean;
  /** Clears the previous output so every round regenerates from scratch. */
  readonly clean: (workspace: string, versions: readonly string[]) => void;
}

/** The CLI binary a package ships, resolved from `from` (so each tool runs the CLI it depends on). */
function cliOf(from: string): string {
  const pkgJson = createRequire(from).resolve('@graphql-codegen/cli/package.json');
  const pkg = createRequire(from)(pkgJson) as { bin: Record<string, string> };
  return join(dirname(pkgJson), pkg.bin['graphql-codegen']!);
}

const shopifySchemaFile = (version: string) => `storefront-${version}.schema.json`;

/**
 * Exactly what `npm run codegen` runs (package.json's script: `graphql-codegen --config codegen.ts`), through
 * `sh -c` with this repo's node_modules/.bin on PATH as npm puts it; npm's own start-up is not counted.
 */
const npmCodegen = {
  file: '/bin/sh',
  args: [
    '-c',
    `PATH=${JSON.stringify(join(ROOT, 'node_modules/.bin'))}:"$PATH"; ` +
      (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts[
        'codegen'
      ],
  ],
};

const TOOLS: readonly Tool[] = [
  {
    name: 'this package (npm run codegen)',
    cli: cliOf(join(ROOT, 'package.json')),
    config: 'codegen.ts',
    command: npmCodegen,
    outputOf: (version) => `generated/${version}`,
    clean: (workspace) => rmSync(join(workspace, 'generated'), { recursive: true, force: true }),
  },
  {
    name: '@shopify/api-codegen-preset',
    cli: cliOf(require.resolve('@shopify/api-codegen-preset')),
    config: 'bench/codegen/shopify.config.ts',
    outputOf: (version) => `out/shopify/${version}`,
    isInput: (file) => file.endsWith('.schema.json'),
    clean: (workspace, versions) => {
      for (const version of versions) {
        const folder = join(workspace, 'out/shopify', version);
        for (const file of readdirSync(folder)) if (!file.endsWith('.schema.json')) rmSync(join(folder, file));
      }
    },
  },
  {
    name: 'client-preset, default config',
    cli: cliOf(join(ROOT, 'package.json')),
    config: 'bench/codegen/client-default.config.ts',
    outputOf: (version) => `out/client/${version}`,
    clean: (workspace) => rmSync(join(workspace, 'out/client'), { recursive: true, force: true }),
  },
];

/**
 * A scratch copy of what codegen needs, where the configs resolve presets and plugins from this repo's node_modules.
 */
function prepareWorkspace(scale?: Scale, only?: readonly string[]): { workspace: string; versions: string[] } {
  const workspace = join(SCRATCH, `codegen-${process.pid}`);
  rmSync(workspace, { recursive: true, force: true });
  mkdirSync(workspace, { recursive: true });
  for (const part of ['codegen.ts', 'src', 'schema', 'operations'])
    cpSync(join(ROOT, part), join(workspace, part), { recursive: true });
  // The configs keep their place in the repo (bench/codegen/), so their imports (versions.ts, and through it
  // src/tooling) resolve in the copy as they do here; they run with the workspace as their folder.
  cpSync(join(ROOT, 'bench/codegen'), join(workspace, 'bench/codegen'), { recursive: true });
  if (only) {
    for (const version of vendoredVersions(workspace))
      if (!only.includes(version)) rmSync(join(workspace, 'schema', `${version}.graphql`));
  }
  if (scale) growWorkspace(workspace, scale);
  const versions = vendoredVersions(workspace);
  // What the Shopify preset would have downloaded once: the introspection of each version, built
  // from the same SDL snapshot (so both tools see exactly the same schema). Not timed.
  for (const version of versions) {
    const folder = join(workspace, 'out/shopify', version);
    mkdirSync(folder, { recursive: true });
    const schema = buildSchema(readFileSync(join(workspace, 'schema', `${version}.graphql`), 'utf8'));
    writeFileSync(join(folder, shopifySchemaFile(version)), JSON.stringify(introspectionFromSchema(schema)));
  }
  return { workspace, versions };
}

function outputBytes(workspace: string, tool: Tool, version: string): number {
  const folder = join(workspace, tool.outputOf(version));
  return readdirSync(folder)
    .filter((file) => !tool.isInput?.(file))
    .reduce((sum, file) => sum + statSync(join(folder, file)).size, 0);
}

/** One tool's medians over the rounds. */
interface ToolResult {
  readonly tool: Tool;
  readonly wallMs: number;
  /** Median over rounds of this tool's wall time divided by this package's in the same round. */
  readonly wallVsOurs: number;
  readonly cpuMs: number;
  readonly peakRssKib: number;
  readonly bytesPerVersion: ReadonlyMap<string, number>;
}

/** Runs section 1 and returns its tables and verdicts. */
export async function runCodegenBench(
  rounds = envInt('BENCH_CODEGEN_ROUNDS', quickMode() ? 1 : 5),
  scale = parseScale(process.env['BENCH_CODEGEN_SCALE']),
  /** Only these vendored versions; all of them by default, the package root's alone in quick mode. */
  only: readonly string[] | undefined = quickMode() ? [ROOT_VERSION] : undefined,
): Promise<{ tables: Table[]; verdicts: Verdict[] }> {
  const { workspace, versions } = prepareWorkspace(scale, only);
  const operations = readdirSync(join(workspace, 'operations')).filter((f) => !f.includes('.fragment.')).length;
  try {
    const runs = new Map<Tool, ProcessRun[]>(TOOLS.map((tool) => [tool, []]));
    for (let round = 0; round < rounds; round++) {
      // Rotate the order each round so no tool always runs first (cold file cache) or last.
      const order = TOOLS.map((_, i) => TOOLS[(i + round) % TOOLS.length]!);
      for (const tool of order) {
        tool.clean(workspace, versions);
        const { file, args } = tool.command ?? { file: process.execPath, args: [tool.cli!, '--config', tool.config] };
        runs.get(tool)!.push(await measureProcess(file, args, workspace));
      }
    }
    const startup = await measureStartup(rounds);
    const ours = runs.get(TOOLS[0]!)!;
    const results: ToolResult[] = TOOLS.map((tool) => ({
      tool,
      wallMs: median(runs.get(tool)!.map((r) => r.wallMs)),
      wallVsOurs: median(runs.get(tool)!.map((r, i) => r.wallMs / ours[i]!.wallMs)),
      cpuMs: median(runs.get(tool)!.map((r) => r.cpuMs)),
      peakRssKib: median(runs.get(tool)!.map((r) => r.peakRssKib)),
      bytesPerVersion: new Map(versions.map((v) => [v, outputBytes(workspace, tool, v)])),
    }));
    return {
      tables: [codegenTable(results, versions, operations, rounds), startupTable(startup, rounds)],
      verdicts: codegenVerdicts(results, only ? versions.join(', ') : 'every vendored version'),
    };
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

/** The start-up cost alone of each distinct CLI the tools run (`graphql-codegen --help`), which every run pays. */
async function measureStartup(
  rounds: number,
): Promise<{ cli: string; version: string; users: string[]; wallMs: number; cpuMs: number }[]> {
  const clis = [...new Set(TOOLS.flatMap((tool) => (tool.cli ? [tool.cli] : [])))];
  const runs = new Map<string, ProcessRun[]>(clis.map((cli) => [cli, []]));
  for (let round = 0; round < rounds; round++)
    for (const cli of clis) runs.get(cli)!.push(await measureProcess(process.execPath, [cli, '--help'], ROOT));
  return clis.map((cli) => ({
    cli,
    version: (createRequire(cli)(join(cli, '../../package.json')) as { version: string }).version,
    users: TOOLS.filter((tool) => tool.cli === cli).map((tool) => tool.name),
    wallMs: median(runs.get(cli)!.map((r) => r.wallMs)),
    cpuMs: median(runs.get(cli)!.map((r) => r.cpuMs)),
  }));
}

function startupTable(startup: Awaited<ReturnType<typeof measureStartup>>, rounds: number): Table {
  return {
    title: `Codegen: CLI start-up alone (\`graphql-codegen --help\`), median of ${rounds}`,
    head: ['@graphql-codegen/cli', 'run by', 'wall', 'CPU'],
    rows: startup.map((s) => {
      const cpu = Number.isNaN(s.cpuMs) ? '–' : ms(s.cpuMs);
      return [s.version, s.users.join('; '), ms(s.wallMs), cpu];
    }),
    notes: [
      'Part of every wall time above: each tool runs the CLI version it depends on (the Shopify preset pins its own).',
    ],
  };
}

function codegenTable(
  results: readonly ToolResult[],
  versions: readonly string[],
  operations: number,
  rounds: number,
): Table {
  const ours = results[0]!;
  return {
    title:
      `Codegen: ${versions.length} versions (${versions.join(', ')}) × ${operations} ` +
      `operations, median of ${rounds}`,
    head: [
      'tool',
      'wall',
      'vs this package',
      'CPU',
      'peak RSS',
      'vs this package',
      ...versions.map((v) => `bytes ${v}`),
    ],
    rows: results.map((r) => [
      r.tool.name,
      ms(r.wallMs),
      `${r.wallVsOurs.toFixed(2)}×`,
      Number.isNaN(r.cpuMs) ? '–' : ms(r.cpuMs),
      mib(r.peakRssKib),
      ratio(r.peakRssKib, ours.peakRssKib),
      ...versions.map((v) => bytes(r.bytesPerVersion.get(v)!)),
    ]),
    notes: [
      'One child process per tool per round, output deleted before each run. This package: ' +
        "package.json's `codegen` script as npm runs it (`graphql-codegen --config codegen.ts`), " +
        "npm's own start-up not counted. The others: node + the graphql-codegen CLI the tool " +
        'depends on. Start-up included everywhere; the order rotates every round.',
      'BENCH_CODEGEN_SCALE=<versions>x<operations> (e.g. 6x100) grows the scratch copy: copies ' +
        'of the newest schema under the next version names, and generated queries valid on every ' +
        'version (bench/codegen/scale.ts).',
      '"vs this package" for wall time is the median of the per-round ratios; CPU is user + ' +
        'system time of the process (from /usr/bin/time).',
      'The Shopify preset reads its cached introspection JSON (built from the same SDL ' +
        'snapshot, not timed and not counted in its bytes); the others parse the SDL snapshot.',
      'Bytes: every file the tool writes for that version (this package and the CLI row: ' +
        'generated/<version>/*; Shopify: storefront.types.d.ts + storefront.generated.d.ts; ' +
        'client-preset: graphql.ts, gql.ts, fragment-masking.ts, index.ts).',
    ],
  };
}

function codegenVerdicts(results: readonly ToolResult[], what: string): Verdict[] {
  const [ours, shopify] = [results[0]!, results[1]!];
  // shopify.wallVsOurs > 1 means the preset took longer than this package in the typical round.
  return [
    {
      target: `regenerating ${what} takes less wall time than @shopify/api-codegen-preset`,
      met: shopify.wallVsOurs > 1,
      figure:
        `medians ${ms(ours.wallMs)} vs ${ms(shopify.wallMs)}; the preset takes ` +
        `${shopify.wallVsOurs.toFixed(2)}× this package's time, median of per-round ratios`,
    },
  ];
}

if (isMain(import.meta.url)) {
  const { tables, verdicts } = await runCodegenBench();
  for (const table of tables) console.log(renderTable(table));
  console.log(renderVerdicts(verdicts));
}
