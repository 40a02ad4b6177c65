import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSignedOutMark, type TokenRecord } from '../../src/runtime/coordination.js';
import {
  createCustomerSession,
  type CustomerSession,
  type Decision,
  type Renew,
} from '../../src/runtime/customerSession.js';
import { resolveCustomerOptions } from '../../src/runtime/customerTokenOptions.js';
import { classifyRenew } from '../../src/runtime/renewOutcome.js';
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
} from './sessionModel.js';

/** One world: which store, how many clients, which lock, how hostile. */
interface World {
  seed: number;
  store: 'atomic' | 'view' | 'plain';
  clients: number;
  coordinated: boolean;
  lagMs: number;
  /** No store faults, a lock that works, a server that answers well: one renewal per token must hold here. */
  clean: boolean;
  clearAlwaysThrows: boolean;
  steps: number;
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
];
const LOCK_MODES: LockMode[] = ['works', 'unsupported', 'unreachable', 'hangs', 'throws'];

let totalSteps = 0;
let totalDecisions = 0;

async function play(w: World): Promise<void> {
  const rng = random(w.seed);
  const sim = new Sim();
  const server = new Server(sim);
  const violations: string[] = [];
  const check = (ok: boolean, message: () => string) => {
    if (!ok) violations.push(message());
  };
  let renewFaultRate = w.clean ? 0 : 0.3;

  /** Every change of the shared record, judged: a sign-out only for cause, only forward, never a resurrection. */
  const trace = process.env['MODEL_WORLD'] ? (line: string) => console.log(`${sim.now - T0_}: ${line}`) : null;
  const show = (r: TokenRecord) => (isToken(r) ? `${r.accessToken}@${(exp(r) - T0_) / DAY}` : JSON.stringify(r));
  const judgeChange = (before: TokenRecord, after: TokenRecord, by: 'session' | 'app' | 'wipe') => {
    trace?.(`${by}: ${show(before)} -> ${show(after)}`);
    if (by !== 'session') return;
    if (isSignedOutMark(after) && isToken(before))
      check(
        !server.isLive(before.accessToken) || sim.now >= exp(before) - SKEW,
        () => `signed out ${before.accessToken}, live at the server with ${(exp(before) - sim.now) / HOUR} h left`,
      );
    if (isToken(after)) {
      check(!isSignedOutMark(before), () => `wrote ${after.accessToken} over a sign-out mark: a session came back`);
      check(Number.isFinite(exp(after)), () => `stored an ill-formed token ${after.accessToken} (${after.expiresAt})`);
      // localStorage without a working lock has no cross-tab transaction: two tabs that wrote at once may land
      // in either order (README, "Across tabs"). Every other store only moves forward.
      const unordered = w.store === 'view' && (!w.coordinated || lock.mode !== 'works');
      if (isToken(before) && !unordered)
        check(exp(after) >= exp(before), () => `moved the token backwards: ${before.expiresAt} -> ${after.expiresAt}`);
    }
  };

  const first = server.issue();
  const shared = w.store === 'plain' ? null : new SharedRecord(sim, rng, w.store, w.lagMs, judgeChange);
  const plain = { token: first as Token | null, faultRate: 0, clearAlwaysThrows: w.clearAlwaysThrows };
  shared?.write(first, 'app');
  const lock = new Lock(sim, rng);
  if (!w.coordinated) lock.mode = 'works';

  interface Client {
    session: CustomerSession;
    notices: number;
    sentSinceNotice: boolean;
    renewsPerToken: Map<string, number>;
  }
  const clients: Client[] = [];
  let open = 0;

  for (let c = 0; c < w.clients; c++) {
    const store: TokenStore = shared
      ? shared.storeFor(c)
      : plainStore(sim, rng, plain, (token) => {
          trace?.(`clear ${token ? show(token) : 'null'} live=${token ? server.isLive(token.accessToken) : '-'}`);
          if (token)
            check(
              !server.isLive(token.accessToken) || sim.now >= exp(token) - SKEW,
              () => `cleared ${token.accessToken}, live at the server`,
            );
        });
    const client: Client = { session: undefined!, notices: 0, sentSinceNotice: true, renewsPerToken: new Map() };
    client.session = createCustomerSession(
      resolveCustomerOptions({
        store,
        now: () => sim.now,
        timer: sim.timer,
        coordination: w.coordinated ? lock.coordinationFor(c) : undefined,
        onSignInRequired: (signal) => {
          trace?.(`client ${c} sign-in-required ${signal.reason}`);
          client.notices++;
          check(client.sentSinceNotice, () => `client ${c} told to sign in twice for one sign-out`);
          client.sentSinceNotice = false;
        },
        ...({ tag: c } as object),
        onTokenChange: (token) => {
          trace?.(`client ${c} token change ${token ? show(token) : 'null'}`);
          if (token) client.sentSinceNotice = true;
        },
      }),
    );
    clients.push(client);
  }

  const renewFor =
    (client: Client): Renew =>
    (from, abort) =>
      new Promise((resolve) => {
        check(
          sim.now < exp(from) - SKEW,
          () => `sent ${from.accessToken} to renew ${(exp(from) - sim.now) / MIN} min before expiry`,
        );
        const key = `${from.accessToken}|${from.expiresAt}`;
        const count = (client.renewsPerToken.get(key) ?? 0) + 1;
        client.renewsPerToken.set(key, count);
        check(count <= 30, () => `${count} renew requests for one token from one client`);
        const fault: RenewFault = rng.chance(renewFaultRate) ? rng.pick(RENEW_FAULTS) : 'none';
        if (rng.chance(0.7))
          abort.addEventListener('abort', () => resolve({ kind: 'unavailable', error: undefined, cause: null }));
        sim.timer(() => {
          const data = server.renew(from, fault);
          trace?.(
            `client ${clients.indexOf(client)} renew ${show(from)} (${fault}, ${server.mode}) -> ${JSON.stringify(data)}`,
          );
          if (fault === 'hang') return;
          const answer = () => {
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
    const started = sim.now;
    const bound = client.session.answerBoundMs;
    totalDecisions++;
    const settle = (decision: Decision) => {
      trace?.(
        `client ${clients.indexOf(client)} op@${started - T0_}: ${decision.kind} ${decision.kind === 'send' ? show(decision.token) : JSON.stringify(decision.signal)}`,
      );
      check(sim.now - started <= bound, () => `an operation answered after ${sim.now - started} ms (bound ${bound})`);
      if (decision.kind === 'send') {
        check(isToken(decision.token) && sim.now < exp(decision.token), () => `sent an expired or ill-formed token`);
        client.sentSinceNotice = true;
        if (!server.isLive(decision.token.accessToken)) {
          // The server answers customer: null: the exchange asks the session.
          open++;
          const asked = sim.now;
          client.session.revoked(decision.token.accessToken).then(
            () => {
              open--;
              check(sim.now - asked <= bound, () => `revoked answered after ${sim.now - asked} ms`);
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
      if (isToken(token)) await sim.advance(Math.max(0, exp(token) - sim.now - (MIN + rng.int(10 * MIN))));
    } else if (roll < 0.77) {
      const token = current();
      if (isToken(token) && server.tokens.has(token.accessToken)) server.tokens.get(token.accessToken)!.dead = true;
    } else if (roll < 0.8) {
      const token = server.issue();
      if (shared) shared.write(token, 'app');
      else plain.token = token;
      for (const client of clients) client.sentSinceNotice = true;
    } else if (roll < 0.81 && shared) shared.write({ signedOut: true }, 'app');
    else if (roll < 0.83 && shared)
      shared.write(null, 'wipe'); // Redis restarted empty
    else if (roll < 0.86) server.mode = rng.pick(RENEW_MODES);
    else if (roll < 0.89 && !w.clean) {
      const rate = rng.pick([0, 0.1, 0.5, 1]);
      if (shared) shared.faultRate = rate;
      else plain.faultRate = rate;
      renewFaultRate = rng.pick([0, 0.3, 1]);
    } else if (roll < 0.92 && !w.clean && w.coordinated) lock.mode = rng.pick(LOCK_MODES);
    else await sim.advance(rng.int(100));
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
    for (const [key, count] of server.renewed)
      check(count <= 1, () => `${count} successful renewals of ${key.split('|')[0]} in one domain with a working lock`);
  expect(violations, `seed ${w.seed}: ${JSON.stringify(w)}`).toEqual([]);
}

describe('the session core in hostile worlds (model)', () => {
  it(
    'answers every operation within its bound, signs out only for cause, only moves forward, never brings a ' +
      'session back, renews once per token with a working lock, and tells the app once per sign-out',
    async () => {
      totalSteps = 0;
      totalDecisions = 0;
      if (process.env['MODEL_WORLD']) return play(JSON.parse(process.env['MODEL_WORLD']) as World);
      const numRuns = Number(process.env['MODEL_RUNS'] ?? 550);
      await fc.assert(fc.asyncProperty(world, play), { numRuns, endOnFailure: true });
      console.log(
        `session model: ${numRuns} worlds, ${totalSteps} random steps, ${totalDecisions} operations, 0 violations`,
      );
      expect(totalSteps).toBeGreaterThanOrEqual(numRuns * 150);
    },
    600_000,
  );
});
