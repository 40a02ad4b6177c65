/**
 * storefront-customer-session: typed Shopify Storefront customer-access-token documents and urql exchanges
 * that keep the customer signed in. The root entry point is the newest stable vendored API version's entry
 * point; import `storefront-customer-session/<version>` to pin one.
 *
 * @packageDocumentation
 */
export * from '../generated/latest.js';
