/**
 * A fake of the browser's Web Locks for unit tests: one `FakeLocks` stands for one origin, each coordinator
 * created while it is installed for one tab.
 */

interface Pending {
  callback: (lock: Lock) => unknown;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
}

/**
 * An exclusive-only LockManager: one holder per name, a FIFO queue, `signal` aborting a queued request, and
 * `steal` granting at once while the holder's request rejects with an AbortError (its callback carries on).
 */
export class FakeLocks {
  readonly held = new Map<string, Pending>();
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
      if (options.steal) {
        this.held.get(name)?.reject(new DOMException('The lock was stolen.', 'AbortError'));
        this.held.delete(name);
        queue.unshift(pending);
        return this.grant(name);
      }
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
    this.held.set(name, next);
    const release = () => {
      if (this.held.get(name) !== next) return; // stolen: the thief holds it now
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
}
