import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  indexedDbTokenStore,
  localStorageTokenStore,
  webLocksCoordination,
  type CustomerSessionSignal,
  type Token,
  type TokenStore,
} from '../../src/index.js';
import { createCustomerSession, type Renew } from '../../src/runtime/customerSession.js';
import { resolveCustomerOptions } from '../../src/runtime/customerTokenOptions.js';
import type { RenewAnswer } from '../../src/runtime/renewOutcome.js';
import { FakeLocks } from './fakeLocks.js';

// Tabs of one origin in Node: one Map-backed localStorage (or one fake IndexedDB), one fake Web Locks manager,
// Node's BroadcastChannel for the hand-overs, and each tab's session on the real clock with short bounds.

const DAY = 24 * 3600_000;
const T0 = Date.UTC(2026, 5, 1);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const token = (accessToken: string, expiresAt: number): Token => ({ accessToken, expiresAt: iso(expiresAt) });
const KEY = 'customer';

let names = 0;
let lock: string;

beforeEach(() => {
  vi.stubGlobal('navigator', { locks: new FakeLocks() });
  vi.stubGlobal('indexedDB', new IDBFactory());
  lock = `hostile-tabs-${names++}`;
});

afterEach(() => vi.unstubAllGlobals());

/** A Map-backed Storage, like one origin's localStorage; `failNext` makes the next setItem throw (quota). */
function memoryStorage(): Storage & { map: Map<string, string>; failNext: boolean } {
  const map = new Map<string, string>();
  const storage = {
    map,
    failNext: false,
    get length() {
      return map.size;
    },
    key: (index: number) => [...map.keys()][index] ?? null,
    getItem: (key: string) => map.get(key) ?? null,
    setItem: (key: string, value: string) => {
      if (storage.failNext) {
        storage.failNext = false;
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      map.set(key, String(value));
    },
    removeItem: (key: string) => void map.delete(key),
    clear: () => map.clear(),
  };
  return storage;
}

/** One tab: its own session on `store`, coordinated through the origin's locks and hand-overs. */
function tab(store: TokenStore, renewWindowMs = 7 * DAY) {
  const signals: CustomerSessionSignal[] = [];
  const signIns: string[] = [];
  const config = resolveCustomerOptions({
    store,
    now: () => T0,
    renewWindowMs,
    onSignal: (signal) => signals.push(signal),
    onSignInRequired: (signal) => signIns.push(signal.reason),
    coordination: webLocksCoordination({ name: lock, timeoutMs: 1_000 }),
  });
  return { session: createCustomerSession(config), signals, signIns };
}

/** A server that rotates: a renewal issues a new token and the renewed one stops working at once. */
function rotatingServer(first: Token) {
  const live = new Set([first.accessToken]);
  let renews = 0;
  const renew: Renew = async (from): Promise<RenewAnswer> => {
    renews++;
    if (!live.delete(from.accessToken)) return { kind: 'invalid' } as RenewAnswer;
    const next = token(`tok-${renews}`, T0 + 42 * DAY);
    live.add(next.accessToken);
    return { kind: 'renewed', token: next };
  };
  return { renew, renews: () => renews };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const unavailable: Renew = async () => ({ kind: 'unavailable', error: undefined, cause: null });

describe('tabs in hostile worlds', () => {
  for (const kind of ['localStorage', 'IndexedDB'] as const) {
    it(`reads a stored token whose expiresAt is no date as nothing, and writes the known token back (${kind})`, async () => {
      // Another release or app on the origin stores expiresAt as epoch milliseconds: not a date to Date.parse.
      const storage = memoryStorage();
      const store = () => (kind === 'localStorage' ? localStorageTokenStore(KEY, storage) : indexedDbTokenStore(KEY));
      const current = token('tok-A', T0 + 30 * DAY);
      await store().set(current);
      const [a, b] = [tab(store()), tab(store())];
      expect(await a.session.decide(unavailable)).toMatchObject({ kind: 'send', token: current });
      expect(await b.session.decide(unavailable)).toMatchObject({ kind: 'send', token: current });
      await store().set({ accessToken: current.accessToken, expiresAt: String(Date.parse(current.expiresAt)) });

      expect(await a.session.decide(unavailable)).toMatchObject({ kind: 'send', token: current });
      expect(await b.session.decide(unavailable)).toMatchObject({ kind: 'send', token: current });
      expect([a.signIns, b.signIns]).toEqual([[], []]);
      expect(await store().read()).toEqual(current);
    });
  }

  it('takes no hand-over whose token is no date or already expired', async () => {
    const storage = memoryStorage();
    const current = token('tok-A', T0 + 30 * DAY);
    localStorageTokenStore(KEY, storage).set(current);
    const a = tab(localStorageTokenStore(KEY, storage));
    expect(await a.session.decide(unavailable)).toMatchObject({ kind: 'send', token: current });
    const channel = new BroadcastChannel(`${lock}:handover`);
    for (const expiresAt of ['soon', iso(T0 - DAY)]) {
      channel.postMessage({ from: current, to: { accessToken: 'tok-X', expiresAt } });
      await sleep(20);
      expect(await a.session.decide(unavailable), expiresAt).toMatchObject({ kind: 'send', token: current });
    }
    channel.close();
    expect(a.signIns).toEqual([]);
  });

  /**
   * Two tabs on one localStorage, a server that rotates tokens, and a token 3 days from expiry: inside the renewer's
   * 7-day window, outside the bystander's 1-day one. The bystander has read it; the store's next write fails (quota).
   */
  async function rotationWithFailedWrite() {
    const storage = memoryStorage();
    const first = token('tok-A', T0 + 3 * DAY);
    localStorageTokenStore(KEY, storage).set(first);
    const server = rotatingServer(first);
    const renewer = tab(localStorageTokenStore(KEY, storage));
    const bystander = tab(localStorageTokenStore(KEY, storage), DAY);
    expect(await bystander.session.decide(server.renew)).toMatchObject({ kind: 'send', token: first });
    storage.failNext = true;
    return { storage, first, server, renewer, bystander };
  }

  it('never signs out for a token another tab handed a renewal of over, though that tab could not store it', async () => {
    // The renewing tab's write fails once (quota): it keeps the new token and hands it over. A tab whose read was
    // refused for the old token (the server rotated it) takes the lock after it: the store still shows the old
    // token, but the hand-over said what replaced it.
    const { storage, first, server, renewer, bystander } = await rotationWithFailedWrite();
    const renewing = renewer.session.decide(server.renew);
    await sleep(10); // the renewer holds the lock
    const refused = bystander.session.revoked(first.accessToken);
    expect(await renewing).toMatchObject({ kind: 'send', token: { accessToken: 'tok-1' } });
    expect(await refused).toBeNull(); // sent once more, with the new token
    expect(await bystander.session.decide(server.renew)).toMatchObject({
      kind: 'send',
      token: { accessToken: 'tok-1' },
    });
    expect([renewer.signIns, bystander.signIns]).toEqual([[], []]);
    expect(JSON.parse(storage.map.get(KEY)!)).not.toHaveProperty('signedOut');
  });

  it('writes a token handed over back when the tab that renewed could not store it and is gone', async () => {
    // The renewing tab's write fails once and it closes before its next operation. The other tab knows the new
    // token from the hand-over; a tab opened later must not find the old one (refused: every tab signed out).
    const { storage, server, renewer, bystander } = await rotationWithFailedWrite();
    expect(await renewer.session.decide(server.renew)).toMatchObject({ kind: 'send', token: { accessToken: 'tok-1' } });
    await sleep(20); // the renewer's tab closes
    expect(await bystander.session.decide(server.renew)).toMatchObject({
      kind: 'send',
      token: { accessToken: 'tok-1' },
    });

    const late = tab(localStorageTokenStore(KEY, storage));
    expect(await late.session.decide(server.renew)).toMatchObject({ kind: 'send', token: { accessToken: 'tok-1' } });
    expect(server.renews()).toBe(1);
    expect([bystander.signIns, late.signIns]).toEqual([[], []]);
    expect(JSON.parse(storage.map.get(KEY)!)).toMatchObject({ accessToken: 'tok-1' });
  });
});
