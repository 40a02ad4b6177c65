/**
 * Fakes of the browser's Web Locks and BroadcastChannel for unit tests: one `FakeLocks` and one channel
 * registry stand for one origin, each coordinator created while they are installed for one tab.
 */

interface Pending {
  callback: (lock: Lock) => unknown;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
}

/** An exclusive-only LockManager: one holder per name, a FIFO queue, `signal` aborting a queued request. */
export class FakeLocks {
  readonly held = new Set<string>();
  readonly queues = new Map<string, Pending[]>();
  /** Every request, by name, in order. */
  readonly requested: string[] = [];

  request(name: string, options: LockOptions, callback: (lock: Lock) => unknown): Promise<unknown> {
    this.requested.push(name);
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const pending: Pending = { callback, resolve, reject, signal };
      const queue = this.queues.get(name) ?? [];
      this.queues.set(name, queue);
      queue.push(pending);
      signal?.addEventListener('abort', () => {
        const at = queue.indexOf(pending);
        if (at < 0) return; // granted already: aborting has no effect
        queue.splice(at, 1);
        reject(signal.reason);
      });
      this.grant(name);
    });
  }

  private grant(name: string): void {
    if (this.held.has(name)) return;
    const next = this.queues.get(name)?.shift();
    if (!next) return;
    this.held.add(name);
    const release = () => {
      this.held.delete(name);
      this.grant(name);
    };
    Promise.resolve()
      .then(() => next.callback({ name, mode: 'exclusive' } as Lock))
      .then(
        (value) => {
          release();
          next.resolve(value);
        },
        (error: unknown) => {
          release();
          next.reject(error);
        },
      );
  }

  /** A tab closing: the browser releases what it holds (here: every held lock of `name`). */
  drop(name: string): void {
    this.held.delete(name);
    this.grant(name);
  }
}

/** Installs a BroadcastChannel fake on `globalThis` (via the returned class); `posted` records every message. */
export function fakeBroadcastChannel(): { Channel: typeof BroadcastChannel; posted: unknown[]; open: () => number } {
  const posted: unknown[] = [];
  const registry = new Set<FakeChannel>();
  class FakeChannel extends EventTarget {
    constructor(readonly name: string) {
      super();
      registry.add(this);
    }
    postMessage(data: unknown): void {
      posted.push(data);
      for (const other of registry)
        if (other !== this && other.name === this.name)
          queueMicrotask(() => other.dispatchEvent(new MessageEvent('message', { data })));
    }
    close(): void {
      registry.delete(this);
    }
  }
  return { Channel: FakeChannel as unknown as typeof BroadcastChannel, posted, open: () => registry.size };
}
