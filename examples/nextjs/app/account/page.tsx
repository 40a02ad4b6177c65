// A server component: it reads the customer with the cookie the proxy may just have renewed. It cannot write
// cookies, so it reads through the read-only store and never renews.
import { cookies } from 'next/headers';
import { CustomerDocument, signalOf } from 'storefront-customer-session/2026-04';
import { TOKEN_COOKIE, readOnlyClient } from '../../lib/session';

export default async function Account() {
  const cookie = (await cookies()).get(TOKEN_COOKIE)?.value;
  const result = await readOnlyClient(cookie).query(CustomerDocument, {}).toPromise();
  const customer = result.data?.customer;
  if (!customer) {
    const signal = signalOf(result);
    return (
      <main>
        <p id="signed-out">
          {signal?.kind === 'sign-in-required' ? 'Please sign in again.' : 'The store cannot be reached right now.'}
        </p>
        <a href="/">Sign in</a>
      </main>
    );
  }
  return (
    <main>
      <h1>Your account</h1>
      <p id="customer">
        {customer.displayName} &lt;{customer.email}&gt;
      </p>
      <form method="post" action="/api/sign-out">
        <button type="submit">Sign out</button>
      </form>
    </main>
  );
}
