const warned = new Set<string>();

/** Whether the app runs with `NODE_ENV=production` (bundlers replace this; browsers without `process` count as development). */
export function isProduction(): boolean {
  return typeof process !== 'undefined' && process.env?.['NODE_ENV'] === 'production';
}

/**
 * Prints a warning once per `key`, and never in production. Callers never pass a token: messages name
 * options and versions only.
 */
export function warnOnce(key: string, message: string): void {
  if (isProduction() || warned.has(key)) return;
  warned.add(key);
  console.warn(message);
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
    warnOnce(`callback:${name}`, `storefront-customer-session: the ${name} callback threw; the exchange ignored it. Catch errors inside your callback.`);
  }
}
