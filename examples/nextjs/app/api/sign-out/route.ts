// Sign-out: deletes the token on the server and clears the cookie.
import { NextResponse, type NextRequest } from 'next/server';
import { deleteCustomerAccessToken } from 'storefront-customer-session/2026-04';
import { TOKEN_COOKIE, cookieOptions, seeOther, storefrontClient, writableCookieStore } from '../../../lib/session';

export async function POST(request: NextRequest): Promise<NextResponse> {
  const store = writableCookieStore(request.cookies.get(TOKEN_COOKIE)?.value);
  await deleteCustomerAccessToken(storefrontClient(store), { store });
  const response = seeOther('/');
  response.cookies.set(TOKEN_COOKIE, '', cookieOptions(null, request.nextUrl.protocol === 'https:'));
  return response;
}
