import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationError, webLocksCoordination } from '../../src/index.js';
import { SIGNED_OUT, type TokenHandover } from '../../src/runtime/coordination.js';
import { HANDOVER_DELIVERY_MS } from '../../src/runtime/handOverChannel.js';
import { DEFAULT_LOCK_NAME, DEFAULT_LOCK_TIMEOUT_MS } from '../../src/runtime/webLocksCoordination.js';
import { FakeLocks } from './fakeLocks.js';

const TIMEOUT = 1_000;

let locks: FakeLocks;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: 0 });
  locks = new FakeLocks();
  vi.stubGlobal('navigator', { locks });
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** A renewal that records when it started and ends when the test says so. */
function renewal(label: string, log: string[]) {
  let finish!: (value: string) => void;
  let fail!: (error: unknown) => void;
  const done = new Promise<string>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const renew = vi.fn((held: boolean, why?: string) => {
    log.push(`${label} at ${Date.now()}${held ? '' : ` without the lock (${why})`}`);
    return done;
  });
  return { renew, finish: () => finish(label), fail };
}

describe('webLocksCoordination', () => {
  it('runs the renewals of several tabs one at a time, each once holding the lock, and resolves with its outcome', async () => {
    const log: string[] = [];
    const tabs = ['a', 'b', 'c'].map((label) => renewal(label, log));
    const outcomes = tabs.map((tab) => webLocksCoordination({ timeoutMs: TIMEOUT }).withRenewalLock(tab.renew));
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['a at 0']);
    expect([...locks.held.keys()]).toEqual([DEFAULT_LOCK_NAME]);
    await vi.advanceTimersByTimeAsync(500);
    tabs[0]!.finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['a at 0', 'b at 500']);
    tabs[1]!.finish();
    await vi.advanceTimersByTimeAsync(0);
    tabs[2]!.finish();
    expect(await Promise.all(outcomes)).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a at 0', 'b at 500', 'c at 500']);
    for (const tab of tabs) expect(tab.renew.mock.calls).toEqual([[true]]);
    await vi.advanceTimersByTimeAsync(0); // the outcome is answered first, the lock released right after
    expect(locks.held.size).toBe(0);
    expect(locks.requested).toEqual(Array(3).fill(DEFAULT_LOCK_NAME));
  });

  it('gives up on a holder that never finishes (a frozen tab) after the timeout, then goes one at a time', async () => {
    const log: string[] = [];
    const [frozen, b, c, d] = ['frozen', 'b', 'c', 'd'].map((label) => renewal(label, log));
    const stuck = webLocksCoordination({ timeoutMs: TIMEOUT }).withRenewalLock(frozen!.renew);
    await vi.advanceTimersByTimeAsync(0);
    const second = webLocksCoordination({ timeoutMs: TIMEOUT }).withRenewalLock(b!.renew);
    const third = webLocksCoordination({ timeoutMs: TIMEOUT }).withRenewalLock(c!.renew);
    await vi.advanceTimersByTimeAsync(TIMEOUT - 1);
    expect(log).toEqual(['frozen at 0']);
    await vi.advanceTimersByTimeAsync(1);
    // b took the takeover lock and stole the lock from the frozen tab; c queues behind b.
    expect(log).toEqual(['frozen at 0', `b at ${TIMEOUT}`]);
    expect([...locks.held.keys()].sort()).toEqual([DEFAULT_LOCK_NAME, `${DEFAULT_LOCK_NAME}:takeover`]);
    await vi.advanceTimersByTimeAsync(50);
    const later = webLocksCoordination({ timeoutMs: TIMEOUT }).withRenewalLock(d!.renew);
    await vi.advanceTimersByTimeAsync(50);
    b!.finish();
    expect(await second).toBe('b');
    await vi.advanceTimersByTimeAsync(0);
    // d, which came after the takeover, waited for b (not for the frozen tab). c, which had given up too,
    // takes over from d: both run after b's renewal, so both find b's token in the store.
    expect(log).toEqual(['frozen at 0', `b at ${TIMEOUT}`, `d at ${TIMEOUT + 100}`, `c at ${TIMEOUT + 100}`]);
    c!.finish();
    d!.finish();
    expect([await third, await later]).toEqual(['c', 'd']);
    // The tab robbed of its lock still gets its own renewal's outcome when it wakes.
    frozen!.finish();
    expect(await stuck).toBe('frozen');
    // Each ran once, holding the lock; the thieves, which stole it, are told so (the robbed tab may still be
    // renewing: they do not race it while the token is live, nor sign out for an "invalid" answer).
    for (const tab of [frozen, d]) expect(tab!.renew.mock.calls).toEqual([[true]]);
    for (const tab of [b, c]) expect(tab!.renew.mock.calls).toEqual([[true, 'taken-over']]);
  });

  it('runs without the lock, saying so, once the takeover lock is stuck too: at most twice the timeout', async () => {
    const log: string[] = [];
    const [first, second, third] = ['first', 'second', 'third'].map((label) => renewal(label, log));
    void webLocksCoordination({ timeoutMs: TIMEOUT }).withRenewalLock(first!.renew);
    await vi.advanceTimersByTimeAsync(0);
    void webLocksCoordination({ timeoutMs: TIMEOUT }).withRenewalLock(second!.renew);
    await vi.advanceTimersByTimeAsync(0);
    const outcome = webLocksCoordination({ timeoutMs: TIMEOUT }).withRenewalLock(third!.renew);
    await vi.advanceTimersByTimeAsync(2 * TIMEOUT);
    expect(log).toEqual(['first at 0', `second at ${TIMEOUT}`, `third at ${2 * TIMEOUT} without the lock (timeout)`]);
    third!.finish();
    expect(await outcome).toBe('third');
  });

  it('releases the lock when the renewal rejects, and rejects with its error', async () => {
    const log: string[] = [];
    const [a, b] = ['a', 'b'].map((label) => renewal(label, log));
    const failing = webLocksCoordination({ timeoutMs: TIMEOUT }).withRenewalLock(a!.renew);
    const next = webLocksCoordination({ timeoutMs: TIMEOUT }).withRenewalLock(b!.renew);
    await vi.advanceTimersByTimeAsync(100);
    const error = new Error('renewal failed');
    a!.fail(error);
    await expect(failing).rejects.toBe(error);
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['a at 0', 'b at 100']);
    expect(a!.renew).toHaveBeenCalledTimes(1);
    b!.finish();
    expect(await next).toBe('b');
    await vi.advanceTimersByTimeAsync(0);
    expect(locks.held.size).toBe(0);
  });

  it('runs without the lock, at once, where navigator.locks is missing: unsupported', async () => {
    vi.stubGlobal('navigator', {});
    const renew = vi.fn((_held: boolean, _why?: string) => Promise.resolve('renewed'));
    expect(await webLocksCoordination().withRenewalLock(renew)).toBe('renewed');
    vi.stubGlobal('navigator', undefined);
    expect(await webLocksCoordination().withRenewalLock(renew)).toBe('renewed');
    vi.stubGlobal('navigator', {
      get locks() {
        throw new Error('not here');
      },
    });
    expect(await webLocksCoordination().withRenewalLock(renew)).toBe('renewed');
    expect(renew.mock.calls).toEqual(Array(3).fill([false, 'unsupported']));
  });

  it('runs once, without the lock, when the browser refuses the lock request (an opaque origin)', async () => {
    const refused = Object.assign(new Error('The request was denied.'), { name: 'SecurityError' });
    vi.stubGlobal('navigator', { locks: { request: () => Promise.reject(refused) } });
    const renew = vi.fn((_held: boolean, _why?: string) => Promise.resolve('renewed'));
    expect(await webLocksCoordination().withRenewalLock(renew)).toBe('renewed');
    vi.stubGlobal('navigator', {
      locks: {
        request: () => {
          throw new TypeError('Illegal invocation');
        },
      },
    });
    expect(await webLocksCoordination().withRenewalLock(renew)).toBe('renewed');
    expect(renew.mock.calls).toEqual([
      [false, 'unsupported'],
      [false, 'unsupported'],
    ]);
  });

  it('gives up on a lock manager that ignores the abort, and never runs twice when it grants late', async () => {
    let grant: (() => unknown) | undefined;
    const request = vi.fn((_name: string, _options: LockOptions, callback: () => unknown) => {
      grant ??= callback; // queued forever, deaf to the signal
      return new Promise(() => {});
    });
    vi.stubGlobal('navigator', { locks: { request } });
    const renew = vi.fn((_held: boolean, _why?: string) => Promise.resolve('renewed'));
    const outcome = webLocksCoordination({ timeoutMs: TIMEOUT }).withRenewalLock(renew);
    await vi.advanceTimersByTimeAsync(2 * TIMEOUT);
    expect(await outcome).toBe('renewed');
    expect(renew.mock.calls).toEqual([[false, 'timeout']]);
    expect(grant?.()).toBeUndefined(); // granted after all: released at once, nothing run
    expect(renew).toHaveBeenCalledTimes(1);
  });

  it('rejects with the error of a run that throws synchronously, and releases the lock', async () => {
    const error = new Error('thrown');
    const run = () => {
      throw error;
    };
    await expect(webLocksCoordination().withRenewalLock(run)).rejects.toBe(error);
    await vi.advanceTimersByTimeAsync(0);
    expect(locks.held.size).toBe(0);
  });

  it('waits the default timeout, 10 s, when none is given', async () => {
    expect(DEFAULT_LOCK_TIMEOUT_MS).toBe(10_000);
    const log: string[] = [];
    const [frozen, b] = ['frozen', 'b'].map((label) => renewal(label, log));
    void webLocksCoordination().withRenewalLock(frozen!.renew);
    void webLocksCoordination().withRenewalLock(b!.renew);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(log).toEqual(['frozen at 0']);
    await vi.advanceTimersByTimeAsync(1);
    expect(log).toEqual(['frozen at 0', 'b at 10000']);
  });

  it('fails at construction on a bad name or timeout, naming the fix', () => {
    expect(() => webLocksCoordination({ name: '' })).toThrow(ConfigurationError);
    expect(() => webLocksCoordination({ name: '-reserved' })).toThrow(/not starting with "-"/);
    expect(() => webLocksCoordination({ timeoutMs: -1 })).toThrow(/timeoutMs \("-1"\) is invalid/);
    expect(() => webLocksCoordination({ timeoutMs: Number.NaN })).toThrow(ConfigurationError);
    expect(() => webLocksCoordination({ timeoutMs: 0 })).not.toThrow();
  });
});

const A = { accessToken: 'tok-A', expiresAt: '2026-08-26T22:57:56Z' };
const B = { accessToken: 'tok-B', expiresAt: '2026-10-07T22:57:56Z' };

/** One turn of Node's event loop (not a faked timer): BroadcastChannel messages arrive on it. */
const macrotask = () => new Promise((resolve) => setImmediate(resolve));
async function until(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 200 && !condition(); turn++) await macrotask();
  expect(condition()).toBe(true);
}

let channels = 0;
/** A channel name no other test (or test file) uses: Node delivers BroadcastChannel messages across a process. */
const fresh = () => `hand-over-test-${process.pid}-${channels++}`;

describe('webLocksCoordination hand-overs', () => {
  it('hands a token change to the other clients of the lock name, as plain copies, and not to itself', async () => {
    const name = fresh();
    const [tab1, tab2, tab3] = [0, 1, 2].map(() => webLocksCoordination({ name }));
    const other = webLocksCoordination({ name: fresh() });
    const heard: Record<string, TokenHandover[]> = { tab1: [], tab2: [], tab3: [], other: [] };
    tab1!.onHandOver!((change) => heard.tab1!.push(change));
    tab2!.onHandOver!((change) => heard.tab2!.push(change));
    tab3!.onHandOver!((change) => heard.tab3!.push(change));
    other.onHandOver!((change) => heard.other!.push(change));
    tab1!.handOver!({ from: { ...A, __typename: 'CustomerAccessToken' } as typeof A, to: B });
    await until(() => heard.tab2!.length === 1 && heard.tab3!.length === 1);
    tab2!.handOver!({ from: B, to: { signedOut: true } });
    await until(() => heard.tab1!.length === 1);
    await macrotask();
    expect(heard).toEqual({
      tab1: [{ from: B, to: SIGNED_OUT }],
      tab2: [{ from: A, to: B }],
      tab3: [
        { from: A, to: B },
        { from: B, to: SIGNED_OUT },
      ],
      other: [],
    });
  });

  it('hands a Customer Account token set over whole: its refresh and ID tokens too (not the __ fields)', async () => {
    // Without its refresh token, the set a tab learned from a hand-over is refreshed with none: answered "invalid",
    // every tab signed out (test/browser/customerAccountTabs.e2e.ts found it).
    const name = fresh();
    const [sender, receiver] = [0, 1].map(() => webLocksCoordination({ name }));
    const heard: TokenHandover[] = [];
    receiver!.onHandOver!((change) => heard.push(change));
    const from = { ...A, refreshToken: 'shcrt_A', idToken: 'id-A' };
    const to = { ...B, refreshToken: 'shcrt_B', idToken: 'id-B', __typename: 'TokenSet' };
    sender!.handOver!({ from, to });
    await until(() => heard.length === 1);
    expect(heard).toEqual([{ from, to: { ...B, refreshToken: 'shcrt_B', idToken: 'id-B' } }]);
  });

  it('ignores what is not a hand-over on its channel, and stops calling a listener that unsubscribed', async () => {
    const name = fresh();
    const tab = webLocksCoordination({ name });
    const heard: TokenHandover[] = [];
    const stop = tab.onHandOver!((change) => heard.push(change));
    const stranger = new BroadcastChannel(`${name}:handover`);
    for (const garbage of [null, 'tok-A', { from: A }, { from: A, to: { signedOut: 'yes' } }, { from: 'x', to: B }])
      stranger.postMessage(garbage);
    stranger.postMessage({ from: A, to: B, extra: true });
    await until(() => heard.length === 1);
    expect(heard).toEqual([{ from: A, to: B }]);
    stop();
    stranger.postMessage({ from: B, to: A });
    await macrotask();
    await macrotask();
    expect(heard).toHaveLength(1);
    stranger.close();
  });

  it('keeps the lock after the run until its hand-over went out, then releases it', async () => {
    const coordination = webLocksCoordination({ name: fresh() });
    const outcome = await coordination.withRenewalLock(async (held) => {
      coordination.handOver!({ from: A, to: B });
      return held;
    });
    expect(outcome).toBe(true);
    expect(locks.held.size).toBe(1); // answered at once, still held: the message is on its way
    await until(() => locks.held.size === 0); // heard back on the tab's own listening channel: no timer ran
  });

  it('releases the lock after HANDOVER_DELIVERY_MS when its hand-over is never heard back', async () => {
    expect(HANDOVER_DELIVERY_MS).toBe(100);
    vi.stubGlobal(
      'BroadcastChannel',
      class {
        postMessage() {}
        addEventListener() {}
      },
    );
    const coordination = webLocksCoordination({ name: fresh() });
    await coordination.withRenewalLock(async () => coordination.handOver!({ from: A, to: B }));
    await vi.advanceTimersByTimeAsync(HANDOVER_DELIVERY_MS - 1);
    expect(locks.held.size).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(locks.held.size).toBe(0);
  });

  it('hands nothing over, and releases at once, where BroadcastChannel is missing or fails', async () => {
    const failing = class {
      constructor() {
        throw new Error('blocked');
      }
    };
    const throwing = class {
      postMessage() {
        throw new DOMException('closed', 'InvalidStateError');
      }
      addEventListener() {}
    };
    for (const channel of [undefined, failing, throwing]) {
      vi.stubGlobal('BroadcastChannel', channel);
      const coordination = webLocksCoordination({ name: fresh() });
      expect(typeof coordination.onHandOver!(() => {})).toBe('function');
      await coordination.withRenewalLock(async () => coordination.handOver!({ from: A, to: B }));
      await vi.advanceTimersByTimeAsync(0);
      expect(locks.held.size).toBe(0);
    }
  });

  it('never throws: not at a malformed change, not at a listener that throws (the others still hear)', async () => {
    const name = fresh();
    const sender = webLocksCoordination({ name });
    const receiver = webLocksCoordination({ name });
    const heard: TokenHandover[] = [];
    receiver.onHandOver!(() => {
      throw new Error('listener failed');
    });
    receiver.onHandOver!((change) => heard.push(change));
    expect(() => receiver.onHandOver!(undefined as never)).not.toThrow();
    for (const malformed of [
      undefined,
      null,
      {},
      { from: A },
      { from: A, to: null },
      { from: { accessToken: '' }, to: B },
    ])
      expect(() => sender.handOver!(malformed as never)).not.toThrow();
    sender.handOver!({ from: A, to: B });
    await until(() => heard.length === 1);
    await macrotask();
    expect(heard).toEqual([{ from: A, to: B }]);
  });
});
