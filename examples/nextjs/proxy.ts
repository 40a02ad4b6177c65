// The one place this app renews the customer token. A proxy (middleware before Next.js 16) runs before every
// page it matches and can write cookies: when the cookie's token is inside the renewal window, it runs the
// exchange with a writable store, saves what the exchange wrote with Set-Cookie, and hands the new cookie to the
// page being rendered, so the server component reads with the renewed token.
import { NextResponse, type NextRequest } from 'next/server';
import { CustomerDocument } from 'storefront-customer-session/2026-04';
import {
  TOKEN_COOKIE,
  cookieOptions,
  cookieValue,
  isDue,
  readToken,
  storefrontClient,
  writableCookieStore,
} from './lib/session';

export async function proxy(request: NextRequest): Promise<NextResponse> {
  const cookie = request.cookies.get(TOKEN_COOKIE)?.value;
  const token = readToken(cookie);
  // Outside the window there is nothing to do: no Storefront request on an ordinary page view.
  if (!token || !isDue(token)) return NextResponse.next();

  const store = writableCookieStore(cookie);
  // Any operation that carries the token makes the exchange renew it first (or clear an expired one).
  await storefrontClient(store).query(CustomerDocument, {}).toPromise();
  const written = store.written();
  if (written === undefined) return NextResponse.next(); // renewal unavailable: the token is kept, tried next time

  // The page of this request reads the cookie as renewed...
  if (written) request.cookies.set(TOKEN_COOKIE, cookieValue(written));
  else request.cookies.delete(TOKEN_COOKIE);
  const response = NextResponse.next({ request });
  // ...and the browser stores it.
  const secure = request.nextUrl.protocol === 'https:';
  response.cookies.set(TOKEN_COOKIE, written ? cookieValue(written) : '', cookieOptions(written, secure));
  return response;
}

export const config = {
  // Every page; not route handlers (they write cookies themselves) or static files.
  matcher: ['/((?!api/|_next/static|_next/image|favicon.ico).*)'],
};
