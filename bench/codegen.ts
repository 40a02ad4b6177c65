/**
 * Section 1, codegen: wall time, peak memory and bytes generated to regenerate every vendored
 * version with this repo's codegen.ts (`npm run codegen`) and with the package CLI's `codegen` command (what an app
 * runs), against `@shopify/api-codegen-preset` and the plain client-preset default config generating the same
 * versions from the same operations. The target: neither of this package's commands is slower than the preset.
 *
 * Each tool runs as its own child process in a scratch copy of the repo under `.tmp/` (generated/
 * is never touched), tools alternate within a round, and the median of the rounds is reported.
 * Run alone: `npx tsx bench/codegen.ts`.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { buildSync } from 'esbuild';
import { buildSchema, introspectionFromSchema } from 'graphql';
import { growWorkspace, parseScale, type Scale } from './codegen/scale.js';
import { vendoredVersions } from './codegen/versions.js';
import { envInt, isMain, quickMode } from './lib/main.js';
import { measureProcess, type ProcessRun } from './lib/measure.js';
import { bytes, median, mib, ms } from './lib/stats.js';
import { ROOT, SCRATCH } from './lib/scratch.js';
import { rootVersion as ROOT_VERSION } from '../generated/versions.js';
import { renderTable, renderVerdicts, type Table, type Verdict } from './lib/table.js';

const require = createRequire(join(ROOT, 'package.json'));

/** One way to generate every version: what it runs, where each version's output lands. */
interface Tool {
  readonly name: string;
  /** This package's own command: held to the target (no slower than the Shopify preset). */
  readonly ours?: true;
  /** The yardstick: `@shopify/api-codegen-preset`. */
  readonly preset?: true;
  /** The graphql-codegen CLI it runs with `--config <config>`, or whose `generate()` it calls in-process. */
  readonly cli?: string;
  readonly config?: string;
  /** The command measured, when it is not `node <cli> --config <config>`. */
  readonly command?: (workspace: string, versions: readonly string[]) => { file: string; args: readonly string[] };
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

/** Where the scratch workspace installs this package, as an app's node_modules holds it. */
const INSTALLED = 'node_modules/storefront-customer-session';

/**
 * The package CLI's `codegen` as an app runs it (`npx storefront-customer-session codegen`, whose bin is
 * dist/src/cli/bin.js): the workspace's operations against every version shipped in the package, into out/app/.
 */
const appCodegen = (workspace: string, versions: readonly string[]) => ({
  file: process.execPath,
  args: [
    join(workspace, INSTALLED, 'dist/src/cli/bin.js'),
    'codegen',
    '--operations',
    'operations',
    '--out',
    'out/app',
    '--versions',
    versions.join(','),
  ],
});

const TOOLS: readonly Tool[] = [
  {
    name: 'this package (npm run codegen)',
    ours: true,
    cli: cliOf(join(ROOT, 'package.json')),
    config: 'codegen.ts',
    command: () => npmCodegen,
    outputOf: (version) => `generated/${version}`,
    clean: (workspace) => rmSync(join(workspace, 'generated'), { recursive: true, force: true }),
  },
  {
    name: 'this package (app codegen command)',
    ours: true,
    cli: cliOf(join(ROOT, 'package.json')),
    command: appCodegen,
    outputOf: (version) => `out/app/${version}`,
    clean: (workspace) => rmSync(join(workspace, 'out/app'), { recursive: true, force: true }),
  },
  {
    name: '@shopify/api-codegen-preset',
    preset: true,
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
  installPackage(workspace);
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

/**
 * This package as an app installs it, in `<workspace>/node_modules/`: dist/ laid out as `npm run build` lays it out
 * (each module of src/ and generated/ compiled on its own, here by esbuild rather than tsc: the same JavaScript
 * without the .d.ts), with the workspace's schema snapshots shipped in dist/schema/. Not timed.
 */
function installPackage(workspace: string): void {
  const target = join(workspace, INSTALLED);
  const modules = (dir: string): string[] =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
      .map((file) => join(dir, file));
  const sources = [...modules(join(workspace, 'src')), ...modules(join(ROOT, 'generated'))];
  buildSync({
    entryPoints: Object.fromEntries(
      sources.map((file) => {
        const from = file.startsWith(join(workspace, 'src')) ? workspace : ROOT;
        return [relative(from, file).slice(0, -'.ts'.length), file];
      }),
    ),
    outdir: join(target, 'dist'),
    format: 'esm',
    platform: 'node',
    target: 'es2022',
    jsx: 'automatic',
    logLevel: 'warning',
  });
  mkdirSync(join(target, 'dist/schema'), { recursive: true });
  for (const version of vendoredVersions(workspace))
    cpSync(join(workspace, 'schema', `${version}.graphql`), join(target, 'dist/schema', `${version}.graphql`));
  cpSync(join(ROOT, 'package.json'), join(target, 'package.json'));
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
  /** Median over rounds of this tool's wall time divided by the Shopify preset's in the same round. */
  readonly wallVsPreset: number;
  readonly cpuMs: number;
  /** The same for CPU time (user + system): less moved than wall time by other load on the machine. */
  readonly cpuVsPreset: number;
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
        const { file, args } = tool.command?.(workspace, versions) ?? {
          file: process.execPath,
          args: [tool.cli!, '--config', tool.config!],
        };
        runs.get(tool)!.push(await measureProcess(file, args, workspace));
      }
    }
    const startup = await measureStartup(rounds);
    const preset = runs.get(TOOLS.find((tool) => tool.preset)!)!;
    const results: ToolResult[] = TOOLS.map((tool) => ({
      tool,
      wallMs: median(runs.get(tool)!.map((r) => r.wallMs)),
      wallVsPreset: median(runs.get(tool)!.map((r, i) => r.wallMs / preset[i]!.wallMs)),
      cpuMs: median(runs.get(tool)!.map((r) => r.cpuMs)),
      cpuVsPreset: median(runs.get(tool)!.map((r, i) => r.cpuMs / preset[i]!.cpuMs)),
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
  const times = (value: number) => (Number.isNaN(value) ? '–' : `${value.toFixed(2)}×`);
  return {
    title:
      `Codegen: ${versions.length} versions (${versions.join(', ')}) × ${operations} ` +
      `operations, median of ${rounds}`,
    head: [
      'tool',
      'wall',
      'vs the preset',
      'CPU',
      'CPU vs the preset',
      'peak RSS',
      ...versions.map((v) => `bytes ${v}`),
    ],
    rows: results.map((r) => [
      r.tool.name,
      ms(r.wallMs),
      times(r.wallVsPreset),
      Number.isNaN(r.cpuMs) ? '–' : ms(r.cpuMs),
      times(r.cpuVsPreset),
      mib(r.peakRssKib),
      ...versions.map((v) => bytes(r.bytesPerVersion.get(v)!)),
    ]),
    notes: [
      'One child process per tool per round, output deleted before each run; start-up included everywhere; the ' +
        "order rotates every round. npm run codegen: package.json's `codegen` script as npm runs it (" +
        `\`${npmCodegen.args[1]!.split('; ').at(-1)!}\`), npm's own start-up not counted. App codegen command: ` +
        '`storefront-customer-session codegen --operations operations --out out/app --versions <every version>`, ' +
        "the package's bin (dist/src/cli/bin.js, installed in the scratch copy's node_modules) calling the app's " +
        'graphql-codegen `generate()` in-process, for the same operations and versions. The others: node + the ' +
        'graphql-codegen CLI the tool depends on.',
      'BENCH_CODEGEN_SCALE=<versions>x<operations> (e.g. 6x100) grows the scratch copy: copies ' +
        'of the newest schema under the next version names, and generated queries valid on every ' +
        'version (bench/codegen/scale.ts).',
      '"vs the preset" is the median of the per-round ratios to @shopify/api-codegen-preset (below 1.00×: faster ' +
        'than the preset); CPU is user + system time of the process and its children (from /usr/bin/time).',
      'The Shopify preset reads its cached introspection JSON (built from the same SDL ' +
        'snapshot, not timed and not counted in its bytes); the others parse the SDL snapshot.',
      'Bytes: every file the tool writes for that version (npm run codegen: generated/<version>/*; the app ' +
        'command: graphql.ts, gql.ts, index.ts, documents.ts; Shopify: storefront.types.d.ts + ' +
        'storefront.generated.d.ts; client-preset: graphql.ts, gql.ts, fragment-masking.ts, index.ts).',
    ],
  };
}

/** The target of issue 17: each of this package's commands is no slower than Shopify's preset. */
function codegenVerdicts(results: readonly ToolResult[], what: string): Verdict[] {
  const shopify = results.find((r) => r.tool.preset)!;
  return results
    .filter((r) => r.tool.ours)
    .map((ours) => ({
      target: `${ours.tool.name.replace(/^this package \((.*)\)$/, '$1')}: regenerating ${what} is no slower than @shopify/api-codegen-preset`,
      // At most the preset's wall time in the typical round.
      met: ours.wallVsPreset <= 1,
      figure:
        `medians ${ms(ours.wallMs)} vs ${ms(shopify.wallMs)}; ${ours.wallVsPreset.toFixed(2)}× the preset's wall ` +
        `time and ${Number.isNaN(ours.cpuVsPreset) ? '–' : `${ours.cpuVsPreset.toFixed(2)}×`} its CPU time, ` +
        'medians of per-round ratios',
    }));
}

if (isMain(import.meta.url)) {
  const { tables, verdicts } = await runCodegenBench();
  for (const table of tables) console.log(renderTable(table));
  console.log(renderVerdicts(verdicts));
}
