import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type * as Testing from '../../src/testing/index.js';
import {
  buildNext,
  emulatorOf,
  installExample,
  nextEnv,
  startNext,
  type ExampleApp,
  type Running,
} from '../../scripts/examples.js';

// examples/nextjs from the packed tarball: `next build`, then `next start` on 127.0.0.1 against the emulator on
// another port. The proxy renews (it can write cookies); server components read through a read-only cookie store
// and never renew.

const DAY = 24 * 3600_000;
const COOKIE = 'customer_token';

interface Token {
  accessToken: string;
  expiresAt: string;
}

let app: ExampleApp;
let testing: typeof Testing;
let em: Testing.Emulator;
let next: Running;

beforeAll(async () => {
  const started = Date.now();
  app = await installExample('nextjs', inject('tarball'));
  const installed = Date.now();
  await buildNext(app);
  const built = Date.now();
  testing = await emulatorOf(app);
  em = await testing.startEmulator();
  next = await startNext(app, nextEnv(em));
  console.log(
    `nextjs: install ${installed - started} ms, next build ${built - installed} ms, next start ${Date.now() - built} ms`,
  );
});

afterAll(async () => {
  await next?.stop();
  await em?.close();
  await app?.remove();
});

const renewals = () => em.counters.count('CustomerAccessTokenRenew');

/** `count()` once it has not changed for a second (a renewal may still be retrying after a response). */
async function settled(count: () => number): Promise<number> {
  let last = count();
  for (let quiet = 0, waited = 0; quiet < 5 && waited < 50; waited++) {
    await new Promise((done) => setTimeout(done, 200));
    const now = count();
    quiet = now === last ? quiet + 1 : 0;
    last = now;
  }
  return last;
}

/** The token a `Set-Cookie` list writes into the cookie: a token, `null` when it clears it, `undefined` when none. */
function written(setCookies: string[]): Token | null | undefined {
  const line = setCookies.find((c) => c.startsWith(`${COOKIE}=`));
  if (line === undefined) return undefined;
  const value = decodeURIComponent(line.slice(COOKIE.length + 1).split(';')[0]!);
  return value === '' ? null : (JSON.parse(value) as Token);
}

const cookieHeader = (token: Token) => `${COOKIE}=${encodeURIComponent(JSON.stringify(token))}`;

async function get(path: string, token?: Token) {
  const response = await fetch(`${next.url}${path}`, {
    headers: token ? { cookie: cookieHeader(token) } : {},
    redirect: 'manual',
  });
  const html = await response.text();
  return {
    status: response.status,
    html,
    setCookies: response.headers.getSetCookie(),
    customer: /<p id="customer">(.*?)<\/p>/.exec(html)?.[1]?.replace(/<!-- -->/g, ''),
  };
}

/** Signs in through the route handler with the emulator clock `daysAgo` days back, then sets it to now. */
async function signIn(daysAgo = 0): Promise<{ token: Token; setCookie: string; location: string | null }> {
  em.clock.set(Date.now() - daysAgo * DAY);
  const response = await fetch(`${next.url}/api/sign-in`, {
    method: 'POST',
    body: new URLSearchParams({ email: testing.DEFAULT_CUSTOMER.email, password: testing.DEFAULT_CUSTOMER.password }),
    redirect: 'manual',
  });
  em.clock.set(Date.now());
  expect(response.status).toBe(303);
  const setCookies = response.headers.getSetCookie();
  const token = written(setCookies);
  expect(token).toBeTruthy();
  return { token: token!, setCookie: setCookies[0]!, location: response.headers.get('location') };
}

/** Whether the emulator would accept `token` now (issued, not deleted, not expired). */
function live(token: Token): boolean {
  const issued = em.customers.tokens(testing.DEFAULT_CUSTOMER.email).find((t) => t.accessToken === token.accessToken);
  return !!issued && !issued.deleted && issued.expiresAt > em.clock.now();
}

const SHOWN = 'Ada Lovelace &lt;customer@example.com&gt;';

describe('examples/nextjs (next build, next start)', () => {
  it('signs in through a route handler: an HttpOnly cookie with the token, expiring with it', async () => {
    const { token, setCookie, location } = await signIn();
    expect(location).toBe('/account');
    expect(setCookie).toMatch(/; HttpOnly/i);
    expect(setCookie).toMatch(/; SameSite=lax/i);
    expect(setCookie).toContain(`Expires=${new Date(token.expiresAt).toUTCString()}`);
    expect(live(token)).toBe(true);
  });

  it('renders the customer in a server component outside the renewal window: no renewal, no Set-Cookie', async () => {
    const { token } = await signIn();
    const before = renewals();
    const page = await get('/account', token);
    expect(page.status).toBe(200);
    expect(page.customer).toBe(SHOWN);
    expect(page.setCookies).toEqual([]);
    expect(renewals() - before).toBe(0);
  });

  it('inside the window the proxy renews once per cookie version; Set-Cookie carries the new token', async () => {
    const { token: first } = await signIn(36); // 6 of 42 days left: inside the 7-day window
    const before = renewals();

    const renewedPage = await get('/account', first);
    expect(renewedPage.status).toBe(200);
    expect(renewedPage.customer).toBe(SHOWN); // the page read with the renewed token the proxy handed it
    expect(renewals() - before).toBe(1);
    const second = written(renewedPage.setCookies);
    expect(second).toBeTruthy();
    expect(second!.accessToken).not.toBe(first.accessToken);
    expect(Date.parse(second!.expiresAt)).toBeGreaterThan(Date.parse(first.expiresAt) + 30 * DAY);
    expect(live(second!)).toBe(true);
    const newest = em.customers.tokens(testing.DEFAULT_CUSTOMER.email).at(-1)!;
    expect(second!.accessToken).toBe(newest.accessToken);
    expect(renewedPage.setCookies[0]).toMatch(/; HttpOnly/i);

    // The browser sends the new cookie: nothing left to renew.
    for (let i = 0; i < 3; i++) {
      const page = await get('/account', second!);
      expect(page.customer).toBe(SHOWN);
      expect(page.setCookies).toEqual([]);
    }
    expect(renewals() - before).toBe(1);
    console.log('nextjs: 1 cookie version in the window, 4 page requests → 1 renewal (by the proxy)');
  });

  it('server components never renew: with renew failing (503), a due token is read, not renewed, and kept', async () => {
    const { token } = await signIn(36);
    em.faults.inject({ kind: 'status', status: 503 }, { times: Infinity, operationName: 'CustomerAccessTokenRenew' });
    const before = renewals();
    try {
      const page = await get('/account', token);
      expect(page.customer).toBe(SHOWN);
      expect(page.setCookies).toEqual([]); // renewal unavailable: the cookie stays as it is
    } finally {
      em.faults.clear();
    }
    // The proxy's one renewal: 4 attempts (the storefront exchange's retry budget), counted once they stop. A
    // server component that renewed would add 4 more.
    expect(await settled(renewals)).toBe(before + 4);
    const page = await get('/account', token);
    expect(written(page.setCookies)?.accessToken).not.toBe(token.accessToken);
    expect(renewals() - before).toBe(5);
  });

  it('an expired token: the proxy clears the cookie without a renew request; the page asks to sign in', async () => {
    const { token } = await signIn(43);
    const before = renewals();
    const page = await get('/account', token);
    expect(page.status).toBe(200);
    expect(page.html).toContain('id="signed-out"');
    expect(written(page.setCookies)).toBeNull();
    expect(page.setCookies[0]).toContain('Expires=Thu, 01 Jan 1970 00:00:00 GMT');
    expect(renewals() - before).toBe(0);
  });

  it('parallel requests sharing one due cookie: each request renews on its own, every token valid', async () => {
    const { token } = await signIn(36);
    const parallel = 4;
    const before = renewals();
    const pages = await Promise.all(Array.from({ length: parallel }, () => get('/account', token)));
    const renewed = (await settled(renewals)) - before;
    const tokens = pages.map((page) => written(page.setCookies));
    for (const page of pages) expect(page.customer).toBe(SHOWN);
    expect(renewed).toBeGreaterThanOrEqual(1);
    expect(renewed).toBeLessThanOrEqual(parallel);
    // Each response that renewed carries its own token; all of them work, whichever the browser keeps.
    expect(tokens.filter((t) => t).length).toBeGreaterThanOrEqual(1);
    expect(tokens.filter((t) => t).length).toBeLessThanOrEqual(renewed);
    for (const t of tokens) if (t) expect(live(t)).toBe(true);
    console.log(`nextjs: ${parallel} parallel requests with one due cookie → ${renewed} renewals, all tokens valid`);
  });

  it('signs out: the token is deleted on the server and the cookie cleared', async () => {
    const { token } = await signIn();
    const response = await fetch(`${next.url}/api/sign-out`, {
      method: 'POST',
      headers: { cookie: cookieHeader(token) },
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    expect(written(response.headers.getSetCookie())).toBeNull();
    expect(live(token)).toBe(false);
  });
});
