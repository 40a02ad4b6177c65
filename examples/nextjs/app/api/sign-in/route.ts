// Sign-in: a route handler can write cookies, so the new token is saved here.
import { NextResponse, type NextRequest } from 'next/server';
import { createCustomerAccessToken, memoryTokenStore } from 'storefront-customer-session/2026-04';
import { TOKEN_COOKIE, cookieOptions, cookieValue, seeOther, storefrontClient } from '../../../lib/session';

export async function POST(request: NextRequest): Promise<NextResponse> {
  const form = await request.formData();
  const credentials = { email: String(form.get('email') ?? ''), password: String(form.get('password') ?? '') };
  const signIn = await createCustomerAccessToken(storefrontClient(memoryTokenStore()), credentials);
  if (!signIn.ok) return seeOther(`/?error=${signIn.reason}`);
  const response = seeOther('/account');
  const secure = request.nextUrl.protocol === 'https:';
  response.cookies.set(TOKEN_COOKIE, cookieValue(signIn.token), cookieOptions(signIn.token, secure));
  return response;
}
