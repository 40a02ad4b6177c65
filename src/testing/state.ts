import { ConfigurationError, invalidMessage } from '../runtime/errors.js';
import type { CustomerSpec, IssuedToken, RenewReturns } from './types.js';

/** How long a customer access token lives: 42 days, as observed. */
export const TOKEN_LIFETIME_MS = 42 * 24 * 60 * 60 * 1000;

/**
 * The most customer tokens the emulator holds (about 300 bytes each): past it, issuing one forgets the oldest,
 * which then answers like a deleted token. Sign-ins and `new-token` renewals cannot grow the heap without bound.
 */
export const MAX_TOKENS = 100_000;

/** A seeded customer. */
export interface CustomerRecord {
  id: number;
  email: string;
  password: string;
  firstName: string | null;
  lastName: string | null;
  enabled: boolean;
}

/** A customer access token held by the emulator. */
export interface TokenRecord {
  id: number;
  accessToken: string;
  customer: CustomerRecord;
  expiresAt: number;
  deleted: boolean;
}

const POOL_BYTES = 16 * 256;
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
const pool = new Uint8Array(POOL_BYTES);
// Filled on first use, not at import: workerd refuses randomness in a module's global scope.
let offset = POOL_BYTES;

/**
 * A random secret of 32 hex characters, the shape of Shopify's customer tokens, from a pooled Web Crypto buffer
 * (`globalThis.crypto`: Node, workerd and browsers alike).
 */
export function randomToken(): string {
  if (offset === POOL_BYTES) {
    globalThis.crypto.getRandomValues(pool);
    offset = 0;
  }
  let token = '';
  for (const end = offset + 16; offset < end; offset += 1) token += HEX[pool[offset]!];
  return token;
}

/** `expiresAt` as Shopify prints it: UTC, whole seconds, `Z` (e.g. `2026-08-26T22:57:56Z`). */
export function formatExpiresAt(ms: number): string {
  // Under load every token issued in the same second shares an expiry: remember the last one printed.
  if (ms !== lastFormatted.ms) lastFormatted = { ms, text: `${new Date(ms).toISOString().slice(0, 19)}Z` };
  return lastFormatted.text;
}
let lastFormatted = { ms: Number.NaN, text: '' };

/** The customers and their tokens. Token strings never leave this store except in responses. */
export class CustomerStore {
  private readonly customers = new Map<string, CustomerRecord>();
  private readonly tokensByString = new Map<string, TokenRecord>();
  private nextCustomerId = 1;
  private nextTokenId = 1;

  constructor(private readonly now: () => number) {}

  /** Seeds a customer; the email is matched case-insensitively. */
  add(spec: CustomerSpec): void {
    if (typeof spec.email !== 'string' || !spec.email.includes('@')) {
      throw new ConfigurationError(invalidMessage('customer email', spec.email, 'Expected an email address.'));
    }
    if (typeof spec.password !== 'string')
      throw new ConfigurationError(invalidMessage('customer password', '(not a string)', 'Expected a string.'));
    const key = spec.email.toLowerCase();
    if (this.customers.has(key))
      throw new ConfigurationError(invalidMessage('customer email', spec.email, 'It is already seeded.'));
    this.customers.set(key, {
      id: this.nextCustomerId++,
      email: spec.email,
      password: spec.password,
      firstName: spec.firstName ?? null,
      lastName: spec.lastName ?? null,
      enabled: spec.enabled ?? true,
    });
  }

  /** The customer for `email`, if seeded. */
  customer(email: string): CustomerRecord | undefined {
    return this.customers.get(email.toLowerCase());
  }

  /** Signs in: a new token, or `undefined` for a wrong password or a disabled/unknown customer. */
  signIn(email: string, password: string): TokenRecord | undefined {
    const customer = this.customer(email);
    if (!customer || !customer.enabled || customer.password !== password) return undefined;
    return this.issue(customer);
  }

  /** Issues a fresh token for `customer`, valid for {@link TOKEN_LIFETIME_MS} from now. */
  issue(customer: CustomerRecord): TokenRecord {
    const record: TokenRecord = {
      id: this.nextTokenId++,
      accessToken: randomToken(),
      customer,
      expiresAt: wholeSeconds(this.now() + TOKEN_LIFETIME_MS),
      deleted: false,
    };
    this.tokensByString.set(record.accessToken, record);
    if (this.tokensByString.size > MAX_TOKENS) {
      this.tokensByString.delete(this.tokensByString.keys().next().value!);
    }
    return record;
  }

  /** The token if it exists, is not deleted and has not expired by the emulator clock. */
  live(accessToken: unknown): TokenRecord | undefined {
    if (typeof accessToken !== 'string') return undefined;
    const record = this.tokensByString.get(accessToken);
    if (!record || record.deleted || record.expiresAt <= this.now()) return undefined;
    return record;
  }

  /**
   * Renews a live token, as each unconfirmed candidate would: moves its expiry (`same-token`), issues another one
   * leaving the old one working (`new-token`), answers with it unchanged (`not-extending`), or issues another one
   * with the same expiry and drops the old one (`rotate-same-expiry`).
   */
  renew(record: TokenRecord, mode: RenewReturns): TokenRecord {
    if (mode === 'new-token') return this.issue(record.customer);
    if (mode === 'not-extending') return record;
    if (mode === 'rotate') {
      // A new token with a fresh lifetime, and the old one deleted: two clients renewing one token race.
      const rotated = this.issue(record.customer);
      record.deleted = true;
      return rotated;
    }
    if (mode === 'rotate-same-expiry') {
      const rotated = this.issue(record.customer);
      rotated.expiresAt = record.expiresAt;
      record.deleted = true;
      return rotated;
    }
    record.expiresAt = wholeSeconds(this.now() + TOKEN_LIFETIME_MS);
    return record;
  }

  /** Deletes a live token. */
  delete(record: TokenRecord): void {
    record.deleted = true;
  }

  /** Every token issued to `email` still held (see {@link MAX_TOKENS}), oldest first; secrets, do not log. */
  tokens(email: string): IssuedToken[] {
    const customer = this.customer(email);
    return [...this.tokensByString.values()]
      .filter((record) => record.customer === customer)
      .map(({ accessToken, expiresAt, deleted }) => ({ accessToken, expiresAt, deleted }));
  }
}

function wholeSeconds(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}
