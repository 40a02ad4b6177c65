// The floor: bare fetch sending the renew mutation; no client library, no renewal policy.
const RENEW = `mutation CustomerAccessTokenRenew($customerAccessToken: String!) {
  customerAccessTokenRenew(customerAccessToken: $customerAccessToken) {
    customerAccessToken { accessToken expiresAt }
    userErrors { field message }
  }
}`;

/** Renews a customer access token; `null` when the store refuses. */
export async function renew(customerAccessToken: string): Promise<{ accessToken: string; expiresAt: string } | null> {
  const response = await fetch('https://shop.example.com/api/2026-04/graphql.json', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Shopify-Storefront-Access-Token': 'public-token' },
    body: JSON.stringify({ query: RENEW, variables: { customerAccessToken } }),
  });
  const body = (await response.json()) as {
    data?: { customerAccessTokenRenew?: { customerAccessToken: { accessToken: string; expiresAt: string } | null } };
  };
  return body.data?.customerAccessTokenRenew?.customerAccessToken ?? null;
}
