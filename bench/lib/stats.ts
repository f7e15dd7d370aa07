/** Median, min and max of repeated measurements, with the raw values kept for the record. */
export interface Stats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly values: readonly number[];
}

/** Summarizes repeated measurements (the median of an even count is the mean of the middle two). */
export function stats(values: readonly number[]): Stats {
  if (values.length === 0) throw new Error('stats: no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], values: [...values] };
}

/** Milliseconds as seconds with one or two decimals (`1.23 s`, `45.6 s`). */
export function fmtSeconds(ms: number): string {
  const s = ms / 1000;
  return `${s < 10 ? s.toFixed(2) : s.toFixed(1)} s`;
}

/** Bytes as MiB or GiB. */
export function fmtBytes(bytes: number): string {
  const mib = bytes / 1024 / 1024;
  return mib >= 1024 ? `${(mib / 1024).toFixed(2)} GiB` : `${mib.toFixed(0)} MiB`;
}

/** Bytes as KiB (template sizes). */
export function fmtKiB(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

/** `median (min–max)` of a stats object, formatted with `fmt`; just the value when there is one run. */
export function fmtStats(s: Stats, fmt: (n: number) => string): string {
  if (s.values.length === 1) return fmt(s.median);
  return `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;
}
