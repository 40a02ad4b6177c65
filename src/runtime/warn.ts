const warned = new Set<string>();

/*
 * Development-only code (warnings, long explanations) sits behind this exact expression, written out at each use:
 *
 *   typeof process !== 'undefined' ? process.env.NODE_ENV !== 'production' : false
 *
 * (or `… === 'production' : true` for the opposite). A bundler's define (Vite, webpack, esbuild, Next) replaces
 * `process.env.NODE_ENV`, the conditional folds to a constant, and a production bundle drops the guarded code,
 * its strings and the helpers only it calls. Without a define and without a `process` global (workerd without
 * `nodejs_compat`) it is production, never a `ReferenceError`. Not a shared constant or function: esbuild
 * inlines those only after tree shaking, so helpers such as `describeSignal` would stay in the bundle.
 * test/runtime/nodeEnv.test.ts refuses any other read of `process`.
 */

/**
 * Prints a warning (or, with `level` `'error'`, an error) once per `key`, and never in production. Callers never pass a token: messages name
 * options and versions only. Call it inside the development guard above so that a
 * production bundle drops the message too.
 */
export function warnOnce(key: string, message: string, level: 'warn' | 'error' = 'warn'): void {
  if ((typeof process !== 'undefined' ? process.env.NODE_ENV === 'production' : true) || warned.has(key)) return;
  warned.add(key);
  console[level](message);
}

/**
 * Calls an app callback so that a throwing callback, or an async one that rejects, cannot break an exchange's stream
 * or end the process (an unhandled rejection does in Node); the failure is reported once (by name only) outside
 * production.
 */
export function safeCall<T>(callback: ((value: T) => unknown) | undefined, value: T, name: string): void {
  if (!callback) return;
  const failed = () => {
    if (typeof process !== 'undefined' ? process.env.NODE_ENV !== 'production' : false) {
      warnOnce(
        `callback:${name}`,
        `storefront-customer-session: the ${name} callback threw or rejected; the exchange ignored it. Catch ` +
          'errors inside your callback.',
      );
    }
  };
  try {
    const returned = callback(value) as { then?: unknown } | null | undefined;
    if (typeof returned?.then === 'function') (returned as PromiseLike<unknown>).then(undefined, failed);
  } catch {
    failed();
  }
}
