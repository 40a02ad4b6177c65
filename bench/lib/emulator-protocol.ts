/** The messages between the benchmark and its emulator child process. */

/** Sent once by the child when it listens. */
export interface Ready {
  readonly url: string;
  readonly storeDomain: string;
  readonly publicAccessToken: string;
  readonly tokenLifetimeMs: number;
}

/** A command to the child; each gets one {@link Reply} with the same id. */
export type Command =
  | { readonly op: 'issue' }
  | { readonly op: 'set'; readonly ms: number }
  | { readonly op: 'count'; readonly operationName: string }
  | { readonly op: 'requests' }
  | { readonly op: 'reset' };

/** The child's answer to a command. */
export type Reply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };
