import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSignedOutMark, type TokenRecord } from '../../src/runtime/coordination.js';
import {
  createCustomerSession,
  MAX_FAILURE_PAUSE_MS,
  type CustomerSession,
  type Decision,
  type Renew,
} from '../../src/runtime/customerSession.js';
import { resolveCustomerOptions } from '../../src/runtime/customerTokenOptions.js';
import { classifyRenew, type RenewAnswer } from '../../src/runtime/renewOutcome.js';
import { isToken, type Token, type TokenStore } from '../../src/runtime/tokenStore.js';
import {
  DAY,
  exp,
  HOUR,
  Lock,
  MIN,
  plainStore,
  random,
  SEC,
  Server,
  SharedRecord,
  Sim,
  SKEW,
  T0 as T0_,
  type LockMode,
  type RenewFault,
  type RenewMode,
  RefreshServer,
} from './sessionModel.js';
import { refreshTokenSet } from '../../src/customerAccount/oauth.js';
import { CUSTOMER_ACCOUNT_TOKEN } from '../../src/customerAccount/tokenSet.js';

const ENDPOINTS = {
  issuer: 'https://shop.example/authentication/1',
  authorizationEndpoint: 'https://shop.example/authentication/1/oauth/authorize',
  tokenEndpoint: 'https://shop.example/authentication/1/oauth/token',
  endSessionEndpoint: 'https://shop.example/authentication/1/logout',
  graphqlApi: undefined,
};

/** One world: which store, how many clients, which lock, how hostile. */
interface World {
  seed: number;
  store: 'atomic' | 'view' | 'plain';
  clients: number;
  coordinated: boolean;
  lagMs: number;
  /** No store faults or wipes, a lock that works, a server that answers well: one renewal per token holds here. */
  clean: boolean;
  clearAlwaysThrows: boolean;
  steps: number;
  /** The legacy Storefront token, or the Customer Account API's refresh-token kind. */
  kind: 'storefront' | 'refresh';
  /**
   * The device's wall clock moves apart from its timers: it sleeps (days pass, no timer fires meanwhile), or its
   * clock is set back (hours), ahead (days) or right again. Absent in worlds recorded before: they replay the same.
   */
  clock?: boolean;
}

const world: fc.Arbitrary<World> = fc
  .record({
    seed: fc.integer(),
    store: fc.constantFrom('atomic' as const, 'view' as const, 'plain' as const),
    clients: fc.integer({ min: 1, max: 3 }),
    coordinated: fc.boolean(),
    lagMs: fc.constantFrom(0, 9, 20),
    clean: fc.boolean(),
    clearAlwaysThrows: fc.boolean(),
    steps: fc.integer({ min: 150, max: 250 }),
    kind: fc.constantFrom('storefront' as const, 'storefront' as const, 'refresh' as const),
    clock: fc.boolean(),
  })
  .map((w) =>
    w.store === 'plain' ? { ...w, clients: 1, coordinated: false, lagMs: 0 } : { ...w, clearAlwaysThrows: false },
  );

const RENEW_MODES: RenewMode[] = [
  'rotate-invalidate',
  'rotate-keep',
  'same-extend',
  'rotate-same-expiry',
  'not-extending',
];
const RENEW_FAULTS: RenewFault[] = [
  'transient',
  'hang',
  'slow',
  'null-token',
  'null-user-error',
  'string-payload',
  'null-payload',
  'unparsable-expiry',
  'past-expiry',
  'rotated-bad-expiry',
];
const LOCK_MODES: LockMode[] = ['works', 'unsupported', 'unreachable', 'hangs', 'throws'];
/** How long after the lock works again a job begun without it may still write: see `unordered` in `play`. */
const LOCKLESS_JOBS_MS = 60_000;

let totalSteps = 0;
let totalDecisions = 0;
const renewals = { storefront: 0, refresh: 0, signOuts: 0 };

async function play(w: World): Promise<void> {
  const rng = random(w.seed);
  const sim = new Sim();
  /** The clients' wall clock (one device, or servers set alike): the true time plus how wrong it is. */
  let offset = 0;
  const wall = () => sim.now + offset;
  /** When the wall clock was last set back (true time). */
  let setBackAt = Number.NEGATIVE_INFINITY;
  /** How far ahead the clock was before it was last set back: a write judged on it may land just after. */
  let aheadBefore = 0;
  /** The latest the clients' clock said, for a write judged on it a moment ago (before it was set back). */
  const lately = () => Math.max(sim.now, wall(), sim.now - setBackAt < MIN ? sim.now + aheadBefore : -Infinity);
  const server = new Server(sim);
  const violations: string[] = [];
  const check = (ok: boolean, message: () => string) => {
    if (!ok) violations.push(message());
  };
  let renewFaultRate = w.clean ? 0 : 0.3;

  /** Every change of the shared record, judged: a sign-out only for cause, only forward, never a resurrection. */
  const trace = process.env['MODEL_WORLD'] ? (line: string) => console.log(`${sim.now - T0_}: ${line}`) : null;
  const show = (r: TokenRecord) => (isToken(r) ? `${r.accessToken}@${(exp(r) - T0_) / DAY}` : JSON.stringify(r));
  /** When the shared record last changed, and the refresh tokens it has held (other clients could learn those). */
  let changedAt = Number.NEGATIVE_INFINITY;
  const stored = new Set<string>();
  /** Refresh tokens the store held and lost (wiped), not written again since. */
  const wiped = new Set<string>();
  const judgeChange = (before: TokenRecord, after: TokenRecord, by: 'session' | 'app' | 'wipe') => {
    trace?.(`${by}: ${show(before)} -> ${show(after)}`);
    const lastChange = changedAt;
    changedAt = sim.now;
    const rt = isToken(after) ? (after as Token & { refreshToken?: string }).refreshToken : undefined;
    if (rt) stored.add(rt);
    // Lost data: the set the store lost is known only to the clients that hold it, like one whose every write
    // failed (see checkNothingGiven) until one writes it back. A client that missed it may write an older set back
    // first, and sign out with cause when the server refuses that (SESSION.md 4 and 6; README, "Lost data").
    const lostRt = by === 'wipe' && isToken(before) ? (before as Token & { refreshToken?: string }).refreshToken : '';
    if (lostRt) wiped.add(lostRt);
    if (rt) wiped.delete(rt);
    if (by !== 'session') return;
    // localStorage without a working lock has no cross-tab transaction: a tab's compare-and-set compares its own
    // copy, so a write may land over another tab's write made within the propagation delay, in either order
    // (README, "Across tabs"). Every other store, and localStorage with Web Locks, is checked in full.
    // The same for a while after the lock came back: a job that began without it (unsupported, unreachable) still
    // writes without it, up to a renewal's bound (about 48 s) plus a slow store write's 3 s later.
    const unordered =
      w.store === 'view' && (!w.coordinated || lock.mode !== 'works' || sim.now - lockWorksSince < LOCKLESS_JOBS_MS);
    if (isSignedOutMark(after) && isToken(before) && !unordered)
      check(
        tokens.mayDrop(before),
        () => `signed out ${before.accessToken}, live at the server with ${(exp(before) - sim.now) / HOUR} h left`,
      );
    // Only a mark over a token (checked above to be one the server refused) is a sign-out with cause after lost data.
    if (isSignedOutMark(after) && refresh && !unordered)
      checkNothingGiven(`signed out ${show(before)}`, isToken(before));
    if (isToken(after)) {
      // Without a working lock, localStorage's compare-and-set compares the tab's own copy: a write may land over a
      // mark another tab wrote within the propagation delay (the race `unordered` names), never later.
      const racing = unordered && sim.now - lastChange <= w.lagMs;
      check(
        !isSignedOutMark(before) || racing,
        () => `wrote ${after.accessToken} over a sign-out mark: a session came back`,
      );
      check(Number.isFinite(exp(after)), () => `stored an ill-formed token ${after.accessToken} (${after.expiresAt})`);
      // A refresh kind's expiresAt is the client's clock plus expires_in: with the clock set back since `before` was
      // issued, a newer set legitimately expires earlier. A clock set back also takes an answer already expired at
      // the server for a live token (it cannot tell).
      const issued =
        isToken(before) && refresh ? (refresh.access.get(before.accessToken) ?? Infinity) - HOUR : Infinity;
      const setBack = setBackAt >= issued - 2 * MIN || (offset < 0 && exp(after) <= sim.now);
      if (isToken(before) && !unordered && !setBack)
        check(exp(after) >= exp(before), () => `moved the token backwards: ${before.expiresAt} -> ${after.expiresAt}`);
    }
  };

  const refresh = w.kind === 'refresh' ? new RefreshServer(sim) : null;
  /** The server's view, for either kind: may this token be used, may the session sign it out, a new sign-in. */
  const tokens = refresh
    ? {
        issue: () => refresh.issue(wall()) as Token,
        usable: (t: Token) => refresh.isAccessLive(t.accessToken),
        mayDrop: (t: Token) => !refresh.isRefreshLive((t as Token & { refreshToken: string }).refreshToken),
        revoke: (t: Token) => refresh.revoke((t as Token & { refreshToken: string }).refreshToken),
        renewedCounts: () => refresh.renewed,
      }
    : {
        issue: () => server.issue(),
        usable: (t: Token) => server.isLive(t.accessToken),
        // Expired by the true time, or by the clients' clock (a clock set ahead cannot tell).
        mayDrop: (t: Token) => !server.isLive(t.accessToken) || lately() >= exp(t) - SKEW,
        revoke: (t: Token) => {
          if (server.tokens.has(t.accessToken)) server.tokens.get(t.accessToken)!.dead = true;
        },
        renewedCounts: () => server.renewed,
      };
  const first = tokens.issue();
  /** Sign-ins by the app so far, and the sign-in each refresh token descends from. */
  let signIns = 0;
  const lineage = new Map<string, number>([[(first as Token & { refreshToken?: string }).refreshToken ?? '', 0]]);
  /** Refresh tokens the token endpoint gave a client (answers it received) that no client has used yet. */
  const given = new Set<string>();
  /** A refresh token of the current sign-in that a client was given and nobody used is good: a sign-out loses it. */
  const checkNothingGiven = (what: string, withCause = false) => {
    // Clients that refresh in parallel (no lock, or one that failed lately) may spend each other's refresh token
    // under single-use rotation; a slow answer then lands after another client's sign-out. One client, or a working
    // lock, orders them.
    const ordered =
      w.clients === 1 || (w.coordinated && lock.mode === 'works' && sim.now - lockWorksSince >= LOCKLESS_JOBS_MS);
    if (!ordered) return;
    // On a shared store, only a refresh token the store held, and with a sign-out for cause only one it holds or
    // held since it last lost data: one whose every write failed, or that the store lost, is known to its clients
    // alone, and another client that the server refused the stored set signs out with cause (guarantee 4), as when
    // Redis lost the key while only an idle process knew the newest set.
    for (const rt of given)
      check(
        lineage.get(rt) !== signIns ||
          !refresh!.isRefreshLive(rt) ||
          (shared !== null && (!stored.has(rt) || (withCause && wiped.has(rt)))),
        () => `${what} while ${rt} was live, unused`,
      );
  };
  const shared = w.store === 'plain' ? null : new SharedRecord(sim, rng, w.store, w.lagMs, judgeChange);
  const plain = { token: first as Token | null, faultRate: 0, clearAlwaysThrows: w.clearAlwaysThrows };
  shared?.write(first, 'app');
  if (!refresh) await sim.advance(36 * DAY); // inside the 7-day window: renewals from the first steps
  const lock = new Lock(sim, rng);
  /** When the lock last started working again (it works from the start). */
  let lockWorksSince = Number.NEGATIVE_INFINITY;
  if (!w.coordinated) lock.mode = 'works';

  interface Client {
    session: CustomerSession;
    notices: number;
    sentSinceNotice: boolean;
    renewsPerToken: Map<string, number>;
    /** The monotonic time of its last renewal attempt (a renew request, a lock asked) or token change. */
    progressAt: number;
    /** The monotonic time of its last renewal attempt's end, and of the last 401 it was told of (`stale`). */
    settledAt: number;
    staleAt: number;
    /** The monotonic time it first sent a due token since then (it cannot renew before an operation asks). */
    dueSince: number | null;
    /** Tokens the server renewed (and, rotating, deleted) for this client whose answer is on its way back. */
    comingBack: Set<string>;
  }
  const clients: Client[] = [];
  let open = 0;

  for (let c = 0; c < w.clients; c++) {
    const store: TokenStore = shared
      ? shared.storeFor(c)
      : plainStore(sim, rng, plain, (token) => {
          trace?.(`clear ${token ? show(token) : 'null'} live=${token ? server.isLive(token.accessToken) : '-'}`);
          if (token) check(tokens.mayDrop(token), () => `cleared ${token.accessToken}, live at the server`);
          // Dead at the server because this client's own renewal consumed it: the new token is on its way back.
          if (token)
            check(
              !client.comingBack.has(token.accessToken),
              () => `client ${c} cleared ${token.accessToken} while its own renewal of it was coming back`,
            );
          checkNothingGiven(`client ${c} cleared the store`);
        });
    const client: Client = {
      session: undefined!,
      notices: 0,
      sentSinceNotice: true,
      renewsPerToken: new Map(),
      comingBack: new Set(),
      progressAt: sim.mono,
      settledAt: Number.NEGATIVE_INFINITY,
      staleAt: Number.NEGATIVE_INFINITY,
      dueSince: null,
    };
    const coordination = w.coordinated ? lock.coordinationFor(c) : undefined;
    if (coordination) {
      const withRenewalLock = coordination.withRenewalLock.bind(coordination);
      coordination.withRenewalLock = (run) => {
        client.progressAt = sim.mono;
        const held = withRenewalLock(run);
        const settled = () => void (client.settledAt = sim.mono);
        held.then(settled, settled);
        return held;
      };
    }
    const options = resolveCustomerOptions({
      store,
      ...(refresh ? { renewWindowMs: 5 * MIN, clockSkewMs: 30 * SEC } : {}),
      now: wall,
      timer: sim.timer,
      coordination,
      onSignInRequired: (signal) => {
        renewals.signOuts++;
        trace?.(`client ${c} sign-in-required ${signal.reason}`);
        client.notices++;
        check(client.sentSinceNotice, () => `client ${c} told to sign in twice for one sign-out`);
        client.sentSinceNotice = false;
      },
      ...({ tag: c } as object),
      onTokenChange: (token) => {
        trace?.(`client ${c} token change ${token ? show(token) : 'null'}`);
        client.progressAt = sim.mono;
        if (token) client.sentSinceNotice = true;
      },
    });
    client.session = createCustomerSession(refresh ? { ...options, kind: CUSTOMER_ACCOUNT_TOKEN } : options);
    clients.push(client);
  }

  /** The token endpoint over a simulated network: the real `refreshTokenSet` judges what it answers. */
  const refreshFor =
    (client: Client): Renew =>
    (from, abort) => {
      renewals.refresh++;
      client.progressAt = sim.mono;
      const key = `${from.accessToken}|${from.expiresAt}`;
      const count = (client.renewsPerToken.get(key) ?? 0) + 1;
      client.renewsPerToken.set(key, count);
      check(count <= 30, () => `${count} refresh requests for one token set from one client`);
      const fault: RenewFault = rng.chance(renewFaultRate) ? rng.pick(RENEW_FAULTS) : 'none';
      const ignoresAbort = rng.chance(0.3);
      const fetch = (_url: unknown, init?: RequestInit) =>
        new Promise<Response>((resolve, reject) => {
          if (!ignoresAbort) init?.signal?.addEventListener('abort', () => reject(new Error('aborted')));
          sim.timer(() => {
            const refreshToken = new URLSearchParams(String(init?.body)).get('refresh_token') ?? '';
            given.delete(refreshToken);
            const { status, body } = refresh!.answer(refreshToken, fault);
            trace?.(
              `client ${clients.indexOf(client)} refresh ${refreshToken} (${fault}, ${refresh!.mode}) -> ${status}`,
            );
            if (fault === 'hang') return;
            sim.timer(
              () => {
                // Received: the session holds what it was given (unless it gave up on the request first).
                const rotated = (body as { refresh_token?: unknown } | null)?.refresh_token;
                if (status === 200 && typeof rotated === 'string' && !abort.aborted) {
                  given.add(rotated);
                  if (!lineage.has(rotated)) lineage.set(rotated, lineage.get(refreshToken) ?? -1);
                }
                resolve(new Response(JSON.stringify(body), { status }));
              },
              fault === 'slow' ? 15 * SEC : rng.int(300),
            );
          }, rng.int(300));
        });
      return refreshTokenSet({
        endpoints: ENDPOINTS,
        client: { clientId: 'app', fetch: fetch as typeof globalThis.fetch, now: wall, timeoutMs: 3_600_000 },
        tokenSet: from as never,
        signal: abort,
      });
    };

  const renewFor =
    (client: Client): Renew =>
    (from, abort) => {
      const answer = renewOnce(client, from, abort);
      const settled = () => void (client.settledAt = sim.mono);
      answer.then(settled, settled);
      return answer;
    };
  const renewOnce = (client: Client, from: Token, abort: AbortSignal): Promise<RenewAnswer> =>
    refresh
      ? refreshFor(client)(from, abort, undefined)
      : new Promise((resolve) => {
          renewals.storefront++;
          client.progressAt = sim.mono;
          check(
            wall() < exp(from) - SKEW,
            () => `sent ${from.accessToken} to renew ${(exp(from) - wall()) / MIN} min before expiry`,
          );
          const key = `${from.accessToken}|${from.expiresAt}`;
          const count = (client.renewsPerToken.get(key) ?? 0) + 1;
          client.renewsPerToken.set(key, count);
          check(count <= 30, () => `${count} renew requests for one token from one client`);
          const fault: RenewFault = rng.chance(renewFaultRate) ? rng.pick(RENEW_FAULTS) : 'none';
          if (rng.chance(0.7))
            abort.addEventListener('abort', () => resolve({ kind: 'unavailable', error: undefined, cause: null }));
          // Once the session gave up on this renewal (its bound), a late answer is lost: no longer coming back.
          abort.addEventListener('abort', () => client.comingBack.delete(from.accessToken));
          sim.timer(() => {
            const wasLive = server.isLive(from.accessToken);
            const data = server.renew(from, fault);
            trace?.(
              `client ${clients.indexOf(client)} renew ${show(from)} (${fault}, ${server.mode}) -> ${JSON.stringify(data)}`,
            );
            if (fault === 'hang') return;
            const consumed = wasLive && !server.isLive(from.accessToken) && !abort.aborted;
            if (consumed) client.comingBack.add(from.accessToken);
            const answer = () => {
              client.comingBack.delete(from.accessToken);
              try {
                resolve(classifyRenew({ data: data as never, error: undefined }));
              } catch (error) {
                violations.push(`classifyRenew threw: ${String(error)}`);
              }
            };
            sim.timer(answer, fault === 'slow' ? 15 * SEC : rng.int(300));
          }, rng.int(300));
        });

  /** The app's operation on client `c`: its decision must come within the bound, and be usable. */
  const operate = (client: Client) => {
    const started = sim.mono;
    const bound = client.session.answerBoundMs;
    totalDecisions++;
    const settle = (decision: Decision) => {
      trace?.(
        `client ${clients.indexOf(client)} op@${started - T0_}: ${decision.kind} ${decision.kind === 'send' ? show(decision.token) : JSON.stringify(decision.signal)}`,
      );
      check(sim.mono - started <= bound, () => `an operation answered after ${sim.mono - started} ms (bound ${bound})`);
      if (decision.kind === 'send') {
        check(isToken(decision.token) && wall() < exp(decision.token), () => `sent an expired or ill-formed token`);
        // Never cut off by a pause: a due token the server still takes is renewed at least once per the longest
        // pause (the backoff's cap) of time the timers saw, whatever the wall clock did meanwhile.
        const token = decision.token;
        // Due by the client's clock, or refused (401) and told so since its last renewal attempt ended: a 401 after a
        // clock set back (an expired access token that looks live) is cured by a renewal, forced through pauses.
        const told = client.staleAt > client.settledAt && client.staleAt < started;
        const due = wall() >= exp(token) - (refresh ? 5 * MIN : 7 * DAY) || (refresh && !tokens.usable(token) && told);
        if (!due || (client.dueSince !== null && client.dueSince <= client.progressAt)) client.dueSince = null;
        if (w.clock && due && !tokens.mayDrop(token) && client.progressAt < started) {
          const since = (client.dueSince ??= started);
          check(
            started - since <= MAX_FAILURE_PAUSE_MS + 10 * MIN,
            () =>
              `client ${clients.indexOf(client)} sent due ${token.accessToken} with no renewal for ` +
              `${(started - since) / HOUR} h`,
          );
        }
        client.sentSinceNotice = true;
        if (refresh && !tokens.usable(decision.token))
          (client.session.stale(decision.token.accessToken), (client.staleAt = sim.mono)); // a 401
        else if (!refresh && !server.isLive(decision.token.accessToken)) {
          // The server answers customer: null: the exchange asks the session.
          open++;
          const asked = sim.mono;
          client.session.revoked(decision.token.accessToken).then(
            () => {
              open--;
              check(sim.mono - asked <= bound, () => `revoked answered after ${sim.mono - asked} ms`);
            },
            (error: unknown) => violations.push(`revoked rejected: ${String(error)}`),
          );
        }
      }
    };
    let decision: Decision | Promise<Decision>;
    try {
      decision = client.session.decide(renewFor(client));
    } catch (error) {
      violations.push(`decide threw: ${String(error)}`);
      return;
    }
    if (!(decision instanceof Promise)) return settle(decision);
    open++;
    decision.then(
      (d) => {
        open--;
        settle(d);
      },
      (error: unknown) => violations.push(`decide rejected: ${String(error)}`),
    );
  };

  const current = () => (shared ? shared.truth : plain.token);
  for (let step = 0; step < w.steps; step++) {
    const roll = rng.next();
    if (roll < 0.3) operate(rng.pick(clients));
    else if (roll < 0.55) await sim.advance(10 + rng.int(2 * SEC));
    else if (roll < 0.68) await sim.advance(10 * SEC + rng.int(10 * MIN));
    else if (roll < 0.72) await sim.advance(HOUR + rng.int(3 * DAY));
    else if (roll < 0.75) {
      const token = current();
      // Near expiry (the skew edge), or into the renewal window.
      const before = rng.chance(0.5) ? MIN + rng.int(10 * MIN) : refresh ? rng.int(5 * MIN) : rng.int(7 * DAY);
      if (isToken(token)) await sim.advance(Math.max(0, exp(token) - sim.now - before));
    } else if (roll < 0.77) {
      const token = current();
      if (isToken(token)) tokens.revoke(token);
      given.clear(); // the app ended this session at the server
    } else if (roll < 0.8) {
      const token = tokens.issue();
      if (shared) shared.write(token, 'app');
      else plain.token = token;
      signIns++; // the app signed in again: a new session, whose refresh tokens descend from this one
      lineage.set((token as Token & { refreshToken?: string }).refreshToken ?? '', signIns);
      for (const client of clients) client.sentSinceNotice = true;
    } else if (roll < 0.81 && shared) shared.write({ signedOut: true }, 'app');
    // Redis restarted empty (lost data is a store failure: clean worlds have none).
    else if (roll < 0.83 && shared && !w.clean) shared.write(null, 'wipe');
    else if (roll < 0.86) {
      server.mode = rng.pick(RENEW_MODES);
      if (refresh) refresh.mode = rng.pick(['single-use', 'grace', 'reusable'] as const);
    } else if (roll < 0.89 && !w.clean) {
      const rate = rng.pick([0, 0.1, 0.5, 1]);
      if (shared) shared.faultRate = rate;
      else plain.faultRate = rate;
      renewFaultRate = rng.pick([0, 0.3, 1]);
    } else if (roll < 0.92 && !w.clean && w.coordinated) {
      const mode = rng.pick(LOCK_MODES);
      if (mode === 'works' && lock.mode !== 'works') lockWorksSince = sim.now;
      lock.mode = mode;
    } else if (w.clock && roll >= 0.97) {
      // The wall clock moves apart from the timers: a sleep (true time passes, no timer fires), or the clock set
      // back by hours, ahead by days, or right again (NTP).
      const jump = rng.pick(['sleep', 'back', 'ahead', 'right'] as const);
      const before = offset;
      if (jump === 'sleep') await sim.sleep(MIN + rng.int(3 * DAY));
      else if (jump === 'back') offset -= MIN + rng.int(12 * HOUR);
      else if (jump === 'ahead') offset += MIN + rng.int(3 * DAY);
      else offset = 0;
      if (offset < before) {
        setBackAt = sim.now;
        aheadBefore = before;
      }
      trace?.(`clock ${jump}: offset ${offset / HOUR} h`);
    } else await sim.advance(rng.int(100));
    await sim.settle();
    if (violations.length > 0) break;
  }
  totalSteps += w.steps;

  // Drain: past every bound, each operation has its answer and nothing is left running.
  if (shared) shared.faultRate = 0;
  plain.faultRate = 0;
  for (let round = 0; round < 10 && open > 0; round++) await sim.advance(2 * MIN);
  check(open === 0, () => `${open} operations never answered`);
  check(sim.errors.length === 0, () => `a timer callback threw: ${String(sim.errors[0])}`);
  check(lock.maxConcurrent <= 1, () => `${lock.maxConcurrent} renewals held the lock at once`);
  if (w.clean && w.coordinated)
    for (const [key, count] of tokens.renewedCounts())
      check(count <= 1, () => `${count} successful renewals of ${key.split('|')[0]} in one domain with a working lock`);
  expect(violations, `seed ${w.seed}: ${JSON.stringify(w)}`).toEqual([]);
}

/** Worlds that found a bug once, played on every run besides the random ones. */
const FOUND: World[] = [
  // A dead refresh token (its rotation's answer lost) and a store that fails: one refresh per operation, no pause.
  {
    seed: -639868475,
    store: 'view',
    clients: 1,
    coordinated: false,
    lagMs: 0,
    clean: false,
    clearAlwaysThrows: false,
    steps: 237,
    kind: 'refresh',
  },
  // Two renewals in a row whose writes to a plain store failed: the client took the first token back (spent).
  {
    seed: -8,
    store: 'plain',
    clients: 1,
    coordinated: false,
    lagMs: 0,
    clean: false,
    clearAlwaysThrows: false,
    steps: 198,
    kind: 'refresh',
  },
  // A refresh whose write found the store wiped, then could not read it: the refreshed set dropped, its
  // predecessor spent.
  {
    seed: -725321013,
    store: 'atomic',
    clients: 1,
    coordinated: false,
    lagMs: 9,
    clean: false,
    clearAlwaysThrows: false,
    steps: 220,
    kind: 'refresh',
  },
  // Two tabs renewing in turn, every write failing: a tab that learned the chain from hand-overs took the first token
  // back from the store (spent).
  {
    seed: 1686121310,
    store: 'view',
    clients: 2,
    coordinated: true,
    lagMs: 0,
    clean: false,
    clearAlwaysThrows: false,
    steps: 155,
    kind: 'refresh',
  },
  // A rotation answered with an unusable expires_in: its new refresh token dropped, the customer signed out.
  {
    seed: 546868925,
    store: 'view',
    clients: 1,
    coordinated: true,
    lagMs: 0,
    clean: false,
    clearAlwaysThrows: false,
    steps: 204,
    kind: 'refresh',
  },
  // The clock ran 63 hours ahead, a renewal did not move expiresAt (a 6-hour pause), NTP set the clock right: no
  // renewal for 67 hours, the pause's end lying on the old clock.
  {
    seed: 1326357730,
    store: 'atomic',
    clients: 1,
    coordinated: false,
    lagMs: 9,
    clean: true,
    clearAlwaysThrows: false,
    steps: 154,
    kind: 'storefront',
    clock: true,
  },
  // One client on a plain store whose writes failed through more than 4 refreshes in a row: the 5th token back fell
  // out of what the session remembered it replaced, and a read of it was taken back (a spent refresh token).
  {
    seed: 369821935,
    store: 'plain',
    clients: 1,
    coordinated: false,
    lagMs: 0,
    clean: false,
    clearAlwaysThrows: false,
    steps: 152,
    kind: 'refresh',
    clock: true,
  },
  // The clock jumped 38 hours ahead while a renewal was out: the next operation signed the token out for expiry,
  // dropping the renewed token on its way back.
  {
    seed: 1143063541,
    store: 'plain',
    clients: 1,
    coordinated: false,
    lagMs: 0,
    clean: true,
    clearAlwaysThrows: false,
    steps: 205,
    kind: 'storefront',
    clock: true,
  },
  // The store wiped; a client that had missed the last renewals wrote its older set back before the one that knew the
  // newest read (the CI run of a84cfd9). The newest is written back over it now; when the older one is refused first,
  // the sign-out has a cause (the lost-data exemption in checkNothingGiven). The write-back: customerSession.test.ts.
  {
    seed: -954967878,
    store: 'view',
    clients: 2,
    coordinated: true,
    lagMs: 0,
    clean: false,
    clearAlwaysThrows: false,
    steps: 215,
    kind: 'refresh',
    clock: true,
  },
  // One client: a renewal answered the same token back after the app signed in anew meanwhile; the client went back
  // to the old token, and then wrote it over the new sign-in (found while fixing the world above).
  {
    seed: -1538538986,
    store: 'atomic',
    clients: 1,
    coordinated: true,
    lagMs: 20,
    clean: true,
    clearAlwaysThrows: false,
    steps: 213,
    kind: 'storefront',
    clock: false,
  },
];

describe('the session core in hostile worlds (model)', () => {
  it(
    'answers every operation within its bound, signs out only for cause, only moves forward, never brings a ' +
      'session back, renews once per token with a working lock, and tells the app once per sign-out',
    async () => {
      totalSteps = 0;
      totalDecisions = 0;
      if (process.env['MODEL_WORLD']) return play(JSON.parse(process.env['MODEL_WORLD']) as World);
      const numRuns = Number(process.env['MODEL_RUNS'] ?? 550);
      await fc.assert(fc.asyncProperty(world, play), {
        numRuns,
        endOnFailure: true,
        examples: FOUND.map((w) => [w]),
      });
      console.log(
        `session model: ${numRuns} worlds, ${totalSteps} random steps, ${totalDecisions} operations, ` +
          `${renewals.storefront} renew and ${renewals.refresh} refresh requests, ${renewals.signOuts} sign-in notices, ` +
          '0 violations',
      );
      expect(totalSteps).toBeGreaterThanOrEqual(numRuns * 150);
    },
    600_000,
  );
});
