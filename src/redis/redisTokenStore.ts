import {
  isSignedOutMark,
  SIGNED_OUT,
  type SharedTokenStore,
  type SignedOutMark,
  type TokenRecord,
} from '../runtime/coordination.js';
import { expiresAtMs, isToken, storedToken, type Token } from '../runtime/tokenStore.js';
import { ConfigurationError, LIBRARY } from '../runtime/errors.js';
import { keyTypeError, isWrongTypeReply, type RedisCommands, type RedisSessionOperation } from './redisCommands.js';
import { lastKnownRecords } from './lastKnown.js';
import { WRITE_RECORD } from './scripts.js';

const DAY = 24 * 60 * 60 * 1000;

/**
 * How long Redis keeps a token past its `expiresAt`: long enough for the exchange to see it expired (and say
 * so, `sign-in-required` with reason `expired`), short enough that abandoned sessions leave Redis by themselves.
 */
export const EXPIRED_TOKEN_GRACE_MS = DAY;

/**
 * How long Redis keeps a sign-out mark at least: 43 days, longer than any token can live (Shopify's customer
 * tokens live 42 days), so that no process can take a missing key for lost data and write back a token it
 * still remembers from before the sign-out. A mark written over a key that would live longer keeps that life.
 */
export const SIGNED_OUT_MARK_TTL_MS = 43 * DAY;

/**
 * The customer's record in Redis, following the shared-store protocol ({@link SharedTokenStore}): every method
 * answers asynchronously.
 */
export interface RedisTokenStore extends SharedTokenStore {
  /** The token, or `null` for nothing stored or a sign-out mark. */
  get(): Promise<Token | null>;
  /** The app's sign-in: writes `token` over whatever this package stored (a token, a mark, nothing). */
  set(token: Token): Promise<void>;
  /** The app's sign-out: writes a sign-out mark. */
  clear(): Promise<void>;
  read(): Promise<TokenRecord>;
  compareAndSet(expected: TokenRecord, next: Token | SignedOutMark): Promise<boolean>;
}

/** What a stored value means: a record of ours, or something else (the key is another owner's). */
type Decoded = { record: TokenRecord } | { foreign: true };

function decode(raw: unknown): Decoded {
  if (raw === null || raw === undefined) return { record: null };
  if (typeof raw !== 'string') return { foreign: true };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { foreign: true };
  }
  if (isSignedOutMark(value)) return { record: { signedOut: true } };
  if (isToken(value)) {
    const { ms: _ms, ...token } = value as Token & { ms?: unknown };
    return { record: storedToken(token) };
  }
  return { foreign: true };
}

/** The stored JSON of a record: the token plus its expiry in ms when it parses, or the mark. */
function encode(next: Token | SignedOutMark): string {
  if (isSignedOutMark(next)) return JSON.stringify(SIGNED_OUT);
  const ms = expiresAtMs(next);
  const value = storedToken(next);
  return JSON.stringify(Number.isFinite(ms) ? { ...value, ms } : value);
}

/** A copy the caller may keep or change: the store's memory is never handed out. */
const copy = (record: TokenRecord): TokenRecord =>
  record === null ? null : isSignedOutMark(record) ? { signedOut: true } : { ...record };

/**
 * Creates the store. The last record Redis confirmed for this key on this client (read or written, by any
 * store made for the same client and key: see `lastKnown.ts`) answers `read` and `get` when Redis cannot be
 * reached, so operations go out with the token this process last knew; writes reject, and the session keeps
 * the token in memory and writes it again later (nothing is lost).
 */
export function createRedisTokenStore(commands: RedisCommands): RedisTokenStore {
  const { client, tokenKey, send, report, timeoutMs, now } = commands;
  const memory = lastKnownRecords(client, tokenKey);

  const checkToken = (token: unknown): Token => {
    if (!isToken(token))
      throw new TypeError(`${LIBRARY}/redis: a token must be { accessToken: non-empty string, expiresAt: string }.`);
    if (tokenKey.includes(token.accessToken))
      throw new TypeError(`${LIBRARY}/redis: the key contains the customer token. Key sessions by a session id.`);
    return token;
  };

  /** Reports and returns the configuration error for a key of another owner; forgets what the key held. */
  function foreignKey(holds: string): Error {
    memory.forget();
    const error = keyTypeError(tokenKey, holds);
    report(error);
    return error;
  }

  /** Asks Redis which type the key has, after a WRONGTYPE reply (one more command, within `deadline`). */
  async function wrongType(operation: RedisSessionOperation, deadline: number): Promise<Error> {
    const kind = await send(
      operation,
      () => client.eval("return redis.call('TYPE', KEYS[1])['ok']", { keys: [tokenKey] }),
      deadline,
    ).catch(() => 'other type');
    return foreignKey(typeof kind === 'string' ? kind : 'other type');
  }

  /** Runs the write script; resolves with whether it wrote, and remembers what Redis holds afterwards. */
  async function write(
    operation: 'set' | 'compareAndSet' | 'clear',
    expected: TokenRecord | 'any',
    next: Token | SignedOutMark,
    deadline?: number,
  ): Promise<boolean> {
    const mark = isSignedOutMark(next);
    const ms = mark ? Number.NaN : expiresAtMs(next);
    const args = [
      expected === 'any' ? 'any' : expected === null ? 'none' : isSignedOutMark(expected) ? 'mark' : 'token',
      expected !== null && isToken(expected) ? expected.accessToken : '',
      expected !== null && isToken(expected) ? expected.expiresAt : '',
      encode(next),
      mark ? 'mark' : 'token',
      Number.isFinite(ms) ? String(ms + EXPIRED_TOKEN_GRACE_MS) : '',
      String(SIGNED_OUT_MARK_TTL_MS),
    ];
    const seq = memory.sent();
    const reply = await send(
      operation,
      () => client.eval(WRITE_RECORD, { keys: [tokenKey], arguments: args }),
      deadline,
    );
    const [status, held] = Array.isArray(reply) ? (reply as unknown[]) : [];
    if (status === 'wrongtype' || status === 'foreign') throw foreignKey(String(held));
    if (status === 'wrote') {
      memory.remember(seq, mark ? { signedOut: true } : storedToken(next as Token));
      return true;
    }
    const current = decode(held);
    if ('record' in current) memory.remember(seq, current.record);
    return false;
  }

  const checkRecord = (record: unknown): TokenRecord | undefined =>
    record === null ? null : isSignedOutMark(record) ? { signedOut: true } : isToken(record) ? record : undefined;

  /** Reads the record: one command timeout in all, whatever follows the GET (a type lookup, a write-back). */
  async function read(operation: 'get'): Promise<TokenRecord> {
    const deadline = performance.now() + timeoutMs;
    const seq = memory.sent();
    let raw: unknown;
    try {
      raw = await send(operation, () => client.get(tokenKey), deadline);
    } catch (error) {
      if (isWrongTypeReply(error)) throw await wrongType(operation, deadline);
      const known = memory.known();
      if (known) return copy(known.record);
      throw error;
    }
    const decoded = decode(raw);
    if (!('record' in decoded)) throw foreignKey('string');
    if (decoded.record === null) return restore(seq, deadline);
    memory.remember(seq, decoded.record);
    return copy(decoded.record);
  }

  /**
   * Nothing stored: lost data (Redis restarted empty, evicted the key), never a sign-out. When this process
   * last saw a token for the key that has not expired, it is written back, only over nothing (never over a
   * mark another process wrote meanwhile), as the session does with its own last known token. Done here too
   * because a session made per request has no last known token of its own: without this, its customer would
   * be signed out by the loss. Resolves the record Redis holds afterwards (or the token, if Redis failed).
   */
  async function restore(seq: number, deadline: number): Promise<TokenRecord> {
    const known = memory.known()?.record ?? null;
    if (!isToken(known) || !(expiresAtMs(known) > now())) {
      memory.remember(seq, null);
      return null;
    }
    try {
      await write('compareAndSet', null, known, deadline);
    } catch (error) {
      if (error instanceof ConfigurationError) throw error;
      return copy(known); // written back on a later read
    }
    return copy(memory.known()?.record ?? null);
  }

  return {
    read: () => read('get'),
    async get() {
      const record = await read('get');
      return record === null || isSignedOutMark(record) ? null : record;
    },
    async set(token) {
      await write('set', 'any', checkToken(token));
    },
    async clear() {
      await write('clear', 'any', SIGNED_OUT);
    },
    async compareAndSet(expected, next) {
      const was = checkRecord(expected);
      if (was === undefined)
        throw new TypeError(`${LIBRARY}/redis: compareAndSet expects a token, a sign-out mark or null as expected.`);
      return write('compareAndSet', was, isSignedOutMark(next) ? SIGNED_OUT : checkToken(next));
    },
  };
}
