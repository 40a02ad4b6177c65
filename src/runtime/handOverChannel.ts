import { isSignedOutMark, SIGNED_OUT, type TokenHandover } from './coordination.js';
import { isToken, storedToken } from './tokenStore.js';

/**
 * The longest a lock holder that handed a token change over keeps the lock for the browser to deliver it.
 *
 * @remarks
 * Chromium delivers a `BroadcastChannel` message and grants a Web Lock on two paths that nothing orders: a
 * tab granted the lock a moment after the holder posted could run before the message arrives. The holder
 * therefore listens for its own message on a second channel object (the browser's fan-out reaches it like any
 * other) and releases the lock once it arrived, about 1 ms in Chromium; this bound only matters when it never
 * does.
 */
export const HANDOVER_DELIVERY_MS = 100;

/** The hand-overs of one coordination: posted and heard on `BroadcastChannel`s named `name`. */
export interface HandOverChannel {
  post(change: TokenHandover): void;
  listen(listener: (change: TokenHandover) => void): () => void;
  /** Resolves once the hand-overs posted so far reached this tab's listening channel, or after a bound. */
  delivered(): Promise<void>;
}

/** What goes over the channel: the change, and an id that lets the sender recognise its own message. */
interface HandOverMessage {
  id: string;
  from: unknown;
  to: unknown;
}

/**
 * Two channels per coordination, opened on first use and kept for the page's life: one posts, the other
 * listens (a `BroadcastChannel` object never receives its own messages, so the listening one also tells the
 * sender when its message went out). Node's channels are unref'ed so that they never keep a process alive.
 */
export function handOverChannel(name: string): HandOverChannel {
  const listeners = new Set<(change: TokenHandover) => void>();
  /** The sender's messages not heard back yet, by id. */
  const echoes = new Map<string, () => void>();
  const prefix = `${Math.random().toString(36).slice(2)}:`;
  let count = 0;
  let sender: BroadcastChannel | undefined;
  let receiver: BroadcastChannel | undefined;
  let opened = false;
  /** This coordination's hand-overs on their way (each leaves the set once heard back, or after the bound). */
  const pending = new Set<Promise<void>>();

  const hear = (event: MessageEvent) => {
    const message = event.data as Partial<HandOverMessage> | null;
    const echo = typeof message?.id === 'string' ? echoes.get(message.id) : undefined;
    if (echo) return echo(); // this coordination's own hand-over, back from the browser
    for (const listener of listeners) {
      const change = judge(message); // a copy each: a listener cannot change what the next one hears
      if (!change) return;
      try {
        listener(change);
      } catch {
        // A listener's failure is its own; the others still hear the change.
      }
    }
  };
  const open = (): boolean => {
    if (!opened) {
      opened = true;
      try {
        if (typeof BroadcastChannel === 'function') {
          sender = unref(new BroadcastChannel(name));
          receiver = unref(new BroadcastChannel(name));
          receiver.addEventListener('message', hear);
        }
      } catch {
        sender = receiver = undefined; // e.g. a sandboxed document: no hand-overs, the store still works
      }
    }
    return sender !== undefined;
  };

  return {
    post(change) {
      try {
        const judged = judge(change);
        if (!judged || !open()) return;
        const id = `${prefix}${count++}`;
        sender!.postMessage({ id, ...judged } satisfies HandOverMessage);
        const echoed = new Promise<void>((resolve) => {
          const done = () => {
            echoes.delete(id);
            clearTimeout(bound);
            pending.delete(echoed);
            resolve();
          };
          const bound = setTimeout(done, HANDOVER_DELIVERY_MS);
          echoes.set(id, done);
        });
        pending.add(echoed);
      } catch {
        // Never thrown at the session: a hand-over is a courtesy, the store stays the source of truth.
      }
    },
    listen(listener) {
      if (typeof listener === 'function') {
        open();
        listeners.add(listener);
      }
      return () => void listeners.delete(listener);
    },
    async delivered() {
      await Promise.all(pending);
    },
  };
}

/**
 * A received message as a hand-over, when it has that shape: plain copies of the tokens with every string field
 * a token kind keeps (a Customer Account token set's `refreshToken` and `idToken`: a tab that learned a refreshed
 * set without them would refresh with no refresh token, answered "invalid", and sign every tab out).
 */
function judge(message: unknown): TokenHandover | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { from, to } = message as Partial<TokenHandover>;
  if (!isToken(from) || !(isToken(to) || isSignedOutMark(to))) return undefined;
  return { from: storedToken(from), to: isToken(to) ? storedToken(to) : SIGNED_OUT };
}

/** Lets Node exit with the channel open (browsers have no `unref`). */
function unref(channel: BroadcastChannel): BroadcastChannel {
  (channel as BroadcastChannel & { unref?: () => void }).unref?.();
  return channel;
}
