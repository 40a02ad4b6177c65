import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS, EXIT, type Command } from '../../src/cli/main.js';
import { runCli } from '../fixtures/schema/cli.js';

const repo = resolve(import.meta.dirname, '../..');

describe('the CLI', () => {
  it('lists every command and the exit codes in its top-level help', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    for (const command of COMMANDS) expect(run.stdout).toContain(`  ${command.name} `);
    expect(run.stdout).toContain('0  the command did what was asked');
    expect(run.stdout).toContain('1  it ran and failed');
    expect(run.stdout).toContain('2  usage error');
    expect(run.stdout).toContain('never from the command line');
  });

  it("prints the package's version with --version", async () => {
    const { version } = JSON.parse(readFileSync(resolve(repo, 'package.json'), 'utf8')) as { version: string };
    const run = await runCli(['--version']);
    expect(run).toMatchObject({ code: 0, stdout: version, stderr: '' });
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('prints its help on stderr and exits 2 without a command', async () => {
    const run = await runCli([]);
    expect(run.code).toBe(EXIT.usage);
    expect(run.stderr).toContain('Usage: storefront-customer-session <command> [options]');
  });

  it.each(COMMANDS.map((c) => c.name))('gives "%s" a --help that lists its options and exit codes', async (name) => {
    const run = await runCli([...name.split(' '), '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: storefront-customer-session ${name}`);
    const command = COMMANDS.find((c) => c.name === name)!;
    for (const option of Object.keys(command.options)) expect(run.stdout).toContain(`--${option}`);
    expect(run.stdout).toContain('Exit codes: 0 ok, 1 failed, 2 usage error.');
  });

  it('exits 2 for an unknown command, naming the commands there are', async () => {
    const run = await runCli(['schema', 'push']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'unknown command "schema push". Commands: schema pull, schema check, schema diff, codegen, emulator, renew.',
    );
  });

  it('exits 2 for an unknown option without repeating its value', async () => {
    const run = await runCli(['schema', 'check', '--schema=private-value']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'unknown option "--schema" for "schema check". Run "schema check --help" for its options.',
    );
    expect(run.all).not.toContain('private-value');
  });

  it('refuses a token on the command line, pointing at the environment, without printing it', async () => {
    for (const args of [
      ['--token', 'shpat_secret_1'],
      ['--storefront-token=shpat_secret_1'],
      ['--private-token', 'shpat_secret_1'],
    ]) {
      const run = await runCli(['schema', 'pull', '--version', '2026-04', ...args]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        'tokens are read only from the environment (SHOPIFY_STOREFRONT_TOKEN or SHOPIFY_STOREFRONT_PRIVATE_TOKEN)',
      );
      expect(run.all).not.toContain('shpat_secret_1');
    }
  });

  it('exits 2 for an option without its value, a value on a flag, and stray positionals', async () => {
    expect((await runCli(['schema', 'pull', '--version'])).stderr).toContain(
      '--version needs a value: --version <YYYY-MM>.',
    );
    expect((await runCli(['schema', 'diff', '2026-01', '2026-04', '--json=yes'])).stderr).toContain(
      '--json takes no value.',
    );
    const stray = await runCli(['schema', 'check', 'extra']);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('"schema check" takes no positional arguments; got 1.');
  });

  it('runs a command added to the table as one entry, with generated help', async () => {
    const calls: string[][] = [];
    const emulator: Command = {
      name: 'emulator',
      summary: 'start the emulator',
      description: 'Starts it.',
      options: { port: { type: 'string', placeholder: '<n>', description: 'the port', default: '0' } },
      async run({ options }, io) {
        calls.push([String(options.port)]);
        io.stdout('listening');
        return EXIT.ok;
      },
    };
    const table = [...COMMANDS, emulator];
    expect((await runCli(['--help'], { commands: table })).stdout).toContain('  emulator      start the emulator');
    const run = await runCli(['emulator', '--port', '8080'], { commands: table });
    expect(run).toMatchObject({ code: 0, stdout: 'listening' });
    expect(calls).toEqual([['8080']]);
    expect((await runCli(['emulator', '--help'], { commands: table })).stdout).toContain('--port <n>');
  });

  it('gives a command group its own help: "schema --help" lists schema pull, check and diff', async () => {
    const help = await runCli(['schema', '--help']);
    expect(help.code, help.all).toBe(0);
    expect(help.stdout).toContain('Usage: storefront-customer-session schema <command> [options]');
    for (const name of ['schema pull', 'schema check', 'schema diff']) expect(help.stdout).toContain(`  ${name} `);
    expect(help.stdout).not.toContain('codegen');
    const bare = await runCli(['schema']);
    expect(bare.code).toBe(EXIT.usage);
    expect(bare.stderr).toContain('schema check');
  });

  it('answers --help and --version without graphql installed, and names the install when a command needs it', () => {
    const withoutGraphql = resolve(repo, 'test/fixtures/cli/without-graphql.mjs');
    const bin = (...args: string[]) =>
      spawnSync(
        process.execPath,
        ['--import', withoutGraphql, '--import', 'tsx', resolve(repo, 'src/cli/bin.ts'), ...args],
        {
          cwd: repo,
          encoding: 'utf8',
        },
      );
    const { version } = JSON.parse(readFileSync(resolve(repo, 'package.json'), 'utf8')) as { version: string };
    const versionRun = bin('--version');
    expect(versionRun.status, versionRun.stderr).toBe(0);
    expect(versionRun.stdout.trim()).toBe(version);
    for (const args of [['--help'], ['schema', '--help'], ...COMMANDS.map((c) => [...c.name.split(' '), '--help'])]) {
      const run = bin(...args);
      expect(run.status, `${args.join(' ')}: ${run.stderr}`).toBe(0);
      expect(run.stdout).toContain('Usage: storefront-customer-session');
    }
    const check = bin('schema', 'check');
    expect(check.status).toBe(EXIT.failed);
    expect(check.stderr.trim()).toBe(
      `storefront-customer-session: graphql is not installed beside the package ("${repo}"). "schema check" needs ` +
        'it (the exchanges do not): npm install --save-dev graphql',
    );
  }, 60_000);

  it('runs as a process from its bin file with the same exit codes', () => {
    const bin = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', resolve(repo, 'src/cli/bin.ts'), ...args], {
        cwd: repo,
        encoding: 'utf8',
      });
    const help = bin('--help');
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toContain('schema pull');
    const unknown = bin('nope');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown command "nope"');
  });
});
