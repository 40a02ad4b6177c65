import type { TokenRecord } from '../runtime/coordination.js';

/**
 * How many keys a process remembers per client, the least recently used forgotten first. A remembered record
 * is a few hundred bytes; 10 000 customers served recently by one process is about 3 MB.
 */
export const REMEMBERED_KEYS_PER_CLIENT = 10_000;

interface Entry {
  /** The number of the command whose reply was applied last. */
  applied: number;
  record: TokenRecord;
}

/** Numbers every command of the process: a key's commands share one connection, whose replies come in order. */
let sent = 0;

/**
 * The last record Redis confirmed per client and key, for the whole process. An app makes one `redisSession`
 * per request: each is a new object, but the record the previous request saw for this key on this client is
 * here, so that a read while Redis is unreachable answers it instead of failing.
 */
const byClient = new WeakMap<object, Map<string, Entry>>();

/** What a store knows of its key. */
export interface LastKnown {
  /** Numbers the next command on this key (numbers only grow, process-wide). */
  sent(): number;
  /** Remembers what Redis answered to command `seq`, unless a later command's answer was already applied. */
  remember(seq: number, record: TokenRecord): void;
  /** The last confirmed record, or `undefined` when this process never saw one for this key on this client. */
  known(): { record: TokenRecord } | undefined;
  /** Forgets the key (it holds someone else's data). */
  forget(): void;
}

export function lastKnownRecords(client: object, key: string): LastKnown {
  let keys = byClient.get(client);
  if (!keys) byClient.set(client, (keys = new Map()));
  const entries = keys;
  return {
    sent: () => ++sent,
    remember(seq, record) {
      const current = entries.get(key);
      if (current && seq < current.applied) return;
      entries.delete(key); // (re)inserted at the end: the most recently used
      if (entries.size >= REMEMBERED_KEYS_PER_CLIENT) entries.delete(entries.keys().next().value!);
      entries.set(key, { applied: seq, record });
    },
    known() {
      const current = entries.get(key);
      return current && { record: current.record };
    },
    forget() {
      entries.delete(key);
    },
  };
}
