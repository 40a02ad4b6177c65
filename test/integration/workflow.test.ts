import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { detectNewVersion, vendoredVersions } from '../../scripts/detect-new-version.js';

// The GitHub workflows cannot run here: these tests parse them, check their structure, and check that
// every npm script, CLI command and file they call exists, running the shell that lists versions.

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  permissions?: Record<string, string>;
  outputs?: Record<string, string>;
  strategy?: { matrix?: Record<string, unknown>; 'fail-fast'?: boolean };
  steps: Step[];
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

function load(file: string): Workflow {
  return parse(readFileSync(join(root, '.github', 'workflows', file), 'utf8')) as Workflow;
}

const workflows = readdirSync(join(root, '.github', 'workflows')).filter((f) => /\.ya?ml$/.test(f));
const schemas = load('storefront-schemas.yml');
const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
  .scripts;
const vendored = readdirSync(join(root, 'schema'))
  .filter((f) => /^\d{4}-(01|04|07|10)\.graphql$/.test(f))
  .map((f) => f.replace('.graphql', ''))
  .sort();

function steps(workflow: Workflow): Step[] {
  return Object.values(workflow.jobs).flatMap((job) => job.steps);
}

function step(job: Job, predicate: (s: Step) => boolean): Step {
  const found = job.steps.find(predicate);
  if (!found) throw new Error('step not found');
  return found;
}

/** The words after `$CLI` in a shell script: `$CLI schema pull --version …` → `schema pull`. */
function cliCommands(script: string): string[] {
  return [...script.matchAll(/\$CLI((?:\s+[a-z][a-z-]*)+)/g)].map((m) => m[1]!.trim());
}

describe('the storefront-schemas workflow', () => {
  it('runs on pushes, pull requests, a weekly schedule and by hand', () => {
    expect(Object.keys(schemas.on).sort()).toEqual(['pull_request', 'push', 'schedule', 'workflow_dispatch']);
    const [schedule] = schemas.on.schedule as Array<{ cron: string }>;
    expect(schedule?.cron.split(' ')).toHaveLength(5);
    expect(schemas.permissions).toEqual({ contents: 'read' });
  });

  it('builds its matrix from the schema/ folder, so a new version needs no workflow edit', async () => {
    const list = schemas.jobs.versions!;
    const drift = schemas.jobs.drift!;
    expect(drift.needs).toBe('versions');
    expect(drift.strategy?.matrix?.version).toBe('${{ fromJSON(needs.versions.outputs.versions) }}');
    expect(list.outputs?.versions).toBe('${{ steps.list.outputs.versions }}');

    const script = step(list, (s) => s.id === 'list').run!;
    const dir = mkdtempSync(join(tmpdir(), 'scs-workflow-'));
    try {
      const output = join(dir, 'output');
      await run('bash', ['-euo', 'pipefail', '-c', script], {
        cwd: root,
        env: { ...process.env, GITHUB_OUTPUT: output },
      });
      const line = readFileSync(output, 'utf8').trim();
      expect(line.startsWith('versions=')).toBe(true);
      expect(JSON.parse(line.slice('versions='.length))).toEqual(vendored);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('re-pulls each version from the source its snapshot header names, the store only with the secrets', async () => {
    const pull = step(schemas.jobs.drift!, (s) => s.run?.includes('schema pull') ?? false);
    expect(pull.env).toMatchObject({
      SHOPIFY_STORE_DOMAIN: '${{ secrets.SHOPIFY_STORE_DOMAIN }}',
      SHOPIFY_STOREFRONT_TOKEN: '${{ secrets.SHOPIFY_STOREFRONT_TOKEN }}',
      VERSION: '${{ matrix.version }}',
    });
    expect(pull.run).toMatch(/if \[ -n "\$SHOPIFY_STORE_DOMAIN" \] && \[ -n "\$SHOPIFY_STOREFRONT_TOKEN" \]/);
    expect(pull.run).toContain('$CLI schema pull --version "$VERSION" --source store --store "$SHOPIFY_STORE_DOMAIN"');
    expect(pull.run).toContain('$CLI schema pull --version "$VERSION" --source "$source"');
    // Run the script with a stub CLI: each vendored snapshot is re-pulled from the source its header names.
    const dir = mkdtempSync(join(tmpdir(), 'scs-workflow-'));
    try {
      const expected: Record<string, string> = {};
      for (const version of vendored) {
        const header = readFileSync(join(root, 'schema', `${version}.graphql`), 'utf8').split('\n')[1]!;
        expected[version] = /^# Source: ([a-z-]+), /.exec(header)![1]!;
        const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', pull.run!], {
          cwd: root,
          env: {
            ...process.env,
            CLI: 'echo',
            VERSION: version,
            SHOPIFY_STORE_DOMAIN: '',
            SHOPIFY_STOREFRONT_TOKEN: '',
          },
        });
        expect(stdout.trim()).toBe(`schema pull --version ${version} --source ${expected[version]}`);
      }
      expect(expected['2026-10']).toBe('dev-mcp');
      expect(expected['2026-04']).toBe('hydrogen');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it(
    'checks the operations, regenerates, and then fails when schema/ or generated/ differ ' + 'from what is committed',
    () => {
      const drift = schemas.jobs.drift!;
      const runs = drift.steps.map((s) => s.run ?? '');
      const codegen = runs.findIndex((r) => r.trim() === 'npm run codegen');
      const check = runs.findIndex((r) => r.trim() === 'npm run schema:check');
      const diff = runs.findIndex((r) => r.includes("git diff -I '^# '"));
      expect(check).toBeGreaterThan(runs.findIndex((r) => r.includes('schema pull')));
      expect(codegen).toBeGreaterThan(check);
      expect(diff).toBeGreaterThan(codegen);
      expect(runs[diff]).toContain('--intent-to-add');
      expect(drift.strategy?.['fail-fast']).toBe(false);
    },
  );

  it(
    'opens a pull request for new versions only from the scheduled or manual run, with write ' +
      'permissions there alone',
    () => {
      const job = schemas.jobs['new-version']!;
      expect(job.if).toBe("github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'");
      expect(job.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' });
      const detect = step(job, (s) => s.id === 'detect');
      expect(detect.run).toBe('npx tsx scripts/detect-new-version.ts');
      const open = step(job, (s) => s.run?.includes('gh pr create') ?? false);
      expect(open.if).toBe("steps.detect.outputs.add != ''");
      expect(open.run).toContain('for version in $ADD; do');
      expect(open.run).toContain('npm run codegen');
      // Keyless: no store token reaches this job, and no pull names the store source.
      expect(JSON.stringify(job)).not.toMatch(/SHOPIFY_STORE|SHOPIFY_STOREFRONT|--store|--source store/);
      expect(open.run).toMatch(/\$CLI schema pull --version "\$version"(?! --source)/);
      // The pull request carries the diff summary against the newest vendored version.
      expect(open.run).toContain('$CLI schema diff "$from" "$version"');
      expect(open.run).toContain('from="$NEWEST"');
      const used = [...JSON.stringify(job).matchAll(/steps\.detect\.outputs\.([a-z]+)/g)].map((m) => m[1]);
      expect(new Set(used)).toEqual(new Set(['add', 'candidate', 'newest', 'unsupported']));
    },
  );
});

describe('every workflow', () => {
  it('parses, and names only npm scripts that package.json defines', () => {
    expect(workflows).toEqual(expect.arrayContaining(['ci.yml', 'storefront-schemas.yml']));
    const called = workflows.flatMap((f) =>
      steps(load(f)).flatMap((s) => [...(s.run ?? '').matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!)),
    );
    expect(called.length).toBeGreaterThan(0);
    for (const name of called) expect(scripts, `npm run ${name}`).toHaveProperty([name]);
  });

  it('names only files that exist', () => {
    const texts = workflows.flatMap((f) => [
      JSON.stringify(load(f).env ?? {}),
      ...steps(load(f)).map((s) => s.run ?? ''),
    ]);
    const files = texts.flatMap((t) => [...t.matchAll(/(?:\.\/)?((?:\.ci|scripts|src)\/[\w./-]+)/g)].map((m) => m[1]!));
    expect(files).toEqual(expect.arrayContaining(['src/cli/bin.ts', 'scripts/detect-new-version.ts', '.ci/run']));
    for (const file of files) expect(existsSync(join(root, file)), file).toBe(true);
  });

  it('passes secrets through env only, never on a command line', () => {
    for (const file of workflows) {
      for (const s of steps(load(file))) expect(s.run ?? '', `${file}: ${s.name ?? s.run}`).not.toMatch(/secrets\./);
    }
  });

  it('pins every action to a major version', () => {
    const uses = workflows.flatMap((f) => steps(load(f)).flatMap((s) => (s.uses ? [s.uses] : [])));
    expect(uses.length).toBeGreaterThan(0);
    for (const action of uses) expect(action).toMatch(/^[\w-]+\/[\w-]+@(v\d+|[0-9a-f]{40})$/);
  });

  it('calls only CLI commands that exist and answer --help', async () => {
    expect(schemas.env?.CLI).toBe('npx tsx src/cli/bin.ts');
    const commands = [...new Set(steps(schemas).flatMap((s) => cliCommands(s.run ?? '')))];
    expect(commands).toContain('schema pull');
    for (const command of commands) {
      const { stdout } = await run(
        process.execPath,
        ['--import', 'tsx', 'src/cli/bin.ts', ...command.split(' '), '--help'],
        { cwd: root },
      );
      expect(stdout).toContain(command);
    }
  });
});

describe('detectNewVersion', () => {
  const at = (iso: string) => Date.parse(iso);

  it('asks for nothing while schema/ has the newest released version', () => {
    expect(detectNewVersion(at('2026-05-01T00:00:00Z'), ['2025-07', '2025-10', '2026-01', '2026-04'])).toEqual({
      current: '2026-04',
      candidate: '2026-07',
      add: [],
      newest: '2026-04',
      unsupported: [],
    });
  });

  it('asks for the version released at 17:00 UTC on the first of the quarter, not before', () => {
    const vendoredThen = ['2025-07', '2025-10', '2026-01', '2026-04'];
    const before = detectNewVersion(at('2026-07-01T16:59:59Z'), vendoredThen);
    expect(before).toMatchObject({ current: '2026-04', candidate: '2026-07', add: [], unsupported: [] });
    const released = detectNewVersion(at('2026-07-01T17:00:00Z'), vendoredThen);
    expect(released).toMatchObject({ current: '2026-07', candidate: '2026-10', add: ['2026-07'], unsupported: [] });
  });

  it('names a vendored version as unsupported from 15:00 UTC on the 16th, a year after its release', () => {
    const vendoredThen = ['2025-07', '2025-10', '2026-01', '2026-04', '2026-07'];
    expect(detectNewVersion(at('2026-07-16T14:59:59Z'), vendoredThen).unsupported).toEqual([]);
    expect(detectNewVersion(at('2026-07-16T15:00:00Z'), vendoredThen).unsupported).toEqual(['2025-07']);
  });

  it('asks for every version released since the newest vendored one, oldest first', () => {
    expect(detectNewVersion(at('2026-11-22T00:00:00Z'), ['2025-07', '2025-10', '2026-01', '2026-04']).add).toEqual([
      '2026-07',
      '2026-10',
    ]);
  });

  it('names the retired vendored versions from the calendar on 2026-12-01', () => {
    const report = detectNewVersion(at('2026-12-01T00:00:00Z'), vendored);
    expect(report).toMatchObject({ add: [], newest: '2026-10', candidate: '2027-01' });
    expect(report.unsupported).toEqual(['2025-07', '2025-10']);
  });

  it('ignores unstable and asks for every supported version when nothing stable is vendored', () => {
    expect(detectNewVersion(at('2026-05-01T00:00:00Z'), ['unstable']).add).toEqual([
      '2025-07',
      '2025-10',
      '2026-01',
      '2026-04',
    ]);
  });

  it('reads the vendored versions from the schema folder', () => {
    expect(vendoredVersions(join(root, 'schema')).sort()).toEqual(vendored);
  });
});
