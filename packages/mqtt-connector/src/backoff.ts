/** Exponential reconnect backoff with jitter. Pure: the caller supplies the random source. */
export interface ReconnectOptions {
  /** Delay before the first reconnect attempt (ms). Default 1,000. */
  initialMs: number;
  /** Upper bound of any delay (ms). Default 60,000. */
  maxMs: number;
  /** Growth per failed attempt. Default 2. */
  factor: number;
  /**
   * Fraction of the delay that is randomised, 0…1: the delay is drawn uniformly from
   * `[base × (1 − jitter), base]`. Default 0.5. Spreads a fleet of gateways that lost the same broker.
   */
  jitter: number;
  /**
   * A connection that stayed up at least this long resets the attempt count (ms). A broker that
   * accepts and then drops a client at once (a duplicate client id, a broker restarting in a loop)
   * keeps backing off instead of being hammered at `initialMs`. Default 10,000.
   */
  stableMs: number;
}

export const DEFAULT_RECONNECT: Readonly<ReconnectOptions> = Object.freeze({
  initialMs: 1_000,
  maxMs: 60_000,
  factor: 2,
  jitter: 0.5,
  stableMs: 10_000,
});

/** Why `options` cannot be used, or null. */
export function reconnectOptionsProblem(options: ReconnectOptions): string | null {
  const { initialMs, maxMs, factor, jitter, stableMs } = options;
  if (!Number.isFinite(initialMs) || initialMs <= 0) return 'reconnect.initialMs must be a number > 0';
  if (!Number.isFinite(maxMs) || maxMs < initialMs) return 'reconnect.maxMs must be a number >= initialMs';
  if (!Number.isFinite(factor) || factor < 1) return 'reconnect.factor must be a number >= 1';
  if (!Number.isFinite(jitter) || jitter < 0 || jitter > 1) return 'reconnect.jitter must be between 0 and 1';
  if (!Number.isFinite(stableMs) || stableMs < 0) return 'reconnect.stableMs must be a number >= 0';
  return null;
}

/**
 * The delay before reconnect attempt number `attempt` (1 = the first retry after a failure):
 * `min(maxMs, initialMs × factor^(attempt−1))`, of which the `jitter` fraction is random.
 * `random` returns a number in [0, 1), like Math.random.
 */
export function backoffDelay(attempt: number, options: ReconnectOptions, random: () => number): number {
  const exponent = Math.max(0, attempt - 1);
  const base = Math.min(options.maxMs, options.initialMs * options.factor ** exponent);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(base * (1 - options.jitter * r));
}
