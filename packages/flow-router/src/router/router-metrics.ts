/** How one message ended for one flow. */
export type MessageOutcome = 'stored' | 'queued' | 'duplicate' | 'dead_letter';

/** Why a message was not routed at all. */
export type UnroutedOutcome = 'unmatched' | 'ignored_secret' | 'ignored_retained';

/** How one POST_ENDPOINT attempt ended. */
export type HttpOutcome = 'delivered' | 'retry' | 'dead_letter';

/**
 * Plain hooks the router calls; the server app maps them onto its metrics library (Prometheus).
 * Every hook must be cheap and must not throw.
 */
export interface RouterMetrics {
  /**
   * One matched (message, flow) pair committed with this outcome. `unmatched`, `ignored_secret` (a
   * topic that carries secrets) and `ignored_retained` (retained on a shared subscription) use flow `''`.
   */
  messageOutcome(flowCode: string, outcome: MessageOutcome | UnroutedOutcome): void;
  /** One transaction committed: messages in it and how long it took (including retries). */
  batchCommitted(size: number, latencyMs: number): void;
  /** A batch lost a race with a concurrent commit (another Galera node) and was planned again. */
  conflictRetry?(): void;
  /** A message (or POST) went to the dead-letter table. */
  deadLetter(flowCode: string | null, reasonCode: string): void;
  /** Rows waiting in the durable POST_ENDPOINT retry queue (sampled). */
  retryQueueDepth(depth: number): void;
  /** One HTTP attempt; `status` is null when there was no response (network error, timeout). */
  httpSinkOutcome(flowCode: string, outcome: HttpOutcome, status: number | null, latencyMs: number): void;
}

export const noopRouterMetrics: RouterMetrics = Object.freeze({
  messageOutcome() {},
  batchCommitted() {},
  deadLetter() {},
  retryQueueDepth() {},
  httpSinkOutcome() {},
});
