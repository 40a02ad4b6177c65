/** Small statistics helpers for the benchmarks: every figure reported is a median or a percentile. */

/** The median of a non-empty list (mean of the two middle values for even lengths). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('bench: median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The p-th percentile (0–100) by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('bench: percentile of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** `a / b` printed with two decimals and a `×`, or `–` when undefined. */
export function ratio(a: number, b: number): string {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return '–';
  return `${(a / b).toFixed(2)}×`;
}

/** Milliseconds with a sensible precision. */
export function ms(value: number): string {
  if (value >= 100) return `${value.toFixed(0)} ms`;
  if (value >= 10) return `${value.toFixed(1)} ms`;
  return `${value.toFixed(2)} ms`;
}

/** A difference in milliseconds with its sign (`+3.84 ms`, `−4.92 ms`). */
export function signedMs(value: number): string {
  return `${value < 0 ? '−' : '+'}${ms(Math.abs(value))}`;
}

/** Bytes as a plain integer with thousands separators (`12 345 B`). */
export function bytes(value: number): string {
  return `${Math.round(value).toLocaleString('en-US').replace(/,/g, ' ')} B`;
}

/** A difference in bytes with its sign (`+1 024 B`, `−56 B`). */
export function signedBytes(value: number): string {
  return `${value < 0 ? '−' : '+'}${bytes(Math.abs(value))}`;
}

/** Microseconds with one decimal (`118.4 µs`). */
export function micros(value: number): string {
  return `${value.toFixed(1)} µs`;
}

/** A difference in microseconds with its sign (`+27.3 µs`, `−0.8 µs`). */
export function signedMicros(value: number): string {
  return `${value < 0 ? '−' : '+'}${micros(Math.abs(value))}`;
}

/** Kibibytes/mebibytes for memory figures. */
export function mib(kib: number): string {
  return `${(kib / 1024).toFixed(0)} MiB`;
}
