import type { RouterDatabase } from '@iotgw/flow-router';
import type { Kysely } from 'kysely';

/** A POST_ENDPOINT delivery waiting in the retry queue (http_outbox). The payload is not shown. */
export interface QueuedDelivery {
  readonly id: number;
  readonly flow: string;
  readonly msgId: number;
  readonly topic: string;
  /** The endpoint without user, password or query string (they may hold credentials). */
  readonly endpoint: string;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly createdAt: number;
}

function endpointOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(not a URL)';
  }
}

/** Queued deliveries, the next due first, optionally of one flow (by code). */
export async function queuedDeliveries(
  db: Kysely<RouterDatabase>,
  query: { flow?: string | undefined; limit: number },
): Promise<QueuedDelivery[]> {
  let q = db
    .selectFrom('http_outbox')
    .select([
      'id',
      'flow_code',
      'msg_id',
      'topic',
      'url',
      'attempts',
      'next_attempt_at',
      'last_status',
      'last_error',
      'created_at',
    ])
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(query.limit);
  if (query.flow !== undefined) q = q.where('flow_code', '=', query.flow);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: Number(r.id),
    flow: r.flow_code,
    msgId: Number(r.msg_id),
    topic: r.topic,
    endpoint: endpointOf(r.url),
    attempts: Number(r.attempts),
    nextAttemptAt: Number(r.next_attempt_at),
    lastStatus: r.last_status === null ? null : Number(r.last_status),
    lastError: r.last_error,
    createdAt: Number(r.created_at),
  }));
}
