/**
 * Delay before attempt `attempt + 1` after `attempt` failures: exponential (`baseMs · 2^(attempt-1)`,
 * capped at `maxMs`) with "equal jitter" (between half and all of it), so retries of many messages
 * spread out instead of arriving together. `random` is injectable for tests. Pure.
 */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  return Math.round(exp / 2 + (random() * exp) / 2);
}

/** A `Retry-After` header (seconds or an HTTP date) in milliseconds from `now`, or null. Pure. */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (header === null || header.trim() === '') return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - now) : null;
}
