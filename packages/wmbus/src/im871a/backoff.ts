export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** Delay before reopen attempt `attempt` (0-based): initial · 2^attempt, capped at max. */
export function backoffMs(attempt: number, o: BackoffOptions): number {
  return Math.min(o.maxMs, o.initialMs * 2 ** Math.min(attempt, 30));
}
