import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Miniflare } from 'miniflare';
import type * as Testing from '../../src/testing/index.js';
import type * as TestingFetch from '../../src/testing/fetch.js';
import { bundleWorker, installExample, startWorker, type ExampleApp } from '../../scripts/examples.js';

// examples/react-router-worker from the packed tarball: bundled for workerd and run in miniflare with no
// nodejs_compat (no `process`), the Storefront being the emulator's fetch handler (createEmulator from
// /testing/fetch) behind miniflare's outbound service. The session cookie is the token store.

const DAY = 24 * 3600_000;
const SECRET = 'a-secret-for-the-test';
const ORIGIN = 'https://shop.example.test';

interface Token {
  accessToken: string;
  expiresAt: string;
}
interface SessionCookie {
  parse(header: string | null): Promise<{ customerAccessToken?: Token } | null>;
}

let app: ExampleApp;
let em: TestingFetch.FetchEmulator;
let mf: Miniflare;
let sessionCookie: SessionCookie;
let email: string;
let password: string;

beforeAll(async () => {
  const started = Date.now();
  app = await installExample('react-router-worker', inject('tarball'));
  const installed = Date.now();
  const script = await bundleWorker(app);
  const { createEmulator } = await app.import<typeof TestingFetch>('storefront-customer-session/testing/fetch');
  const { readSchemas, DEFAULT_CUSTOMER } = await app.import<typeof Testing>('storefront-customer-session/testing');
  ({ email, password } = DEFAULT_CUSTOMER);
  em = createEmulator({ schemas: readSchemas() });
  ({ mf } = await startWorker(
    script,
    { SESSION_SECRET: SECRET, STOREFRONT_DOMAIN: em.storeDomain, STOREFRONT_PUBLIC_TOKEN: em.publicAccessToken },
    (request) => em.fetch(request),
  ));
  // The test reads the session cookie with React Router's own cookie, from the app's install.
  const { createCookie } = await app.import<{
    createCookie(name: string, options: { secrets: string[] }): SessionCookie;
  }>('react-router');
  sessionCookie = createCookie('session', { secrets: [SECRET] });
  console.log(`react-router-worker: install ${installed - started} ms, bundle and start ${Date.now() - installed} ms`);
});

afterAll(async () => {
  await mf?.dispose();
  await em?.close();
  await app?.remove();
});

const renewals = () => em.counters.count('CustomerAccessTokenRenew');

async function request(path: string, init: { cookie?: string; form?: Record<string, string> } = {}) {
  const response = await mf.dispatchFetch(`${ORIGIN}${path}`, {
    method: init.form ? 'POST' : 'GET',
    headers: init.cookie ? { cookie: init.cookie } : {},
    ...(init.form ? { body: new URLSearchParams(init.form) } : {}),
    redirect: 'manual',
  });
  const html = await response.text();
  const setCookie = response.headers.get('set-cookie');
  return {
    status: response.status,
    location: response.headers.get('location'),
    html,
    setCookie,
    /** The cookie the browser sends next (the new one when the response set one). */
    cookie: setCookie ? setCookie.split(';')[0]! : init.cookie,
    token: setCookie ? ((await sessionCookie.parse(setCookie.split(';')[0]!))?.customerAccessToken ?? null) : undefined,
    customer: /<p id="customer">(.*?)<\/p>/.exec(html)?.[1],
  };
}

/** Signs in with the emulator clock `daysAgo` days back, then sets it to now; answers the session cookie. */
async function signIn(daysAgo = 0) {
  em.clock.set(Date.now() - daysAgo * DAY);
  const response = await request('/account/login', { form: { email, password } });
  em.clock.set(Date.now());
  expect(response.status, response.html).toBe(303);
  expect(response.location).toBe('/account');
  expect(response.token).toBeTruthy();
  return { cookie: response.cookie!, token: response.token!, setCookie: response.setCookie! };
}

function live(token: Token): boolean {
  const issued = em.customers.tokens(email).find((t) => t.accessToken === token.accessToken);
  return !!issued && !issued.deleted && issued.expiresAt > em.clock.now();
}

const SHOWN = 'Ada Lovelace &#60;customer@example.com&#62;';

describe('examples/react-router-worker in workerd (miniflare, no nodejs_compat)', () => {
  it('runs where there is no process global', async () => {
    const { Miniflare } = await import('miniflare');
    const probe = new Miniflare({
      modules: true,
      script: 'export default { fetch: () => new Response(typeof globalThis.process) }',
      compatibilityDate: '2026-04-01',
    });
    try {
      expect(await (await probe.dispatchFetch('http://probe/')).text()).toBe('undefined');
    } finally {
      await probe.dispose();
    }
  });

  it('signs in: the token goes into the session, committed as a signed HttpOnly cookie', async () => {
    const { token, setCookie } = await signIn();
    expect(setCookie).toMatch(/^session=/);
    expect(setCookie).toMatch(/; HttpOnly/i);
    expect(setCookie).toMatch(/; Secure/i);
    expect(live(token)).toBe(true);
  });

  it('reads the customer outside the renewal window without renewing or committing', async () => {
    const { cookie } = await signIn();
    const before = renewals();
    const page = await request('/account', { cookie });
    expect(page.status).toBe(200);
    expect(page.customer).toBe(SHOWN);
    expect(page.setCookie).toBeNull();
    expect(renewals() - before).toBe(0);
  });

  it('inside the window: renews once, commits the session with the new token, then renews no more', async () => {
    const { cookie, token } = await signIn(36);
    const before = renewals();
    const page = await request('/account', { cookie });
    expect(page.customer).toBe(SHOWN);
    expect(renewals() - before).toBe(1);
    expect(page.token).toBeTruthy();
    expect(page.token!.accessToken).not.toBe(token.accessToken);
    expect(Date.parse(page.token!.expiresAt)).toBeGreaterThan(Date.parse(token.expiresAt) + 30 * DAY);
    expect(page.token!.accessToken).toBe(em.customers.tokens(email).at(-1)!.accessToken);
    expect(live(page.token!)).toBe(true);
    for (let i = 0; i < 3; i++) {
      const again = await request('/account', { cookie: page.cookie });
      expect(again.customer).toBe(SHOWN);
      expect(again.setCookie).toBeNull();
    }
    expect(renewals() - before).toBe(1);
    console.log('react-router-worker: 1 session cookie in the window, 4 requests → 1 renewal, 1 commit');
  });

  it('parallel requests sharing one due session cookie renew each on their own, every token valid', async () => {
    const { cookie } = await signIn(36);
    const parallel = 4;
    const before = renewals();
    const pages = await Promise.all(Array.from({ length: parallel }, () => request('/account', { cookie })));
    const renewed = renewals() - before;
    for (const page of pages) expect(page.customer).toBe(SHOWN);
    // Each request commits the token it renewed.
    expect(pages.filter((page) => page.token).length).toBeGreaterThanOrEqual(1);
    expect(pages.filter((page) => page.token).length).toBeLessThanOrEqual(renewed);
    expect(renewed).toBeGreaterThanOrEqual(1);
    expect(renewed).toBeLessThanOrEqual(parallel);
    for (const page of pages) if (page.token) expect(live(page.token)).toBe(true);
    console.log(`react-router-worker: ${parallel} parallel requests with one due cookie → ${renewed} renewals`);
  });

  it('a token the store no longer accepts: the session drops it (committed) and the page asks to sign in', async () => {
    const { cookie } = await signIn();
    em.clock.advance(43 * DAY); // expired on the emulator; the worker's clock still finds it valid
    try {
      const page = await request('/account', { cookie });
      expect(page.status).toBe(401);
      expect(page.html).toContain('id="signed-out"');
      expect(page.setCookie).toMatch(/^session=/);
      expect(page.token).toBeNull(); // the session is committed without the token
    } finally {
      em.clock.set(Date.now());
    }
  });

  it('signs out: deletes the token on the server and commits the session without it', async () => {
    const { cookie, token } = await signIn();
    const response = await request('/account/logout', { cookie, form: {} });
    expect(response.status).toBe(303);
    expect(response.token).toBeNull();
    expect(live(token)).toBe(false);
  });
});
