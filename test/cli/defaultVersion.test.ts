import { describe, expect, it } from 'vitest';
import { rootVersion } from '../../generated/versions.js';
import { DEFAULT_API_VERSION } from '../../src/cli/command.js';
import { COMMANDS } from '../../src/cli/main.js';
import { runCli } from '../fixtures/schema/cli.js';

// One default API version across the CLI: the package root's, so `renew` speaks the version an app importing
// `storefront-customer-session` speaks.

describe('one default API version across the CLI', () => {
  it("is the package root's", () => {
    expect(DEFAULT_API_VERSION).toBe(rootVersion);
    expect(rootVersion).toBe('2026-04');
  });

  it.each(COMMANDS.filter((c) => c.options['version']).map((c) => c.name))(
    '"%s --version" defaults to it, and its help says so',
    async (name) => {
      const command = COMMANDS.find((c) => c.name === name)!;
      const spec = command.options['version']!;
      if (spec.default !== undefined) expect(spec.default).toBe(rootVersion);
      else expect(spec.description).toMatch(/required/);
      const help = await runCli([...name.split(' '), '--help']);
      if (spec.default !== undefined) expect(help.stdout).toContain(`(default: ${rootVersion})`);
    },
  );
});
