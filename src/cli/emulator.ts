import { generatedVersions } from '../../generated/versions.js';
import { ConfigurationError, invalidMessage } from '../runtime/errors.js';
import { formatInstant, nextCalendarChange, versionStatus } from '../runtime/versions.js';
import type { EmulatorOptions } from '../testing/index.js';
import { servesAsItself } from '../testing/routing.js';
import { RENEW_RETURNS } from '../testing/types.js';
import { EXIT, type CliIo, type Command } from './command.js';

/** The port `emulator` listens on when `--port` is not given. */
export const DEFAULT_EMULATOR_PORT = '8787';

/** What `emulator` needs from its surroundings; tests replace the signal wait. */
export interface EmulatorCommandOptions {
  /**
   * Resolves (with a name for the log line) when the emulator should stop.
   * @defaultValue the first SIGINT or SIGTERM the process receives
   */
  untilStopped?: () => Promise<string>;
}

/** Resolves with the name of the first SIGINT or SIGTERM, then stops listening for them. */
export function firstStopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** `a`, `a or b`, `a, b or c`. */
const orList = (items: readonly string[]) =>
  items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;

const ONE_OF = {
  'renew-returns': RENEW_RETURNS,
  'invalid-renew': ['user-errors', 'access-denied'],
} as const;

function oneOf<K extends keyof typeof ONE_OF>(name: K, value: unknown): (typeof ONE_OF)[K][number] | undefined {
  if (value === undefined) return undefined;
  const allowed: readonly string[] = ONE_OF[name];
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw new ConfigurationError(
      invalidMessage(`--${name}`, value, `Expected ${orList(allowed.map((a) => `"${a}"`))}.`),
    );
  }
  return value as (typeof ONE_OF)[K][number];
}

/** What `--public-token` accepts: what an HTTP header carries unchanged (visible ASCII, no spaces). */
const HEADER_TOKEN = /^[\x21-\x7e]{1,256}$/;

/**
 * Reads the command line into {@link EmulatorOptions}; every bad value is a {@link ConfigurationError} naming the fix.
 */
export function emulatorOptionsFrom(
  options: Record<string, string | boolean | undefined>,
): EmulatorOptions & { port: number; clientId?: string } {
  const portText = String(options.port ?? DEFAULT_EMULATOR_PORT);
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : Number.NaN;
  if (!(port >= 0 && port <= 65535)) {
    throw new ConfigurationError(
      invalidMessage('--port', portText, 'Expected a whole number from 0 (any free port) to 65535.'),
    );
  }
  let now: number | undefined;
  if (options.now !== undefined) {
    const text = String(options.now);
    now = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
    if (!Number.isFinite(now)) {
      throw new ConfigurationError(
        invalidMessage('--now', text, 'Expected an ISO 8601 date, e.g. 2026-05-01 or 2026-05-01T12:00:00Z.'),
      );
    }
  }
  const renewReturns = oneOf('renew-returns', options['renew-returns']);
  const invalidRenewShape = oneOf('invalid-renew', options['invalid-renew']);
  const publicToken = options['public-token'];
  if (publicToken !== undefined && (typeof publicToken !== 'string' || !HEADER_TOKEN.test(publicToken))) {
    // Only its length: even a fake token is not echoed, like every token the CLI handles.
    throw new ConfigurationError(
      invalidMessage(
        '--public-token',
        `(${String(publicToken).length} characters)`,
        'Expected 1 to 256 visible ASCII characters without spaces, e.g. --public-token dev-public-token.',
      ),
    );
  }
  const clientId = options['client-id'];
  if (clientId !== undefined && (typeof clientId !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(clientId))) {
    throw new ConfigurationError(
      invalidMessage('--client-id', clientId, 'Expected 1 to 200 visible ASCII characters, e.g. --client-id dev-app.'),
    );
  }
  return {
    port,
    ...(typeof clientId === 'string' ? { clientId } : {}),
    ...(publicToken === undefined
      ? {}
      : { storefrontTokens: [{ kind: 'public', token: publicToken }, { kind: 'private' }] }),
    ...(now === undefined ? {} : { now }),
    ...(renewReturns ? { renewReturns } : {}),
    ...(invalidRenewShape ? { invalidRenewShape } : {}),
  };
}

/**
 * The vendored versions the emulator serves as themselves at `now`, and the newest stable one among them (what the
 * banner's endpoint names): both follow the calendar, so a clock set in the past never names an unreleased version.
 */
function servedAtClock(now: number): { itself: string[]; endpointVersion: string } {
  const stable = (generatedVersions as readonly string[]).filter((v) => v !== 'unstable');
  const itself = stable.filter((v) => servesAsItself(v, now, stable));
  const endpointVersion = itself.filter((v) => versionStatus(v, now) === 'supported').at(-1) ?? itself.at(-1);
  return { itself, endpointVersion: endpointVersion ?? stable.at(-1)! };
}

/** The lines `emulator` prints once it listens: everything a developer needs to point an app at it. */
function banner(
  em: {
    url: string;
    storeDomain: string;
    publicAccessToken: string;
    customerAccount: { discoveryUrl: string; publicClientId: string; redirectUri: string };
  },
  customer: { email: string; password: string },
  options: EmulatorOptions & { clientId?: string },
): string {
  const ca = em.customerAccount;
  const now = options.now!;
  const { itself, endpointVersion } = servedAtClock(now);
  return [
    `Storefront emulator listening on ${em.url}`,
    `  store domain:    ${em.storeDomain}`,
    `  endpoint:        ${em.url}/api/${endpointVersion}/graphql.json (every vendored version, and unstable)`,
    `  versions:        ${itself.join(', ')} served as themselves at the clock; the calendar next changes ` +
      `at ${formatInstant(nextCalendarChange(now))}`,
    `  public token:    ${em.publicAccessToken} (a fake test token: send it as X-Shopify-Storefront-Access-Token)`,
    `  customer:        ${customer.email} / ${customer.password}`,
    `  renew returns:   ${options.renewReturns ?? 'new-token'}; an invalid token gets: ` +
      `${options.invalidRenewShape ?? 'user-errors'}`,
    `  customer account: ${ca.discoveryUrl} (shop: ${em.url})`,
    `  public client:   ${options.clientId ?? ca.publicClientId} (client_id; ` +
      `${options.clientId ? 'set by --client-id' : 'random on each start unless --client-id'}), ` +
      `redirect_uri ${ca.redirectUri}`,
    `  clock:           starts at ${new Date(now).toISOString()} and runs in real time`,
    'Stop with Ctrl+C (SIGINT) or SIGTERM.',
  ].join('\n');
}

/**
 * Makes the `emulator` command: the local Storefront emulator on 127.0.0.1 until SIGINT or SIGTERM.
 *
 * @param setup - how it learns to stop; the process's signals by default.
 * @returns the command, for the table in `src/cli/main.ts`.
 */
export function createEmulatorCommand(setup: EmulatorCommandOptions = {}): Command {
  const untilStopped = setup.untilStopped ?? firstStopSignal;
  return {
    name: 'emulator',
    summary: 'run the local Storefront emulator on 127.0.0.1 until Ctrl+C (for manual and app tests)',
    description: `Starts the local Storefront API emulator (the one storefront-customer-session/testing exports) on
127.0.0.1 and prints its URL, store domain, its fake public storefront token (random on each start unless
--public-token sets it) and the seeded customer's email and password. It serves every vendored API version
at /api/<version>/graphql.json, routed by Shopify's calendar at its clock (a version is released at 17:00
UTC on the 1st and falls forward from 15:00 UTC on the 16th a year later), and stays up until SIGINT
(Ctrl+C) or SIGTERM, then closes every connection and exits 0.
A port in use or a bad option exits 2.`,
    options: {
      port: {
        type: 'string',
        placeholder: '<n>',
        description: 'the port on 127.0.0.1 (0: any free port)',
        default: DEFAULT_EMULATOR_PORT,
      },
      now: {
        type: 'string',
        placeholder: '<ISO date>',
        description: 'start the emulator clock at this time (default: now)',
      },
      'renew-returns': {
        type: 'string',
        placeholder: '<mode>',
        description: `${orList(RENEW_RETURNS)}: what a successful renew returns (default: new-token)`,
      },
      'invalid-renew': {
        type: 'string',
        placeholder: '<shape>',
        description: 'user-errors or access-denied: how renew of an invalid token answers (default: user-errors)',
      },
      'public-token': {
        type: 'string',
        placeholder: '<token>',
        description: 'the fake public storefront token to accept, the same on every start (default: random)',
      },
      'client-id': {
        type: 'string',
        placeholder: '<id>',
        description: 'one more Customer Account public client, with this id on every start (the seeded one: random)',
      },
    },
    async run({ options }, io: CliIo) {
      const { clientId, ...emulatorOptions } = emulatorOptionsFrom(options);
      const startedAt = io.now();
      const start = emulatorOptions.now ?? startedAt;
      // Loaded here, so the other commands do not pay for the emulator's schemas and server.
      const { startEmulator, DEFAULT_CUSTOMER } = await import('../testing/index.js');
      const em = await startEmulator({ ...emulatorOptions, now: start });
      // Listen for the stop signal only once there is something to stop: a failed start leaves no listener behind.
      const stopped = untilStopped();
      // The emulator's clock only moves when told; a long-running one should age tokens like a store does.
      const ticker = setInterval(() => em.clock.set(start + (io.now() - startedAt)), 1_000);
      ticker.unref();
      try {
        // A public client whose id stays the same on every start, with the seeded one's callback URLs.
        if (clientId) {
          const { redirectUri, postLogoutRedirectUri } = em.customerAccount;
          em.customerAccount.registerClient({
            type: 'public',
            clientId,
            redirectUris: [redirectUri],
            postLogoutRedirectUris: [postLogoutRedirectUri],
          });
        }
        io.stdout(banner(em, DEFAULT_CUSTOMER, { ...emulatorOptions, now: start, ...(clientId ? { clientId } : {}) }));
        const signal = await stopped;
        io.stdout(`Received ${signal}; closing the emulator.`);
      } finally {
        clearInterval(ticker);
        await em.close();
      }
      io.stdout('Emulator closed.');
      return EXIT.ok;
    },
  };
}

/** `emulator`: the local Storefront emulator, stopped by SIGINT or SIGTERM. */
export const emulatorCommand: Command = createEmulatorCommand();
