import { generatedVersions } from '../../generated/versions.js';
import {
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRenewCommand } from '../../src/cli/renew.js';
import { DEFAULT_RETRY } from '../../src/runtime/storefrontRetry.js';
import {
  DEFAULT_CUSTOMER,
  formatExpiresAt,
  startEmulator,
  TOKEN_LIFETIME_MS,
  type Emulator,
} from '../../src/testing/index.js';
import { FIXED_NOW, runCli, type CliRun } from '../fixtures/schema/cli.js';

const DAY = 86_400_000;
const RENEW = 'CustomerAccessTokenRenew';
let em: Emulator;
let dir: string;
let file: string;
/** Every secret a run could leak: the emulator's storefront tokens and every customer token seen so far. */
const secrets = new Set<string>();

beforeAll(async () => {
  em = await startEmulator({ now: FIXED_NOW });
  secrets.add(em.publicAccessToken).add(em.privateAccessToken);
});
afterAll(() => em.close());
beforeEach(async () => {
  em.clock.set(FIXED_NOW);
  em.counters.reset();
  em.faults.clear();
  em.settings.renewReturns = 'new-token';
  em.settings.invalidRenewShape = 'user-errors';
  dir = await mkdtemp(join(tmpdir(), 'scs-renew-'));
  file = join(dir, 'customer-token.json');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** Writes a token file the way an app would after sign-in, and returns its exact text. */
async function saveToken(
  token: { accessToken: string; expiresAt: string },
  extra: Record<string, unknown> = {},
): Promise<string> {
  secrets.add(token.accessToken);
  const text = JSON.stringify({ ...token, ...extra }, null, 2);
  await writeFile(file, text, { mode: 0o600 });
  return text;
}

/** A token the emulator issued to the seeded customer, as sign-in would have returned it. */
function signedIn() {
  const issued = em.customers.issue(DEFAULT_CUSTOMER.email);
  return { accessToken: issued.accessToken, expiresAt: formatExpiresAt(issued.expiresAt) };
}

/** Runs `renew` against the emulator at the emulator's time, in the temp folder, with the public token in env. */
async function renew(
  args: string[] = [],
  options: { env?: Record<string, string | undefined>; command?: ReturnType<typeof createRenewCommand> } = {},
): Promise<CliRun> {
  const run = await runCli(['renew', '--store', em.storeDomain, ...args], {
    cwd: dir,
    env: options.env ?? { SHOPIFY_STOREFRONT_TOKEN: em.publicAccessToken },
    now: em.clock.now(),
    ...(options.command ? { commands: [options.command] } : {}),
  });
  for (const token of em.customers.tokens(DEFAULT_CUSTOMER.email)) secrets.add(token.accessToken);
  for (const secret of secrets) expect(run.all).not.toContain(secret);
  return run;
}

describe('the renew command', () => {
  it('renews the token, rewrites the file atomically with mode 0600, and prints only the new expiry', async () => {
    const old = signedIn();
    await saveToken(old, { email: DEFAULT_CUSTOMER.email });
    em.clock.advance(30 * DAY);

    const run = await renew();
    expect(run.code, run.all).toBe(0);
    expect(em.counters.count(RENEW)).toBe(1);
    const expiresAt = formatExpiresAt(FIXED_NOW + 30 * DAY + TOKEN_LIFETIME_MS);
    expect(run.stdout).toBe(`renewed: the customer access token in customer-token.json now expires at ${expiresAt}.`);
    expect(run.stderr).toBe('');

    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(saved).toEqual({ accessToken: expect.any(String), expiresAt, email: DEFAULT_CUSTOMER.email });
    expect(saved.accessToken).not.toBe(old.accessToken);
    expect(em.customers.tokens(DEFAULT_CUSTOMER.email).map((t) => t.accessToken)).toContain(saved.accessToken);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['customer-token.json']);
  });

  it('writes through a --token-file that is a symbolic link, keeping the link', async () => {
    await saveToken(signedIn());
    await mkdir(join(dir, 'secrets'));
    await rename(file, join(dir, 'secrets/customer-token.json'));
    await symlink('secrets/customer-token.json', file);
    em.clock.advance(30 * DAY);

    const run = await renew();
    expect(run.code, run.all).toBe(0);
    expect((await lstat(file)).isSymbolicLink()).toBe(true);
    expect(await readlink(file)).toBe('secrets/customer-token.json');
    const saved = JSON.parse(await readFile(join(dir, 'secrets/customer-token.json'), 'utf8'));
    expect(saved.expiresAt).toBe(formatExpiresAt(FIXED_NOW + 30 * DAY + TOKEN_LIFETIME_MS));
    expect((await stat(join(dir, 'secrets/customer-token.json'))).mode & 0o777).toBe(0o600);
    expect(await readdir(join(dir, 'secrets'))).toEqual(['customer-token.json']);
  });

  it(
    'keeps the token string and moves its expiry when the store renews in place, with a ' +
      '--token-file and --version',
    async () => {
      em.settings.renewReturns = 'same-token';
      file = join(dir, 'session.json');
      const old = signedIn();
      await saveToken(old);
      em.clock.advance(DAY);

      const run = await renew(['--token-file', 'session.json', '--version', '2026-01']);
      expect(run.code, run.all).toBe(0);
      expect(run.stderr).toBe('');
      expect(em.counters.count(RENEW)).toBe(1);
      expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
        accessToken: old.accessToken,
        expiresAt: formatExpiresAt(FIXED_NOW + DAY + TOKEN_LIFETIME_MS),
      });
      expect(run.stdout).toContain('in session.json now expires at');
    },
  );

  it('renews through a retired --version and says on stderr which version the store answered with', async () => {
    await saveToken(signedIn());
    const run = await renew(['--version', '2025-10']);
    expect(run.code, run.all).toBe(0);
    expect(run.stderr).toContain('requested Storefront API 2025-10 but 2026-01 answered (Shopify fell forward)');
    expect(run.stdout).toContain('now expires at');
  });

  it('never sends an expired token: exits 1 saying to sign in again, and leaves the file as it was', async () => {
    const text = await saveToken(signedIn());
    em.clock.advance(43 * DAY);

    const run = await renew();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('expired at');
    expect(run.stderr).toContain('nothing was sent. The customer must sign in again.');
    expect(em.counters.requests()).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it.each(['user-errors', 'access-denied'] as const)(
    'exits 1 and leaves the file untouched when the store refuses the token (%s)',
    async (shape) => {
      em.settings.invalidRenewShape = shape;
      const text = await saveToken({
        accessToken: `unknown-${shape}-0123456789abcdef`,
        expiresAt: formatExpiresAt(FIXED_NOW + 10 * DAY),
      });

      const run = await renew();
      expect(run.code).toBe(1);
      expect(em.counters.count(RENEW)).toBe(1);
      expect(run.stderr).toContain(
        shape === 'user-errors'
          ? 'the store refused the customer access token (access token does not exist)'
          : 'the store refused the customer access token (ACCESS_DENIED)',
      );
      expect(run.stderr).toContain('The customer must sign in again; customer-token.json was left as it was.');
      expect(run.stdout).toBe('');
      expect(await readFile(file, 'utf8')).toBe(text);
    },
  );

  it('exits 1 saying to retry later, file untouched, when every attempt meets a 503', async () => {
    const text = await saveToken(signedIn());
    em.faults.inject({ kind: 'status', status: 503 }, { times: Infinity, operationName: RENEW });
    const fast = createRenewCommand({ retry: { sleep: async () => {} } });

    const run = await renew([], { command: fast });
    expect(run.code).toBe(1);
    expect(em.counters.count(RENEW)).toBe(DEFAULT_RETRY.maxAttempts);
    expect(run.stderr).toContain(
      `could not renew the token right now (HTTP 503 after ${DEFAULT_RETRY.maxAttempts} attempt(s)). Try again later;`,
    );
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it('exits 1 naming the environment variable when the store refuses the storefront token', async () => {
    const text = await saveToken(signedIn());
    const run = await renew([], { env: { SHOPIFY_STOREFRONT_TOKEN: 'not-a-storefront-token' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('the store refused the storefront token (HTTP 401); check SHOPIFY_STOREFRONT_TOKEN');
    expect(run.all).not.toContain('not-a-storefront-token');
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it('renews with a private storefront token from SHOPIFY_STOREFRONT_PRIVATE_TOKEN', async () => {
    await saveToken(signedIn());
    const run = await renew([], { env: { SHOPIFY_STOREFRONT_PRIVATE_TOKEN: em.privateAccessToken } });
    expect(run.code, run.all).toBe(0);
    expect(em.counters.count(RENEW)).toBe(1);
  });

  describe('exits 2 without sending anything, naming the fix,', () => {
    const env = () => ({ SHOPIFY_STOREFRONT_TOKEN: em.publicAccessToken });
    it.each<[string, string[], () => Record<string, string | undefined>, string]>([
      ['without --store', ['renew'], env, 'the provided store domain ("") is invalid. renew needs --store <domain>'],
      [
        'for a malformed domain',
        ['renew', '--store', 'http://shop.example.com'],
        env,
        'the provided store domain ("http://shop.example.com") is invalid. Shopify is only served over https',
      ],
      [
        'for a domain with a path',
        ['renew', '--store', 'shop.example.com/admin'],
        env,
        'the provided store domain ("shop.example.com/admin") is invalid. Expected a host name',
      ],
      [
        'for a version that was not generated',
        ['renew', '--store', 'STORE', '--version', '2024-01'],
        env,
        'the provided version ("2024-01") is invalid. This package was generated for ' +
          `${generatedVersions.join(', ')}: use one of them, or upgrade storefront-customer-session to a release ` +
          'that vendors 2024-01.',
      ],
      [
        'for a malformed version',
        ['renew', '--store', 'STORE', '--version', '2026-13'],
        env,
        'the provided version ("2026-13") is invalid.',
      ],
      [
        'without a storefront token',
        ['renew', '--store', 'STORE'],
        () => ({}),
        'renew needs exactly one storefront token: set SHOPIFY_STOREFRONT_TOKEN (public, browsers and servers) ' +
          'or SHOPIFY_STOREFRONT_PRIVATE_TOKEN (private, servers only) in the environment.',
      ],
      [
        'with both storefront tokens',
        ['renew', '--store', 'STORE'],
        () => ({
          SHOPIFY_STOREFRONT_TOKEN: em.publicAccessToken,
          SHOPIFY_STOREFRONT_PRIVATE_TOKEN: em.privateAccessToken,
        }),
        'are set; unset one:',
      ],
      [
        'without the token file',
        ['renew', '--store', 'STORE', '--token-file', 'missing.json'],
        env,
        'the provided --token-file ("missing.json") is invalid. There is no such file. Sign the ' +
          'customer in and save the token there',
      ],
      [
        'for a customer token on the command line',
        ['renew', '--store', 'STORE', '--customer-token', 'shcat_secret'],
        env,
        'tokens are read only from the environment',
      ],
    ])('%s', async (_name, argv, makeEnv, message) => {
      await saveToken(signedIn());
      const run = await runCli(
        argv.map((a) => (a === 'STORE' ? em.storeDomain : a)),
        { cwd: dir, env: makeEnv(), now: em.clock.now() },
      );
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(message);
      expect(run.all).not.toContain('shcat_secret');
      for (const secret of secrets) expect(run.all).not.toContain(secret);
      expect(em.counters.requests()).toBe(0);
    });

    it.each([
      ['not JSON', 'secret-token-text-123'],
      ['JSON without a token', '{ "token": "secret-token-text-123" }'],
      ['a token without a date', '{ "accessToken": "secret-token-text-123", "expiresAt": "soon" }'],
    ])('for a token file that is %s, without quoting it', async (_name, content) => {
      await writeFile(file, content);
      const run = await renew();
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('the provided --token-file ("customer-token.json") is invalid.');
      expect(run.stderr).toContain('Expected JSON { "accessToken": "…", "expiresAt": "2026-05-01T12:00:00Z" }');
      expect(run.all).not.toContain('secret-token-text-123');
      expect(await readFile(file, 'utf8')).toBe(content);
      expect(em.counters.requests()).toBe(0);
    });
  });
});
