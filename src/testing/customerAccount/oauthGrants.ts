import { randomToken } from '../state.js';
import type { CustomerAccountCustomer, CustomerAccountTokenStore } from './accessTokens.js';
import { setBounded } from './boundedMap.js';
import type { CustomerAccountSettings } from './oauthSettings.js';

/**
 * The sign-in state behind the endpoints: authorization codes, sign-ins (one per code exchanged) and refresh
 * tokens, with the rotation rules of each unconfirmed candidate. Every decision is synchronous, so no other
 * request runs between a check and the change it allows.
 */

/** A code the authorize endpoint handed out, waiting for its exchange. */
export interface CodeRecord {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  nonce: string;
  customer: CustomerAccountCustomer;
  expiresAt: number;
  /** Set when first exchanged (or tried): a second use is refused and revokes what the first one got. */
  used: boolean;
  /** Set when used again while the first exchange was still signing: that exchange then fails too. */
  replayed?: boolean;
  signIn?: SignIn;
}

/** One sign-in: what a code exchange started, and every token issued for it since. */
export interface SignIn {
  clientId: string;
  customer: CustomerAccountCustomer;
  nonce: string;
  accessTokens: string[];
  refreshTokens: string[];
  revoked: boolean;
}

/** The tokens of one token answer. */
export interface TokenSet {
  accessToken: string;
  accessExpiresAt: number;
  refreshToken?: string;
  idToken?: string;
}

interface RefreshRecord {
  signIn: SignIn;
  expiresAt: number | null;
  /** When it was rotated away; from then on only a `grace` window lets it answer (with `rotatedTo`). */
  usedAt?: number;
  rotatedTo?: TokenSet;
}

/** How long a code may wait for its exchange. */
export const CODE_LIFETIME_MS = 60_000;
export const MAX_CODES = 10_000;
export const MAX_SIGN_INS = 10_000;
export const MAX_REFRESH_TOKENS = 50_000;
/**
 * The most access or refresh tokens one sign-in remembers; past it the oldest is revoked, so that a logout still
 * revokes every token it could reach (a token 100 refreshes old has long expired at any realistic `expiresIn`).
 */
export const MAX_TOKENS_PER_SIGN_IN = 100;

/** What a refresh decided: a token answer, or `invalid_grant`. */
export type RefreshOutcome = { ok: true; tokens: TokenSet } | { ok: false };

/** The state and its rules; `now` and `settings` are read at each call. */
export function createGrants(deps: {
  now: () => number;
  tokens: CustomerAccountTokenStore;
  settings: CustomerAccountSettings;
}) {
  const { now, tokens, settings } = deps;
  const codes = new Map<string, CodeRecord>();
  // Oldest first: past MAX_SIGN_INS the oldest is revoked, so no token outlives the sign-in that tracks it.
  const signIns = new Set<SignIn>();
  const refreshTokens = new Map<string, RefreshRecord>();

  const revoke = (signIn: SignIn) => {
    signIn.revoked = true;
    for (const accessToken of signIn.accessTokens) tokens.revoke(accessToken);
    for (const refreshToken of signIn.refreshTokens) refreshTokens.delete(refreshToken);
    signIn.accessTokens = [];
    signIn.refreshTokens = [];
    signIns.delete(signIn);
  };
  const remember = (list: string[], token: string, drop: (token: string) => void) => {
    list.push(token);
    if (list.length > MAX_TOKENS_PER_SIGN_IN) drop(list.shift()!);
  };
  const issueAccess = (signIn: SignIn): Pick<TokenSet, 'accessToken' | 'accessExpiresAt'> => {
    const ttl = settings.expiresIn * 1000;
    const accessToken = tokens.issue(signIn.customer, ttl);
    remember(signIn.accessTokens, accessToken, (old) => tokens.revoke(old));
    return { accessToken, accessExpiresAt: now() + ttl };
  };
  const issueRefresh = (signIn: SignIn): string => {
    const refreshToken = `shcrt_${randomToken()}`;
    const lifetime = settings.refreshTokenExpiresIn;
    const record = { signIn, expiresAt: lifetime === null ? null : now() + lifetime * 1000 };
    setBounded(refreshTokens, refreshToken, record, MAX_REFRESH_TOKENS);
    remember(signIn.refreshTokens, refreshToken, (old) => refreshTokens.delete(old));
    return refreshToken;
  };
  /** The record of a refresh token `clientId` may use now, or `undefined` (every such case is `invalid_grant`). */
  const usable = (refreshToken: string, clientId: string) => {
    const record = refreshTokens.get(refreshToken);
    if (!record || record.signIn.revoked || record.signIn.clientId !== clientId) return undefined;
    if (record.expiresAt !== null && record.expiresAt <= now()) {
      refreshTokens.delete(refreshToken);
      return undefined;
    }
    return record;
  };

  return {
    /** Stores a new code for an approved authorize request and returns it. */
    createCode(record: Pick<CodeRecord, 'clientId' | 'redirectUri' | 'codeChallenge' | 'nonce' | 'customer'>): string {
      const code = randomToken();
      setBounded(codes, code, { ...record, expiresAt: now() + CODE_LIFETIME_MS, used: false }, MAX_CODES);
      return code;
    },

    /** The code if it may still be exchanged by `clientId`; a replayed code is refused and its sign-in revoked. */
    takeCode(code: string, clientId: string): CodeRecord | undefined {
      const record = codes.get(code);
      if (!record || record.clientId !== clientId) return undefined;
      if (record.used || record.expiresAt <= now()) {
        // RFC 6749 §4.1.2: a code used twice revokes the tokens issued for it.
        if (record.signIn) revoke(record.signIn);
        record.replayed = record.used;
        codes.delete(code);
        return undefined;
      }
      record.used = true;
      return record;
    },

    /**
     * Starts a sign-in for an exchanged code: an access token and a refresh token (the caller adds the ID token);
     * `undefined` when the code was replayed meanwhile.
     */
    signIn(code: CodeRecord): TokenSet | undefined {
      if (code.replayed) return undefined;
      const { clientId, customer, nonce } = code;
      const signIn: SignIn = { clientId, customer, nonce, accessTokens: [], refreshTokens: [], revoked: false };
      signIns.add(signIn);
      for (const old of signIns) {
        if (signIns.size <= MAX_SIGN_INS) break;
        revoke(old);
      }
      code.signIn = signIn;
      return { ...issueAccess(signIn), refreshToken: issueRefresh(signIn) };
    },

    /** The sign-in a refresh token belongs to, if `clientId` may use it now (to sign an ID token before deciding). */
    signInOf(refreshToken: string, clientId: string): SignIn | undefined {
      return usable(refreshToken, clientId)?.signIn;
    },

    /**
     * Refreshes: the rotation setting decides whether the refresh token sent dies, lives on, or answers its
     * rotation again inside the grace window.
     *
     * @param idToken - the new ID token, signed by the caller beforehand (signing is asynchronous).
     */
    refresh(refreshToken: string, clientId: string, idToken: string): RefreshOutcome {
      const record = usable(refreshToken, clientId);
      if (!record) return { ok: false };
      const { signIn } = record;
      if (record.usedAt !== undefined) {
        const inGrace = settings.rotation === 'grace' && now() < record.usedAt + settings.graceSeconds * 1000;
        if (inGrace && record.rotatedTo) return { ok: true, tokens: record.rotatedTo };
        if (settings.reuseRevokesSignIn) revoke(signIn);
        else refreshTokens.delete(refreshToken);
        return { ok: false };
      }
      const omits = settings.refreshOmits;
      const answer: TokenSet = issueAccess(signIn);
      if (!omits.includes('id_token')) answer.idToken = idToken;
      // Without a new refresh token in the answer, the one sent must keep working: it is not rotated.
      if (omits.includes('refresh_token')) return { ok: true, tokens: answer };
      if (settings.rotation === 'reusable') {
        answer.refreshToken = refreshToken;
        return { ok: true, tokens: answer };
      }
      answer.refreshToken = issueRefresh(signIn);
      record.usedAt = now();
      record.rotatedTo = answer;
      return { ok: true, tokens: answer };
    },

    /** Revokes every sign-in of `customerId` (with `clientId`, when given); answers how many. */
    revokeCustomer(customerId: string, clientId?: string): number {
      let count = 0;
      for (const signIn of [...signIns]) {
        if (signIn.customer.customerId !== customerId || (clientId !== undefined && signIn.clientId !== clientId))
          continue;
        revoke(signIn);
        count += 1;
      }
      return count;
    },
  };
}
