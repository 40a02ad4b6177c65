import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runApp } from '../../examples/app/app.js';
import { DEFAULT_CUSTOMER, startEmulator, type Emulator } from '../../src/testing/index.js';
import { runCli } from '../fixtures/schema/cli.js';

const repo = resolve(import.meta.dirname, '../..');
const app = join(repo, 'examples/app');
const exec = promisify(execFile);

describe('the example app (examples/app: two operations of its own)', () => {
  it("has its generated documents in sync with its operations (the CLI's codegen --check)", async () => {
    const run = await runCli(
      [
        'codegen',
        '--operations',
        'operations/*.graphql',
        '--out',
        'generated',
        '--versions',
        '2026-01,2026-04',
        '--check',
      ],
      { cwd: app },
    );
    expect(run.code, run.all).toBe(0);
    expect(run.stdout).toMatch(/codegen --check: 8 files up to date/);
  }, 60_000);

  it('type-checks with the package names as an app imports them', async () => {
    await expect(
      exec(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', app], { cwd: repo }),
    ).resolves.toBeDefined();
  }, 60_000);

  describe('against the emulator', () => {
    let emulator: Emulator;
    beforeAll(async () => {
      emulator = await startEmulator();
    });
    afterAll(() => emulator.close());

    it('reads its own operations with the token injected, and its 2026-01 document is refused by 2026-04', async () => {
      const report = await runApp({
        storeDomain: emulator.storeDomain,
        publicAccessToken: emulator.publicAccessToken,
        email: DEFAULT_CUSTOMER.email,
        password: DEFAULT_CUSTOMER.password,
      });
      expect(report).toEqual({
        shopName: expect.any(String),
        customerEmail: DEFAULT_CUSTOMER.email,
        orders: [],
        otherVersion: 'wrong-version-document',
      });
      expect(emulator.counters.count('CustomerOrders')).toBe(1);
    });
  });
});
