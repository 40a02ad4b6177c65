const warned = new Set<string>();

/*
 * Development-only code (warnings, long explanations) sits behind `process.env.NODE_ENV !== 'production'`,
 * written out at each use exactly as @urql/core writes it: bundlers (Vite, webpack, esbuild, Next) replace the
 * expression, so a production bundle drops the guarded code and its strings. Any environment urql runs in
 * provides it: urql's own `Client` constructor reads the same expression.
 */

/**
 * Prints a warning (or, with `level` `'error'`, an error) once per `key`, and never in production. Callers never pass a token: messages name
 * options and versions only. Call it inside a `process.env.NODE_ENV !== 'production'` guard so that a
 * production bundle drops the message too.
 */
export function warnOnce(key: string, message: string, level: 'warn' | 'error' = 'warn'): void {
  if (process.env.NODE_ENV === 'production' || warned.has(key)) return;
  warned.add(key);
  console[level](message);
}

/**
 * Calls an app callback so that a throwing callback cannot break an exchange's stream; the failure is
 * reported once (by name only) outside production.
 */
export function safeCall<T>(callback: ((value: T) => void) | undefined, value: T, name: string): void {
  if (!callback) return;
  try {
    callback(value);
  } catch {
    if (process.env.NODE_ENV !== 'production') {
      warnOnce(
        `callback:${name}`,
        `storefront-customer-session: the ${name} callback threw; the exchange ignored it. Catch ` +
          'errors inside your callback.',
      );
    }
  }
}
