import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationError, webLocksCoordination } from '../../src/index.js';
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
  const renew = vi.fn(() => {
    log.push(`${label} at ${Date.now()}`);
    return done;
  });
  return { renew, finish: () => finish(label), fail };
}

describe('webLocksCoordination', () => {
  it('runs the renewals of several tabs one at a time, each once, and resolves with its outcome', async () => {
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
    for (const tab of tabs) expect(tab.renew).toHaveBeenCalledTimes(1);
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
    for (const tab of [frozen, b, c, d]) expect(tab!.renew).toHaveBeenCalledTimes(1);
  });

  it('renews without a lock once the takeover lock is stuck too: at most twice the timeout', async () => {
    const log: string[] = [];
    const [first, second, third] = ['first', 'second', 'third'].map((label) => renewal(label, log));
    void webLocksCoordination({ timeoutMs: TIMEOUT }).withRenewalLock(first!.renew);
    await vi.advanceTimersByTimeAsync(0);
    void webLocksCoordination({ timeoutMs: TIMEOUT }).withRenewalLock(second!.renew);
    await vi.advanceTimersByTimeAsync(0);
    const outcome = webLocksCoordination({ timeoutMs: TIMEOUT }).withRenewalLock(third!.renew);
    await vi.advanceTimersByTimeAsync(2 * TIMEOUT);
    expect(log).toEqual(['first at 0', `second at ${TIMEOUT}`, `third at ${2 * TIMEOUT}`]);
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
    expect(locks.held.size).toBe(0);
  });

  it('renews without a lock, at once, where navigator.locks is missing', async () => {
    vi.stubGlobal('navigator', {});
    const renew = vi.fn(() => Promise.resolve('renewed'));
    expect(await webLocksCoordination().withRenewalLock(renew)).toBe('renewed');
    vi.stubGlobal('navigator', undefined);
    expect(await webLocksCoordination().withRenewalLock(renew)).toBe('renewed');
    expect(renew).toHaveBeenCalledTimes(2);
  });

  it('renews once, without a lock, when the browser refuses the lock request (an opaque origin)', async () => {
    const refused = Object.assign(new Error('The request was denied.'), { name: 'SecurityError' });
    vi.stubGlobal('navigator', { locks: { request: () => Promise.reject(refused) } });
    const renew = vi.fn(() => Promise.resolve('renewed'));
    expect(await webLocksCoordination().withRenewalLock(renew)).toBe('renewed');
    expect(renew).toHaveBeenCalledTimes(1);
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
