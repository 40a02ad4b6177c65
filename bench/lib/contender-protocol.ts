/** The messages between the runtime benchmark and a contender's child process (bench/lib/contender-child.ts). */
import type { ContenderKey } from './contenders.js';
import type { Slice } from './drive.js';

/** Sent first: which contender the child is, and what it needs to reach the emulator and to stub it. */
export interface Setup {
  readonly key: ContenderKey;
  /** The compiled package (bench/lib/compiled.ts), imported by the child. */
  readonly packageFile: string;
  /** The compiled authExchange policy (bench/lib/compiled.ts), imported by the child. */
  readonly authFile: string;
  /** The child's `NODE_ENV` (urql's and this package's development checks read it); inherited when absent. */
  readonly nodeEnv?: 'production' | 'development';
  readonly url: string;
  readonly publicAccessToken: string;
  readonly accessToken: string;
  readonly expiresAt: string;
  /** The emulator's clock, which the runtime benchmark never moves. */
  readonly now: number;
  /** How many distinct customer documents (one per concurrent worker). */
  readonly documents: number;
}

/** One slice of load on the loopback emulator or the in-process stub. */
export interface SliceCommand {
  readonly id: number;
  readonly target: 'loopback' | 'stub';
  readonly workers: number;
  readonly ms: number;
}

/** The child's messages: ready once set up (with its pid), then one reply per slice. */
export type ChildMessage =
  | { readonly kind: 'ready'; readonly pid: number }
  | { readonly kind: 'slice'; readonly id: number; readonly slice: Slice }
  | { readonly kind: 'error'; readonly id: number; readonly error: string };
