import { spawn } from 'node:child_process';
import { createServer, connect, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulatorCommand } from '../../src/cli/emulator.js';
import { main, type CliIo } from '../../src/cli/main.js';
import { postGraphQL } from '../../src/testing/index.js';
import { createSignIn, discoverCustomerAccount } from '../../src/customerAccount/index.js';
import { runCli } from '../fixtures/schema/cli.js';

const repo = resolve(import.meta.dirname, '../..');
const CREATE =
  'mutation CustomerAccessTokenCreate($input: CustomerAccessTokenCreateInput!) { ' +
  'customerAccessTokenCreate(input: $input) { customerAccessToken { accessToken expiresAt } ' +
  'customerUserErrors { code } } }';
const RENEW =
  'mutation CustomerAccessTokenRenew($t: String!) { ' +
  'customerAccessTokenRenew(customerAccessToken: $t) { customerAccessToken { accessToken ' +
  'expiresAt } userErrors { message } } }';

/** What the banner says, read back the way a developer (or a script) would. */
function readBanner(text: string) {
  const field = (label: string) => new RegExp(`^  ${label}:\\s+(\\S+)`, 'm').exec(text)?.[1];
  const customer = /^ {2}customer:\s+(\S+) \/ (\S+)$/m.exec(text);
  return {
    url: /listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(text)?.[1],
    storeDomain: field('store domain'),
    token: field('public token'),
    email: customer?.[1],
    password: customer?.[2],
  };
}

/** Runs the command in this process with `args` until `stop()`; resolves once it printed its banner. */
async function startCommand(args: string[], now: () => number) {
  const out: string[] = [];
  let stop!: (name: string) => void;
  const io: CliIo = { stdout: (t) => void out.push(t), stderr: (t) => void out.push(t), env: {}, cwd: repo, now };
  const command = createEmulatorCommand({ untilStopped: () => new Promise((resolve) => (stop = resolve)) });
  const running = main(['emulator', '--port', '0', ...args], io, [command]);
  await expect.poll(() => out.join('\n'), { interval: 10 }).toContain('Stop with Ctrl+C');
  return { text: out.join('\n'), stop: () => (stop('test stop'), running) };
}

/** Resolves once nothing listens on 127.0.0.1:port any more. */
function refusesConnections(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), done(false)));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code === 'ECONNREFUSED'));
  });
}

describe('the emulator command', () => {
  // The bin is run with node --import tsx (what `npx tsx` runs) so the signal reaches the CLI process itself.
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'runs as a process, answers a sign-in over HTTP, and on %s closes its port and exits 0',
    async (signal) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', resolve(repo, 'src/cli/bin.ts'), 'emulator', '--port', '0'],
        { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
      const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
      try {
        await new Promise<void>((ready, fail) => {
          child.stdout.on('data', (chunk: Buffer) => {
            stdout += chunk;
            if (stdout.includes('Stop with Ctrl+C')) ready();
          });
          child.once('exit', () => fail(new Error(`the emulator exited early: ${stderr}`)));
        });
        const banner = readBanner(stdout);
        expect(banner.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect(banner.storeDomain).toBe(banner.url!.slice('http://'.length));
        const port = Number(new URL(banner.url!).port);
        expect(port).toBeGreaterThan(0);

        const signIn = await postGraphQL({
          url: banner.url!,
          version: '2026-04',
          token: banner.token!,
          query: CREATE,
          variables: { input: { email: banner.email, password: banner.password } },
        });
        expect(signIn.status).toBe(200);
        expect(signIn.body.data.customerAccessTokenCreate.customerAccessToken.accessToken).toMatch(/^\w{16,}$/);
        const refused = await postGraphQL({
          url: banner.url!,
          version: '2026-04',
          query: CREATE,
          variables: { input: { email: banner.email, password: banner.password } },
        });
        expect(refused.status).toBe(401);

        child.kill(signal);
        expect(await exited, stderr).toBe(0);
        expect(stdout).toContain(`Received ${signal}; closing the emulator.`);
        expect(stdout.trimEnd().endsWith('Emulator closed.')).toBe(true);
        expect(await refusesConnections(port)).toBe(true);
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    },
  );

  it('applies --now, --renew-returns and --invalid-renew, and closes when told to stop', async () => {
    const em = await startCommand(
      ['--now', '2026-05-01T00:00:00Z', '--renew-returns', 'same-token', '--invalid-renew', 'access-denied'],
      () => Date.UTC(2026, 10, 22),
    );
    const banner = readBanner(em.text);
    expect(em.text).toContain('clock:           starts at 2026-05-01T00:00:00.000Z');

    const signIn = await postGraphQL({
      url: banner.url!,
      version: '2026-04',
      token: banner.token!,
      query: CREATE,
      variables: { input: { email: banner.email, password: banner.password } },
    });
    const issued = signIn.body.data.customerAccessTokenCreate.customerAccessToken;
    expect(issued.expiresAt).toBe('2026-06-12T00:00:00Z');
    const renewed = await postGraphQL({
      url: banner.url!,
      version: '2026-04',
      token: banner.token!,
      query: RENEW,
      variables: { t: issued.accessToken },
    });
    expect(renewed.body.data.customerAccessTokenRenew.customerAccessToken.accessToken).toBe(issued.accessToken);
    const invalid = await postGraphQL({
      url: banner.url!,
      version: '2026-04',
      token: banner.token!,
      query: RENEW,
      variables: { t: 'no-such-token' },
    });
    expect(invalid.body.data.customerAccessTokenRenew).toBeNull();
    expect(invalid.body.errors[0].extensions.code).toBe('ACCESS_DENIED');

    expect(await em.stop()).toBe(0);
    expect(await refusesConnections(Number(new URL(banner.url!).port))).toBe(true);
  });

  it('takes every renewReturns mode in --renew-returns (rotate deletes the renewed token) and a stable --client-id', async () => {
    const em = await startCommand(['--renew-returns', 'rotate', '--client-id', 'dev-app'], Date.now);
    const banner = readBanner(em.text);
    expect(em.text).toContain('renew returns:   rotate');
    const post = (query: string, variables: Record<string, unknown>) =>
      postGraphQL({ url: banner.url!, version: '2026-04', token: banner.token!, query, variables });
    const signIn = await post(CREATE, { input: { email: banner.email, password: banner.password } });
    const issued = signIn.body.data.customerAccessTokenCreate.customerAccessToken;
    const renewed = await post(RENEW, { t: issued.accessToken });
    expect(renewed.body.data.customerAccessTokenRenew.customerAccessToken.accessToken).not.toBe(issued.accessToken);
    const again = await post(RENEW, { t: issued.accessToken });
    expect(again.body.data.customerAccessTokenRenew.customerAccessToken).toBeNull();
    // The Customer Account sign-in with the client id the command was given, at the discovery URL it printed.
    expect(em.text).toContain(`customer account: ${banner.url}/.well-known/openid-configuration`);
    expect(em.text).toContain('public client:   dev-app (client_id; set by --client-id)');
    const endpoints = await discoverCustomerAccount(banner.url!);
    const redirectUri = 'http://localhost:3000/account/authorize';
    const authorize = await fetch((await createSignIn({ endpoints, clientId: 'dev-app', redirectUri })).url, {
      redirect: 'manual',
    });
    expect(authorize.status).toBe(302);
    expect(authorize.headers.get('location')).toMatch(/^http:\/\/localhost:3000\/account\/authorize\?code=/);
    expect(await em.stop()).toBe(0);
  });

  it('accepts the same --public-token on every start, and names only the versions served at its clock', async () => {
    const start = (args: string[]) => startCommand(args, () => Date.UTC(2026, 10, 22));
    for (let run = 0; run < 2; run++) {
      const em = await start(['--public-token', 'dev-public-token', '--now', '2026-05-01T00:00:00Z']);
      const banner = readBanner(em.text);
      expect(banner.token).toBe('dev-public-token');
      // On 2026-05-01, 2026-07 is the release candidate and 2026-10 is not out: the endpoint names 2026-04.
      expect(em.text).toContain(`endpoint:        ${banner.url}/api/2026-04/graphql.json`);
      expect(em.text).toContain(
        'versions:        2025-07, 2025-10, 2026-01, 2026-04, 2026-07 served as themselves at the clock; ' +
          'the calendar next changes at 2026-07-01 17:00 UTC',
      );
      const signIn = await postGraphQL({
        url: banner.url!,
        version: '2026-04',
        token: 'dev-public-token',
        query: CREATE,
        variables: { input: { email: banner.email, password: banner.password } },
      });
      expect(signIn.status).toBe(200);
      expect(signIn.body.data.customerAccessTokenCreate.customerAccessToken).not.toBeNull();
      expect(await em.stop()).toBe(0);
    }
    const random = await start([]);
    expect(readBanner(random.text).token).toMatch(/^[0-9a-f]{32}$/);
    expect(random.text).toContain('/api/2026-10/graphql.json');
    expect(await random.stop()).toBe(0);
  });

  it.each([
    [
      ['--public-token', 'has space'],
      'the provided --public-token ("(9 characters)") is invalid. Expected 1 to 256 visible ASCII characters',
    ],
    [
      ['--port', 'http'],
      'the provided --port ("http") is invalid. Expected a whole number from 0 (any free port) to 65535.',
    ],
    [['--port', '70000'], 'the provided --port ("70000") is invalid.'],
    [['--now', 'yesterday'], 'the provided --now ("yesterday") is invalid. Expected an ISO 8601 date'],
    [['--now', '2026-13-45'], 'the provided --now ("2026-13-45") is invalid.'],
    [
      ['--renew-returns', 'fresh'],
      'the provided --renew-returns ("fresh") is invalid. Expected "same-token", "new-token", "not-extending", ' +
        '"rotate-same-expiry" or "rotate".',
    ],
    [
      ['--invalid-renew', 'null'],
      'the provided --invalid-renew ("null") is invalid. Expected "user-errors" or "access-denied".',
    ],
    [
      ['--client-id', 'has space'],
      'the provided --client-id ("has space") is invalid. Expected 1 to 200 visible ASCII characters',
    ],
    [['--host', '0.0.0.0'], 'unknown option "--host" for "emulator".'],
    [['--port'], '--port needs a value: --port <n>.'],
  ])('exits 2 for a bad option %j, naming the fix', async (args, message) => {
    const run = await runCli(['emulator', ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
  });

  describe('with its port taken', () => {
    let taken: Server;
    beforeAll(async () => {
      taken = createServer();
      await new Promise<void>((ready) => taken.listen(0, '127.0.0.1', ready));
    });
    afterAll(() => new Promise<void>((done) => taken.close(() => done())));

    it('exits 2 saying the port is in use, without waiting for a signal', async () => {
      const port = (taken.address() as AddressInfo).port;
      const listeners = () => process.listenerCount('SIGTERM') + process.listenerCount('SIGINT');
      const before = listeners();
      const run = await runCli(['emulator', '--port', String(port)]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        `the provided port ("${port}") is invalid. It is in use; pick another port, or 0 for any free one.`,
      );
      expect(listeners()).toBe(before);
    });
  });
});

describe('the emulator command on 2026-12-01 (today)', () => {
  it('answers 2026-10 as itself and a retired 2025-07 with the oldest version supported today, 2026-01', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', resolve(repo, 'src/cli/bin.ts'), 'emulator', '--port', '0', '--now', '2026-12-01'],
      { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      await new Promise<void>((ready, fail) => {
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk;
          if (stdout.includes('Stop with Ctrl+C')) ready();
        });
        child.once('exit', () => fail(new Error('the emulator exited early')));
      });
      const { url, token } = readBanner(stdout);
      const ask = (version: string) =>
        postGraphQL({ url: url!, version, query: '{ publicApiVersions { handle supported } }', token: token! });
      const current = await ask('2026-10');
      expect(current.status).toBe(200);
      expect(current.version).toBe('2026-10');
      const retired = await ask('2025-07');
      expect(retired.status).toBe(200);
      expect(retired.version).toBe('2026-01');
      const listed = current.body.data.publicApiVersions as Array<{ handle: string; supported: boolean }>;
      expect(listed.filter((v) => v.supported).map((v) => v.handle)).toEqual([
        '2026-01',
        '2026-04',
        '2026-07',
        '2026-10',
      ]);
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
