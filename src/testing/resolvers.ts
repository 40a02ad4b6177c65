import {
  getNullableType,
  GraphQLError,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLFieldResolver,
  type GraphQLOutputType,
} from 'graphql';
import { releaseCandidate, supportedVersions } from '../runtime/versions.js';
import type { CartRecord, CartStore } from './carts.js';
import { servesAsItself } from './routing.js';
import type { SchemaSet } from './schemas.js';
import { formatExpiresAt, type CustomerRecord, type CustomerStore, type TokenRecord } from './state.js';
import type { EmulatorSettings, StorefrontScope } from './types.js';

/** What a resolver knows about the request it serves. */
export interface RequestContext {
  store: CustomerStore;
  carts: CartStore;
  settings: EmulatorSettings;
  scopes: ReadonlySet<StorefrontScope>;
  now: number;
  /** The vendored snapshots, which decide what the emulator serves as itself. */
  schemas: Pick<SchemaSet, 'versions' | 'hasUnstable'>;
}

const WRITE = 'unauthenticated_write_customers';
const READ = 'unauthenticated_read_customers';
const WRITE_CARTS = 'unauthenticated_write_checkouts';
const READ_CARTS = 'unauthenticated_read_checkouts';
const INVALID_TOKEN = 'Requires valid customer access token.';

/** The top-level `ACCESS_DENIED` error, as observed on a delete with an invalid token. */
export function accessDenied(field: string, scope: string, also?: string): GraphQLError {
  const requiredAccess = `\`${scope}\` access scope.${also ? ` Also: ${also}` : ''}`;
  return new GraphQLError(`Access denied for ${field} field. Required access: ${requiredAccess}`, {
    extensions: { code: 'ACCESS_DENIED', documentation: 'https://shopify.dev/api/usage/access-scopes', requiredAccess },
  });
}

function requireScope(context: RequestContext, field: string, scope: string): void {
  if (!context.scopes.has(scope)) throw accessDenied(field, scope);
}

function tokenPayload(record: TokenRecord) {
  return { accessToken: record.accessToken, expiresAt: formatExpiresAt(record.expiresAt) };
}

function customerPayload(customer: CustomerRecord) {
  const displayName = [customer.firstName, customer.lastName].filter(Boolean).join(' ') || customer.email;
  return {
    id: `gid://shopify/Customer/${customer.id}`,
    email: customer.email,
    firstName: customer.firstName,
    lastName: customer.lastName,
    displayName,
    acceptsMarketing: false,
    tags: [],
  };
}

type Args = Record<string, unknown>;

/**
 * A cart as the Storefront API shows it: its buyer identity names the customer its token identifies while that
 * token works (checkout authenticates with the token on the cart), and nobody once it has expired or been deleted.
 */
function cartPayload(record: CartRecord, context: RequestContext) {
  const token = context.store.live(record.customerAccessToken);
  return {
    id: record.id,
    createdAt: formatExpiresAt(record.createdAt),
    updatedAt: formatExpiresAt(record.updatedAt),
    buyerIdentity: {
      customer: token ? customerPayload(token.customer) : null,
      email: token?.customer.email ?? null,
      phone: null,
      countryCode: null,
    },
  };
}

/** The `CartUserError` for a customer access token that does not work (the emulator's wording; `INVALID`). */
const invalidCartToken = (field: string[]) => ({
  field,
  message: 'The customer access token is invalid.',
  code: 'INVALID',
});

/** The token a `CartBuyerIdentityInput` carries: a string, or `null` when absent or `null`. */
const buyerToken = (buyerIdentity: unknown): string | null => {
  const token = (buyerIdentity as { customerAccessToken?: unknown } | null | undefined)?.customerAccessToken;
  return typeof token === 'string' ? token : null;
};

/** The root fields the emulator implements; every other field resolves to `null` (or an empty value). */
export const rootValue = {
  customerAccessTokenCreate({ input }: Args, context: RequestContext) {
    requireScope(context, 'customerAccessTokenCreate', WRITE);
    const { email, password } = input as { email: string; password: string };
    const record = context.store.signIn(email, password);
    if (!record) {
      const message = 'Unidentified customer';
      return {
        customerAccessToken: null,
        customerUserErrors: [{ field: null, message, code: 'UNIDENTIFIED_CUSTOMER' }],
        userErrors: [{ field: null, message }],
      };
    }
    return { customerAccessToken: tokenPayload(record), customerUserErrors: [], userErrors: [] };
  },

  customerAccessTokenRenew({ customerAccessToken }: Args, context: RequestContext) {
    requireScope(context, 'customerAccessTokenRenew', WRITE);
    const record = context.store.live(customerAccessToken);
    if (record)
      return {
        customerAccessToken: tokenPayload(context.store.renew(record, context.settings.renewReturns)),
        userErrors: [],
      };
    if (context.settings.invalidRenewShape === 'access-denied')
      throw accessDenied('customerAccessTokenRenew', WRITE, INVALID_TOKEN);
    return {
      customerAccessToken: null,
      userErrors: [{ field: ['customerAccessToken'], message: 'access token does not exist' }],
    };
  },

  customerAccessTokenDelete({ customerAccessToken }: Args, context: RequestContext) {
    requireScope(context, 'customerAccessTokenDelete', WRITE);
    const record = context.store.live(customerAccessToken);
    if (!record) throw accessDenied('customerAccessTokenDelete', WRITE, INVALID_TOKEN);
    context.store.delete(record);
    return {
      deletedAccessToken: record.accessToken,
      deletedCustomerAccessTokenId: `gid://shopify/CustomerAccessToken/${record.id}`,
      userErrors: [],
    };
  },

  customer({ customerAccessToken }: Args, context: RequestContext) {
    requireScope(context, 'customer', READ);
    const record = context.store.live(customerAccessToken);
    return record ? customerPayload(record.customer) : null;
  },

  /** A cart, with the customer's token on it when the input's `buyerIdentity` carries a working one. */
  cartCreate({ input }: Args, context: RequestContext) {
    requireScope(context, 'cartCreate', WRITE_CARTS);
    const token = buyerToken((input as { buyerIdentity?: unknown } | null | undefined)?.buyerIdentity);
    if (token !== null && !context.store.live(token))
      return { cart: null, userErrors: [invalidCartToken(['input', 'buyerIdentity', 'customerAccessToken'])] };
    return { cart: cartPayload(context.carts.create(token), context), userErrors: [] };
  },

  /**
   * Puts a working customer access token on the cart. A `customerAccessToken` that is absent or `null` leaves the
   * cart's token as it was: Shopify documents no way to take the customer off a cart, so the emulator offers none.
   */
  cartBuyerIdentityUpdate({ cartId, buyerIdentity }: Args, context: RequestContext) {
    requireScope(context, 'cartBuyerIdentityUpdate', WRITE_CARTS);
    const record = context.carts.get(cartId);
    if (!record)
      return {
        cart: null,
        userErrors: [{ field: ['cartId'], message: 'The specified cart does not exist.', code: 'INVALID' }],
      };
    const token = buyerToken(buyerIdentity);
    if (token !== null && !context.store.live(token))
      return {
        cart: cartPayload(record, context),
        userErrors: [invalidCartToken(['buyerIdentity', 'customerAccessToken'])],
      };
    if (token !== null) context.carts.setCustomerAccessToken(record, token);
    return { cart: cartPayload(record, context), userErrors: [] };
  },

  cart({ id }: Args, context: RequestContext) {
    requireScope(context, 'cart', READ_CARTS);
    const record = context.carts.get(id);
    return record ? cartPayload(record, context) : null;
  },

  /** Only what the emulator serves as itself at its clock: a version it would fall forward from is not listed. */
  publicApiVersions(_args: Args, context: RequestContext) {
    const { versions, hasUnstable } = context.schemas;
    const itself = (handle: string) => servesAsItself(handle, context.now, versions, hasUnstable);
    const supported = supportedVersions(context.now);
    const latest = supported[supported.length - 1];
    const candidate = releaseCandidate(context.now);
    return [
      ...supported.filter(itself).map((handle) => ({
        handle,
        displayName: handle === latest ? `${handle} (Latest)` : handle,
        supported: true,
      })),
      ...(itself(candidate)
        ? [{ handle: candidate, displayName: `${candidate} (Release Candidate)`, supported: false }]
        : []),
      { handle: 'unstable', displayName: 'unstable', supported: false },
    ];
  },
};

/**
 * Reads a property (calling it when it is a function, like graphql-js does); a missing value becomes `null`,
 * or for a non-null field a harmless placeholder, so unimplemented fields never break a response.
 */
export const fieldResolver: GraphQLFieldResolver<unknown, RequestContext> = (source, args, context, info) => {
  const value =
    source !== null && typeof source === 'object' ? (source as Record<string, unknown>)[info.fieldName] : undefined;
  if (typeof value === 'function') return value.call(source, args, context, info);
  if (value !== undefined) return value;
  return placeholder(info.returnType, info.parentType.name, context.now);
};

function placeholder(type: GraphQLOutputType, parentName: string, now: number): unknown {
  if (!isNonNullType(type)) return null;
  const inner = getNullableType(type);
  if (isListType(inner)) return [];
  if (isObjectType(inner)) return {};
  if (isEnumType(inner)) return inner.getValues()[0]?.value ?? null;
  if (!isScalarType(inner)) return null;
  switch (inner.name) {
    case 'ID':
      return `gid://shopify/${parentName}/0`;
    case 'Boolean':
      return false;
    case 'Int':
    case 'Float':
      return 0;
    case 'DateTime':
      return formatExpiresAt(now);
    case 'URL':
      return 'https://example.com/';
    default:
      return '';
  }
}
