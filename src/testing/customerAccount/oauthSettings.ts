import { invalid } from '../../runtime/errors.js';

/**
 * What a used refresh token does; CUSTOMER_ACCOUNT.md leaves it unconfirmed, so each candidate can be played.
 * `single-use`: it dies when used (the assumption to build for). `grace`: it keeps working for
 * {@link CustomerAccountSettings.graceSeconds} after its first use and answers the same new token set each time.
 * `reusable`: it is not rotated; it keeps working and comes back unchanged.
 */
export type RefreshRotation = 'single-use' | 'grace' | 'reusable';

/** A field a refresh answer may leave out (the client must then keep the one it has). */
export type RefreshOmission = 'refresh_token' | 'id_token';

/** The Customer Account sign-in's behaviour switches; every assignment is checked and a bad value throws. */
export interface CustomerAccountSettings {
  /** @defaultValue `'single-use'` */
  rotation: RefreshRotation;
  /** How long a used refresh token keeps working under `rotation: 'grace'`, in seconds. @defaultValue 30 */
  graceSeconds: number;
  /** The access token lifetime the token endpoint grants and sends as `expires_in`, in seconds. @defaultValue 3600 */
  expiresIn: number;
  /**
   * How long a refresh token lives from its issue, in seconds; `null` for as long as the emulator holds it
   * (not confirmed for Shopify). @defaultValue null
   */
  refreshTokenExpiresIn: number | null;
  /**
   * Fields a refresh answer leaves out. Without `refresh_token`, the refresh token is not rotated: the one sent
   * keeps working. @defaultValue `[]`
   */
  refreshOmits: readonly RefreshOmission[];
  /** `token_type` in token answers; `null` leaves it out, as the documented answer does. @defaultValue null */
  tokenType: string | null;
  /**
   * Whether sending a refresh token that is already dead by rotation revokes every token of its sign-in (reuse
   * detection, OAuth 2.0 Security BCP §4.14; not confirmed for Shopify). @defaultValue false
   */
  reuseRevokesSignIn: boolean;
  /**
   * The seeded customer the authorize endpoint signs in when the request has no `login_hint`.
   * @defaultValue the first seeded customer
   */
  signInAs: string;
}

const ROTATIONS: readonly RefreshRotation[] = ['single-use', 'grace', 'reusable'];
const OMISSIONS: readonly RefreshOmission[] = ['refresh_token', 'id_token'];
/** The longest lifetime a setting may name: ten years, in seconds. */
const MAX_SECONDS = 10 * 365 * 24 * 3600;

const seconds =
  (what: string, min: number) =>
  (value: unknown): number => {
    if (!(typeof value === 'number' && Number.isInteger(value) && value >= min && value <= MAX_SECONDS))
      throw invalid(what, value, `Expected a whole number of seconds from ${min} to ${MAX_SECONDS}.`);
    return value;
  };

/** One check per setting: it answers the value to store, or throws naming what is allowed. */
const CHECKS: { [K in keyof CustomerAccountSettings]: (value: unknown) => CustomerAccountSettings[K] } = {
  rotation(value) {
    if (!(ROTATIONS as readonly unknown[]).includes(value))
      throw invalid('rotation', value, `Expected one of ${ROTATIONS.map((r) => `"${r}"`).join(', ')}.`);
    return value as RefreshRotation;
  },
  graceSeconds: seconds('graceSeconds', 0),
  expiresIn: seconds('expiresIn', 1),
  refreshTokenExpiresIn: (value) => (value === null ? null : seconds('refreshTokenExpiresIn', 1)(value)),
  refreshOmits(value) {
    if (!Array.isArray(value) || !value.every((v) => (OMISSIONS as readonly unknown[]).includes(v)))
      throw invalid('refreshOmits', value, 'Expected an array of "refresh_token" and/or "id_token".');
    return Object.freeze([...new Set(value as RefreshOmission[])]);
  },
  tokenType(value) {
    if (!(value === null || (typeof value === 'string' && /^[\x21-\x7e]+$/.test(value))))
      throw invalid('tokenType', value, 'Expected a word such as "Bearer", or null to leave it out.');
    return value;
  },
  reuseRevokesSignIn(value) {
    if (typeof value !== 'boolean') throw invalid('reuseRevokesSignIn', value, 'Expected true or false.');
    return value;
  },
  signInAs(value) {
    if (!(typeof value === 'string' && value.includes('@')))
      throw invalid('signInAs', value, "Expected a seeded customer's email.");
    return value;
  },
};

/**
 * Creates the settings object handed to tests: each property checks what is assigned to it, so a typo throws at
 * the assignment, naming what is allowed, instead of playing something nobody meant.
 *
 * @param initial - the emulator options' values, checked the same way.
 * @param defaultEmail - the first seeded customer's email, for `signInAs`.
 */
export function createSettings(
  initial: Partial<CustomerAccountSettings> | undefined,
  defaultEmail: string,
): CustomerAccountSettings {
  const values: CustomerAccountSettings = {
    rotation: 'single-use',
    graceSeconds: 30,
    expiresIn: 3600,
    refreshTokenExpiresIn: null,
    refreshOmits: Object.freeze([]),
    tokenType: null,
    reuseRevokesSignIn: false,
    signInAs: defaultEmail,
  };
  const settings = {} as CustomerAccountSettings;
  for (const name of Object.keys(CHECKS) as (keyof CustomerAccountSettings)[]) {
    const check = CHECKS[name] as (value: unknown) => never;
    Object.defineProperty(settings, name, {
      enumerable: true,
      get: () => values[name],
      set: (value: unknown) => {
        (values as unknown as Record<string, unknown>)[name] = check(value);
      },
    });
  }
  for (const [name, value] of Object.entries(initial ?? {})) {
    if (!Object.hasOwn(CHECKS, name))
      throw invalid('customerAccount.settings key', name, `Expected one of ${Object.keys(CHECKS).join(', ')}.`);
    if (value !== undefined) (settings as unknown as Record<string, unknown>)[name] = value;
  }
  return Object.seal(settings);
}
