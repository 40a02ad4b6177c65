/**
 * RS256 ID tokens and PKCE hashes with Web Crypto (`crypto.subtle`) only: the fetch handler runs in workerd, which
 * has no `node:crypto` by default.
 */

const RS256 = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

/** Bytes or text as base64url without padding (RFC 7515 §2). */
export function base64url(input: Uint8Array | string): string {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Decodes base64url (no padding); `undefined` when `text` is not base64url. */
export function fromBase64url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** The PKCE S256 challenge of a verifier: base64url(SHA-256(ASCII(verifier))) (RFC 7636 §4.2). */
export async function s256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/** A public key as a JWKS entry. */
export interface PublicJwk {
  kty: 'RSA';
  n: string;
  e: string;
  kid: string;
  alg: 'RS256';
  use: 'sig';
}

/** An emulator's signing key: made on first use (workerd allows no randomness before a request). */
export interface Signer {
  /** Signs `claims` as a compact RS256 JWT with the key's `kid` in its header. */
  sign(claims: Record<string, unknown>): Promise<string>;
  /**
   * The claims of a JWT this signer made, when its signature verifies (expiry is not checked: an expired ID token
   * is still a valid `id_token_hint`); `undefined` otherwise.
   */
  verify(jwt: string): Promise<Record<string, unknown> | undefined>;
  /** The public key for `jwks_uri`. */
  jwks(): Promise<{ keys: PublicJwk[] }>;
}

interface KeyPair {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: PublicJwk;
}

/** Creates a signer whose 2048-bit RSA key is generated on the first call that needs it. */
export function createSigner(): Signer {
  let pair: Promise<KeyPair> | undefined;
  const key = () => (pair ??= generate());
  return {
    async sign(claims) {
      const { privateKey, jwk } = await key();
      const input = `${base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: jwk.kid }))}.${base64url(JSON.stringify(claims))}`;
      const signature = await crypto.subtle.sign(RS256, privateKey, new TextEncoder().encode(input));
      return `${input}.${base64url(new Uint8Array(signature))}`;
    },
    async verify(jwt) {
      const parts = typeof jwt === 'string' ? jwt.split('.') : [];
      if (parts.length !== 3) return undefined;
      const [head, body, signature] = parts as [string, string, string];
      const header = parseJson(head);
      const claims = parseJson(body);
      const bytes = fromBase64url(signature);
      const { publicKey, jwk } = await key();
      if (!header || !claims || !bytes || header['alg'] !== 'RS256' || header['kid'] !== jwk.kid) return undefined;
      const input = new TextEncoder().encode(`${head}.${body}`);
      return (await crypto.subtle.verify(RS256, publicKey, bytes, input)) ? claims : undefined;
    },
    async jwks() {
      return { keys: [(await key()).jwk] };
    },
  };
}

async function generate(): Promise<KeyPair> {
  const { privateKey, publicKey } = (await crypto.subtle.generateKey(
    { ...RS256, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair;
  const { n, e } = (await crypto.subtle.exportKey('jwk', publicKey)) as { n: string; e: string };
  // The RFC 7638 thumbprint: a stable key id for this key.
  const thumbprint = await crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(JSON.stringify({ e, kty: 'RSA', n })),
  );
  const kid = base64url(new Uint8Array(thumbprint));
  return { privateKey, publicKey, jwk: { kty: 'RSA', n, e, kid, alg: 'RS256', use: 'sig' } };
}

function parseJson(part: string): Record<string, unknown> | undefined {
  const bytes = fromBase64url(part);
  if (!bytes) return undefined;
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
