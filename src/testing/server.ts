import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigurationError, invalidMessage } from '../runtime/errors.js';
import { fetchHandler } from './fetchHandler.js';
import { emulatorCore, type FetchEmulator } from './emulator.js';
import { MAX_BODY_LENGTH, type EmulatorRequest } from './handler.js';
import { CORS_HEADERS, JSON_TYPE, type Answer } from './responses.js';
import { loadSchemaSet } from './schemas.js';
import { customerAccountSchemasIn } from './customerAccount/schemaFiles.js';
import type { EmulatorOptions } from './types.js';

/** A running emulator: the {@link FetchEmulator} behind a `node:http` server on 127.0.0.1. */
export interface Emulator extends FetchEmulator {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** `127.0.0.1:PORT`, for a `storeDomain` option (loopback is reached over http). */
  storeDomain: string;
  /** The Node server, for tests that inspect it. */
  server: Server;
  /** Stops listening and closes every connection (keep-alive ones too). Leaves no open handle. */
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) => {
      const fix =
        error.code === 'EADDRINUSE'
          ? 'It is in use; pick another port, or 0 for any free one.'
          : `Listening failed (${error.code ?? error.message}).`;
      reject(new ConfigurationError(invalidMessage('port', port, fix), { cause: error }));
    };
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', fail);
      resolve();
    });
  });
}

const CORS_FLAT = Object.entries(CORS_HEADERS).flat();

/** Writes an answer on `res` (or drops the socket). */
function write(req: IncomingMessage, res: ServerResponse, answer: Answer): void {
  if (answer.kind === 'reset') {
    req.socket.destroy();
    return;
  }
  const { status, body, headers, cutAt, stall } = answer;
  const contentType = answer.contentType === undefined ? JSON_TYPE : answer.contentType;
  // The flat [name, value, …] form skips Node's per-call header object handling: this is the hot path.
  const flat: string[] = [...CORS_FLAT, 'Content-Length', String(Buffer.byteLength(body))];
  if (contentType !== null) flat.push('Content-Type', contentType);
  for (const name in headers) flat.push(name, headers[name]!);
  res.writeHead(status, flat);
  if (cutAt === undefined) res.end(body);
  else res.write(body.slice(0, cutAt), () => void (stall ?? Promise.resolve()).then(() => req.socket.destroy()));
}

function asRequest(req: IncomingMessage, res: ServerResponse): EmulatorRequest {
  return {
    method: req.method ?? 'GET',
    path: req.url ?? '/',
    header(name) {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    text: () => readBody(req),
    // Asked only of a request that is not answered yet: its response closing means the client went away.
    closed: () => new Promise<void>((resolve) => (req.socket.destroyed ? resolve() : res.once('close', resolve))),
  };
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let text = '';
    let tooLarge = false;
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      if (tooLarge) return;
      text += chunk;
      tooLarge = text.length > MAX_BODY_LENGTH;
    });
    req.on('end', () => resolve(tooLarge ? undefined : text));
    req.on('error', reject);
  });
}

/**
 * Starts a local Storefront API emulator on 127.0.0.1: {@link createEmulator}'s handler behind a `node:http`
 * server, with the schemas read from `schemaDir`.
 *
 * @param options - port, initial clock, schema folder, seeded tokens and customers, behaviour switches.
 * @returns the running emulator; call `close()` when done.
 * @example
 * ```ts
 * const em = await startEmulator();
 * // POST `${em.url}/api/2026-04/graphql.json` with X-Shopify-Storefront-Access-Token: em.publicAccessToken
 * em.clock.advance(43 * 24 * 3600_000); // every token has expired
 * await em.close();
 * ```
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const { port: wanted, schemaDir, ...behaviour } = options;
  if (wanted !== undefined && !(Number.isInteger(wanted) && wanted >= 0 && wanted <= 65535)) {
    throw new ConfigurationError(
      invalidMessage('port', wanted, 'Expected an integer from 0 (any free port) to 65535.'),
    );
  }
  let url = '';
  const {
    answer,
    close: closeCore,
    ...core
  } = emulatorCore(loadSchemaSet(schemaDir), behaviour, () => url, customerAccountSchemasIn(schemaDir));
  // Idle connections are kept for a minute: with Node's 5 s a client reusing one just as the server drops it gets
  // ECONNRESET, a race a test suite loading the emulator from its own (lagging) event loop lost now and then.
  // `close()` ends every connection at once, so a long keep-alive never holds a test run open.
  const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    answer(asRequest(req, res)).then(
      (result) => write(req, res, result),
      () => res.destroy(),
    );
  });
  await listen(server, wanted ?? 0);
  const { port } = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}`;

  return {
    ...core,
    url,
    storeDomain: `127.0.0.1:${port}`,
    fetch: fetchHandler(answer),
    server,
    async close() {
      await closeCore();
      if (!server.listening) return;
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
