import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { Client, fetchExchange } from '@urql/core';
import { writeAtomically } from '../tooling/atomicWrite.js';
import type { bindRenew, bindStorefrontExchange } from '../runtime/versionEntry.js';
import { assertStoreDomain, exactlyOneToken } from '../runtime/endpoint.js';
import { ConfigurationError, invalidMessage, LIBRARY } from '../runtime/errors.js';
import type { RetryOptions } from '../runtime/storefrontRetry.js';
import { PRIVATE_TOKEN_ENV, PUBLIC_TOKEN_ENV } from '../schema/sources.js';
import { describeSignal, signalOf } from '../runtime/signals.js';
import { assertKnownVersion } from '../runtime/storefrontOptions.js';
import { isToken, type Token } from '../runtime/tokenStore.js';
import { DEFAULT_API_VERSION, EXIT, type Command } from './command.js';

/** The file `renew` reads the customer token from when `--token-file` is not given. */
export const DEFAULT_TOKEN_FILE = 'customer-token.json';

/** What `renew` needs from its surroundings; tests make the retries fast. */
export interface RenewCommandOptions {
  /** Transport retries of the storefront exchange. @defaultValue the exchange's defaults (4 attempts) */
  retry?: RetryOptions | false;
}

/** The part of a generated `generated/<version>/entry.ts` that `renew` uses. */
interface VersionEntry {
  storefrontExchange: ReturnType<typeof bindStorefrontExchange>;
  renewCustomerAccessToken: ReturnType<typeof bindRenew>;
}

const TOKEN_SHAPE =
  'Expected JSON { "accessToken": "…", "expiresAt": "2026-05-01T12:00:00Z" } as the sign-in returned it.';

/**
 * Reads and checks the token file; every problem is a {@link ConfigurationError} that never quotes the file's content.
 */
async function readTokenFile(path: string, shown: string): Promise<{ token: Token; fields: Record<string, unknown> }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const fix =
      code === 'ENOENT'
        ? `There is no such file. Sign the customer in and save the token there as JSON { ` +
          `"accessToken": "…", "expiresAt": "…" } (mode 0600), or pass --token-file <path>.`
        : `It cannot be read (${code ?? 'error'}); fix its permissions or pass --token-file <path>.`;
    throw new ConfigurationError(invalidMessage('--token-file', shown, fix), { cause: error });
  }
  let fields: unknown;
  try {
    fields = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text: the secret. Say only that it is not JSON.
    throw new ConfigurationError(invalidMessage('--token-file', shown, `It is not JSON. ${TOKEN_SHAPE}`));
  }
  if (!isToken(fields) || !Number.isFinite(Date.parse(fields.expiresAt))) {
    throw new ConfigurationError(
      invalidMessage('--token-file', shown, `It has no usable customer token. ${TOKEN_SHAPE}`),
    );
  }
  return {
    token: { accessToken: fields.accessToken, expiresAt: fields.expiresAt },
    fields: fields as unknown as Record<string, unknown>,
  };
}

/** Replaces every occurrence of each secret by `(redacted)`: a last guard for text printed from a server answer. */
function redact(text: string, secrets: readonly string[]): string {
  return secrets.filter((s) => s.length > 0).reduce((out, secret) => out.split(secret).join('(redacted)'), text);
}

/**
 * Makes the `renew` command: renews the customer access token in a JSON file through this package's exchanges.
 *
 * @param setup - transport retry options (tests make them fast).
 * @returns the command, for the table in `src/cli/main.ts`.
 */
export function createRenewCommand(setup: RenewCommandOptions = {}): Command {
  return {
    name: 'renew',
    summary: 'renew the customer access token kept in a JSON file (--token-file) through the exchanges',
    description: `Renews the customer access token saved in <token-file> ({ "accessToken", "expiresAt" }) with the
renew mutation of <version>, through this package's storefront exchange, and writes the new token back
to the same file atomically (mode 0600). It prints only the new expiresAt, never a token.
The storefront token comes from ${PUBLIC_TOKEN_ENV} (public) or ${PRIVATE_TOKEN_ENV} (private) in the environment.
Exits 1, leaving the file as it was, when the token has expired or the store refuses it (the customer
must sign in again) or when the store cannot be reached (retry later); exits 2 for a bad command line,
a missing or unreadable token file, or a missing storefront token.`,
    options: {
      store: {
        type: 'string',
        placeholder: '<domain>',
        description: 'the shop, e.g. your-shop.myshopify.com (127.0.0.1:PORT for the emulator; required)',
      },
      version: {
        type: 'string',
        placeholder: '<YYYY-MM>',
        description: 'the API version whose renew mutation is sent',
        default: DEFAULT_API_VERSION,
      },
      'token-file': {
        type: 'string',
        placeholder: '<path>',
        description: 'the JSON file holding the customer token',
        default: DEFAULT_TOKEN_FILE,
      },
    },
    async run({ options }, io) {
      const store = options.store as string | undefined;
      if (!store)
        throw new ConfigurationError(
          invalidMessage('store domain', '', 'renew needs --store <domain>, e.g. --store your-shop.myshopify.com.'),
        );
      const storeDomain = assertStoreDomain(store, 'store domain');
      const version = options.version as string;
      assertKnownVersion(version, io.now(), 'version');
      const publicAccessToken = io.env[PUBLIC_TOKEN_ENV] || undefined;
      const privateAccessToken = io.env[PRIVATE_TOKEN_ENV] || undefined;
      exactlyOneToken(publicAccessToken, privateAccessToken, {
        public: PUBLIC_TOKEN_ENV,
        private: PRIVATE_TOKEN_ENV,
        verb: 'Set',
        who: 'renew',
        where: ' in the environment',
      });
      const path = resolve(io.cwd, options['token-file'] as string);
      const relativePath = relative(io.cwd, path);
      const shown = relativePath.startsWith('..') ? path : relativePath;
      const { token, fields } = await readTokenFile(path, shown);
      const secrets = [token.accessToken, publicAccessToken ?? '', privateAccessToken ?? ''];
      const fail = (message: string) => {
        io.stderr(redact(`${LIBRARY}: renew failed: ${message}`, secrets));
        return EXIT.failed;
      };

      // `version` is one of generatedVersions (checked above), so this names an existing entry point; loaded
      // on demand so that a new generated version needs no edit here (vite-ignore: bundlers must not glob it).
      const entry = (await import(/* @vite-ignore */ `../../generated/${version}/entry.js`)) as VersionEntry;
      const client = new Client({
        url: `https://${storeDomain}`,
        exchanges: [
          entry.storefrontExchange({
            storeDomain: store,
            ...(privateAccessToken ? { privateAccessToken } : { publicAccessToken: publicAccessToken! }),
            now: io.now,
            onVersionMismatch: (signal) => io.stderr(describeSignal(signal)),
            ...(setup.retry !== undefined ? { retry: setup.retry } : {}),
          }),
          fetchExchange,
        ],
      });
      const result = await entry.renewCustomerAccessToken(client, token, { now: io.now });

      if (result.ok) {
        try {
          await writeAtomically(path, `${JSON.stringify({ ...fields, ...result.token }, null, 2)}\n`, { mode: 0o600 });
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code ?? 'error';
          return fail(
            `the token was renewed but ${shown} could not be written (${code}); it was left as it ` +
              `was, and its token still works until ${token.expiresAt}.`,
          );
        }
        io.stdout(`renewed: the customer access token in ${shown} now expires at ${result.token.expiresAt}.`);
        return EXIT.ok;
      }
      const kept = `${shown} was left as it was.`;
      if (result.reason === 'expired') {
        return fail(
          `the customer access token in ${shown} expired at ${token.expiresAt} (or expires within ` +
            'minutes), and an expired token cannot be renewed; nothing was sent. The customer must ' +
            'sign in again.',
        );
      }
      if (result.reason === 'invalid') {
        const why = result.userErrors.map((e) => e.message).join('; ') || 'ACCESS_DENIED';
        return fail(`the store refused the customer access token (${why}). The customer must sign in again; ${kept}`);
      }
      const signal = signalOf(result.error);
      if (
        signal?.kind === 'storefront-unavailable' &&
        !signal.transient &&
        (signal.status === 401 || signal.status === 403)
      ) {
        return fail(
          `the store refused the storefront token (HTTP ${signal.status}); check ` +
            `${privateAccessToken ? PRIVATE_TOKEN_ENV : PUBLIC_TOKEN_ENV} and its scopes. ${kept}`,
        );
      }
      if (
        signal?.kind === 'storefront-unavailable' &&
        signal.status !== null &&
        signal.status >= 300 &&
        signal.status < 400
      ) {
        // Retrying cannot help: the same redirect comes back until --store names the store itself.
        return fail(
          `${storeDomain} answered with a redirect (HTTP ${signal.status}); it was not followed, so no token went ` +
            `elsewhere: pass the store's own domain, e.g. --store your-shop.myshopify.com. ${kept}`,
        );
      }
      const what =
        signal?.kind === 'storefront-unavailable'
          ? `${signal.status === null ? 'network error' : `HTTP ${signal.status}`} after ${signal.attempts} attempt(s)`
          : 'no usable answer';
      return fail(
        `the Storefront API could not renew the token right now (${what}). Try again later; ` +
          `${kept} Its token still works until ${token.expiresAt}.`,
      );
    },
  };
}

/** `renew`: renews the customer token in `--token-file` and writes it back atomically. */
export const renewCommand: Command = createRenewCommand();
