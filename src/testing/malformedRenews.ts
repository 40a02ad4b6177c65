import type { DocumentNode, FieldNode, OperationDefinitionNode } from 'graphql';
import { formatExpiresAt, randomToken } from './state.js';

/**
 * The bodies a `malformed-renew` fault answers with: a renew payload that is not what Storefront promises, for
 * tests of how a client judges an answer before trusting it.
 */

const DAY_MS = 86_400_000;
const RENEW_FIELD = 'customerAccessTokenRenew';

/**
 * The malformed `customerAccessTokenRenew` payloads a `malformed-renew` fault answers with (HTTP 200, no `errors`);
 * the tokens in them are fresh random strings the emulator does not know.
 */
export const MALFORMED_RENEWS = {
  /** A null token and no `userErrors` to say why. */
  'null-token': () => ({ customerAccessToken: null, userErrors: [] }),
  /** A null token and a `userErrors` entry that is `null`. */
  'null-user-error': () => ({ customerAccessToken: null, userErrors: [null] }),
  /** A string where the payload object belongs. */
  'string-payload': () => 'oops',
  /** A null token and no `userErrors` field at all. */
  'no-user-errors': () => ({ customerAccessToken: null }),
  /** The whole payload `null`, with no `errors` beside it. */
  'null-payload': () => null,
  /** A token whose `expiresAt` is no date. */
  'unparsable-expiry': () => ({
    customerAccessToken: { accessToken: randomToken(), expiresAt: 'not-a-date' },
    userErrors: [],
  }),
  /** A token that expired a day ago (by the emulator clock). */
  'past-expiry': (now: number) => ({
    customerAccessToken: { accessToken: randomToken(), expiresAt: formatExpiresAt(now - DAY_MS) },
    userErrors: [],
  }),
} as const satisfies Record<string, (now: number) => unknown>;

/** The malformed renew payloads a `malformed-renew` fault can answer with. */
export type MalformedRenew = keyof typeof MALFORMED_RENEWS;

/** Whether `value` names a {@link MalformedRenew}. */
export function isMalformedRenew(value: unknown): value is MalformedRenew {
  return typeof value === 'string' && Object.hasOwn(MALFORMED_RENEWS, value);
}

/**
 * The JSON body of a malformed renew answer, under the request's key for the renew field.
 *
 * @param context - the emulator clock, and the response key (alias or name) of the request's renew field.
 */
export function malformedRenewBody(
  answer: MalformedRenew,
  context: { now: number; renewKey: string | undefined },
): string {
  const payload = MALFORMED_RENEWS[answer](context.now);
  return JSON.stringify({
    data: { [context.renewKey ?? RENEW_FIELD]: payload },
    extensions: { cost: { requestedQueryCost: 12 } },
  });
}

/**
 * The response key (alias or name) of a root `customerAccessTokenRenew` field of a mutation in `document`, or
 * `undefined` when it renews nothing. AST kinds compared as strings, like the runtime does.
 */
export function renewKeyOf(document: DocumentNode | undefined): string | undefined {
  for (const definition of document?.definitions ?? []) {
    if ((definition.kind as string) !== 'OperationDefinition') continue;
    const operation = definition as OperationDefinitionNode;
    if (operation.operation !== 'mutation') continue;
    for (const selection of operation.selectionSet.selections) {
      const field = selection as FieldNode;
      if ((field.kind as string) === 'Field' && field.name.value === RENEW_FIELD)
        return field.alias?.value ?? RENEW_FIELD;
    }
  }
  return undefined;
}
