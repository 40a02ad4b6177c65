import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SchemaDiff } from '../../src/schema/diff.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../fixtures/schema/cli.js';
import { UNTRUSTED_SDL } from '../fixtures/schema/untrusted.js';

const repo = resolve(import.meta.dirname, '../..');
const fixture = resolve(import.meta.dirname, '../fixtures/schema/diff');
const fixtureArgs = ['--schema-dir', resolve(fixture, 'schema'), '--operations', resolve(fixture, 'operations')];

describe('schema diff on schemas graphql-js’s type-system validation rejects', () => {
  it('diffs them as Shopify serves them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scs-diff-untrusted-'));
    try {
      await writeFile(join(dir, '2026-01.graphql'), UNTRUSTED_SDL);
      await writeFile(
        join(dir, '2026-04.graphql'),
        UNTRUSTED_SDL.replace('  email: String\n', '  email: String\n  phone: String\n'),
      );
      const run = await runCli(
        ['schema', 'diff', '2026-01', '2026-04', '--schema-dir', dir, '--operations', 'operations/Customer*.graphql'],
        {
          cwd: repo,
        },
      );
      expect(run.code, run.all).toBe(0);
      expect(run.stdout).toContain(
        'SAFE       FIELD_ADDED                  Customer.phone was added.  [affects: Customer]',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('schema diff on fixture schemas', () => {
  it(
    'lists only the changes that touch what the operations reach, breaking first, then ' + 'dangerous, then safe',
    async () => {
      const run = await runCli(['schema', 'diff', '2026-01', '2026-04', ...fixtureArgs], { cwd: fixture });
      expect(run.code, run.all).toBe(0);
      expect(run.stdout.split('\n')).toEqual([
        'schema diff 2026-01 → 2026-04: 4 breaking, 3 dangerous, 1 safe change(s) touching what ' +
          'the operations reach (14 types, 12 selected fields).',
        'BREAKING   REQUIRED_INPUT_FIELD_ADDED   A required field source on input type RenewInput ' +
          'was added.  [affects: Renew]',
        'BREAKING   VALUE_REMOVED_FROM_ENUM      APP was removed from enum type Channel.  [affects: Renew]',
        'BREAKING   VALUE_REMOVED_FROM_ENUM      B was removed from enum type Kind.  [affects: Me]',
        'BREAKING   FIELD_CHANGED_KIND           Token.expiresAt changed type from String! to ' +
          'DateTime!.  [affects: Renew]',
        'DANGEROUS  OPTIONAL_ARG_ADDED           An optional arg dryRun on Mutation.renew was added.  [affects: Renew]',
        'DANGEROUS  DEPRECATION_ADDED            Customer.name is deprecated: Use displayName.  [affects: Me]',
        'DANGEROUS  VALUE_ADDED_TO_ENUM          THROTTLED was added to enum type ErrCode.  [affects: Renew]',
        'SAFE       FIELD_ADDED                  Customer.displayName was added.  [affects: Me]',
      ]);
      // Unselected fields (Token.legacy, Mutation.other), unreachable types (Unrelated) and new root fields stay out.
      expect(run.stdout).not.toMatch(/legacy|Unrelated|unrelated|other|newThing/);
    },
  );

  it('prints the same diff as JSON with the reachable types and selected fields', async () => {
    const run = await runCli(['schema', 'diff', '2026-01', '2026-04', '--json', ...fixtureArgs], { cwd: fixture });
    expect(run.code).toBe(0);
    const diff = JSON.parse(run.stdout) as SchemaDiff;
    expect(diff.from).toBe('2026-01');
    expect(diff.to).toBe('2026-04');
    expect(diff.reachable.types).toEqual([
      'Boolean',
      'Channel',
      'Customer',
      'DateTime',
      'Err',
      'ErrCode',
      'ID',
      'Kind',
      'Mutation',
      'Query',
      'RenewInput',
      'RenewPayload',
      'String',
      'Token',
    ]);
    expect(diff.reachable.fields).toContain('Token.expiresAt');
    expect(diff.reachable.fields).not.toContain('Token.legacy');
    expect(diff.changes.map((c) => c.severity)).toEqual([
      'breaking',
      'breaking',
      'breaking',
      'breaking',
      'dangerous',
      'dangerous',
      'dangerous',
      'safe',
    ]);
    expect(diff.changes[3]).toEqual({
      severity: 'breaking',
      type: 'FIELD_CHANGED_KIND',
      description: 'Token.expiresAt changed type from String! to DateTime!.',
      operations: ['Renew'],
    });
  });

  it('exits 1 with --fail-on-breaking when there is a breaking change, and 0 when there is none', async () => {
    const breaking = await runCli(['schema', 'diff', '2026-01', '2026-04', '--fail-on-breaking', ...fixtureArgs], {
      cwd: fixture,
    });
    expect(breaking.code).toBe(1);
    expect(breaking.stdout).toContain('BREAKING');
    const same = await runCli(['schema', 'diff', '2026-04', '2026-04', '--fail-on-breaking', ...fixtureArgs], {
      cwd: fixture,
    });
    expect(same.code).toBe(0);
    expect(same.stdout).toBe(
      'schema diff 2026-04 → 2026-04: 0 breaking, 0 dangerous, 0 safe change(s) touching what ' +
        'the operations reach (14 types, 12 selected fields).',
    );
  });

  it(
    'reports the reverse direction: a type, an argument, an input field and an enum value ' +
      'removed, a selected type changed',
    async () => {
      const run = await runCli(['schema', 'diff', '2026-04', '2026-01', '--json', ...fixtureArgs], { cwd: fixture });
      const diff = JSON.parse(run.stdout) as SchemaDiff;
      expect(diff.changes.filter((c) => c.severity === 'breaking').map((c) => `${c.type} ${c.description}`)).toEqual([
        'TYPE_REMOVED DateTime was removed.',
        'ARG_REMOVED Mutation.renew arg dryRun was removed.',
        'FIELD_REMOVED RenewInput.source was removed.',
        'VALUE_REMOVED_FROM_ENUM THROTTLED was removed from enum type ErrCode.',
        'FIELD_CHANGED_KIND Token.expiresAt changed type from DateTime! to String!.',
      ]);
      expect(diff.changes).toContainEqual({
        severity: 'safe',
        type: 'FIELD_ADDED',
        description: 'Token.legacy was added.',
        operations: ['Renew'],
      });
      expect(diff.changes).toContainEqual({
        severity: 'safe',
        type: 'DEPRECATION_REMOVED',
        description: 'Customer.name is no longer deprecated.',
        operations: ['Me'],
      });
    },
  );

  it('exits 2 naming the fix for a version without a snapshot, a malformed version or a missing argument', async () => {
    const missing = await runCli(['schema', 'diff', '2026-01', '2026-07', ...fixtureArgs], { cwd: fixture });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('the provided to version ("2026-07") is invalid.');
    expect(missing.stderr).toContain('Vendored: 2026-01, 2026-04. Run `schema pull --version 2026-07` to add it.');
    const malformed = await runCli(['schema', 'diff', '2026-1', '2026-04', ...fixtureArgs], { cwd: fixture });
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('the provided from version ("2026-1") is invalid. Expected YYYY-MM');
    const one = await runCli(['schema', 'diff', '2026-01'], { cwd: fixture });
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('"schema diff" needs <from> <to>');
  });
});

// The token operations (the cart ones reach CartErrorCode, whose payment values the 2026-10 snapshot no longer
// lists: `schema diff 2026-04 2026-10` reports them as breaking for CartCreate and CartBuyerIdentityUpdate).
describe('schema diff on the vendored schemas', () => {
  it(
    'finds nothing breaking for the operations from 2025-07 to 2026-04 and lists the new ' + 'Customer fields',
    async () => {
      const run = await runCli(
        [
          'schema',
          'diff',
          '2025-07',
          '2026-04',
          '--operations',
          'operations/Customer*.graphql',
          '--fail-on-breaking',
          '--json',
        ],
        {
          cwd: repo,
        },
      );
      expect(run.code, run.all).toBe(0);
      const diff = JSON.parse(run.stdout) as SchemaDiff;
      expect(diff.reachable.fields).toEqual(
        expect.arrayContaining([
          'Mutation.customerAccessTokenRenew',
          'CustomerAccessToken.expiresAt',
          'QueryRoot.customer',
        ]),
      );
      expect(diff.reachable.types).toEqual(
        expect.arrayContaining(['CustomerAccessTokenCreateInput', 'CustomerErrorCode', 'DateTime']),
      );
      expect(diff.changes.filter((c) => c.severity === 'breaking')).toEqual([]);
      expect(diff.changes).toContainEqual({
        severity: 'safe',
        type: 'FIELD_ADDED',
        description: 'Customer.avatarUrl was added.',
        operations: ['Customer'],
      });
      expect(
        diff.changes
          .filter((c) => c.type === 'FIELD_ADDED')
          .every((c) => !c.description.startsWith('Mutation.') && !c.description.startsWith('QueryRoot.')),
      ).toBe(true);
    },
  );

  it(
    'finds nothing breaking from 2026-04 to 2026-10, and names the operation each new ' + 'description belongs to',
    async () => {
      const run = await runCli(
        ['schema', 'diff', '2026-04', '2026-10', '--operations', 'operations/Customer*.graphql', '--fail-on-breaking'],
        { cwd: repo },
      );
      expect(run.code, run.all).toBe(0);
      const lines = run.stdout.split('\n');
      expect(lines[0]).toBe(
        'schema diff 2026-04 → 2026-10: 0 breaking, 0 dangerous, 4 safe change(s) touching what ' +
          'the operations reach (14 types, 23 selected fields).',
      );
      expect(lines).toContain(
        'SAFE       DESCRIPTION_CHANGED          Mutation.customerAccessTokenCreate has a new ' +
          'description: "For legacy customer accounts only.".  [affects: CustomerAccessTokenCreate]',
      );
      expect(lines.slice(1).every((l) => l.startsWith('SAFE       DESCRIPTION_CHANGED'))).toBe(true);
    },
  );

  it('finds no change at all for the operations from 2026-07 to 2026-10', async () => {
    const run = await runCli(
      ['schema', 'diff', '2026-07', '2026-10', '--operations', 'operations/Customer*.graphql', '--fail-on-breaking'],
      { cwd: repo },
    );
    expect(run.code, run.all).toBe(0);
    expect(run.stdout).toBe(
      'schema diff 2026-07 → 2026-10: 0 breaking, 0 dangerous, 0 safe change(s) touching what ' +
        'the operations reach (14 types, 23 selected fields).',
    );
  });
});

describe('schema diff in an app (no schema/ folder of its own)', () => {
  it("diffs the schemas shipped in the package for the app's --operations", async () => {
    const app = resolve(repo, 'examples/app');
    const run = await runCli(['schema', 'diff', '2025-07', '2026-04', '--operations', 'operations', '--json'], {
      cwd: app,
    });
    expect(run.code, run.all).toBe(0);
    const diff = JSON.parse(run.stdout) as SchemaDiff;
    expect(diff.reachable.fields).toEqual(expect.arrayContaining(['QueryRoot.customer', 'QueryRoot.shop']));
    expect(diff.reachable.fields).not.toContain('Mutation.customerAccessTokenRenew');
  });
});
