import type { Logger } from '@iotgw/logger';
import type { Kysely, Selectable } from 'kysely';
import { errorText } from '../db/db-errors.js';
import type { HttpOutboxTable, RouterDatabase } from '../db/schema.js';
import { redactPayload } from '../pipeline/redact-secrets.js';
import type { HttpOutcome, RouterMetrics } from '../router/router-metrics.js';
import { retryAfterMs, retryDelayMs } from './backoff.js';
import { endpointKey, endpointProblem } from './endpoint-policy.js';

export interface HttpDispatcherOptions {
  readonly db: Kysely<RouterDatabase>;
  readonly log: Logger;
  readonly metrics: RouterMetrics;
  readonly fetch: typeof fetch;
  readonly now: () => number;
  readonly random: () => number;
  /** This router instance: rows it is sending are leased to it. */
  readonly owner: string;
  readonly timeoutMs: number;
  readonly maxPerEndpoint: number;
  readonly allowedHosts: readonly string[] | null;
  /** 0 = retry forever. */
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** Longest pause between looks at the queue (default 1 s). */
  readonly pollMs?: number;
  /** Most requests in flight in total (default 64). */
  readonly maxInFlight?: number;
}

type OutboxRow = Selectable<HttpOutboxTable>;

type Result =
  | { kind: 'delivered'; status: number }
  | { kind: 'retry'; status: number | null; error: string; retryAfterMs: number | null }
  | { kind: 'dead'; status: number | null; code: string; error: string }
  | { kind: 'released' };

/**
 * Delivers POST_ENDPOINT messages from the durable retry queue (`http_outbox`): keep-alive fetch, a
 * timeout per request, at most `maxPerEndpoint` requests per origin, exponential backoff with jitter on
 * network errors, timeouts, 5xx and 429 (honouring Retry-After), dead letter on any other status.
 * Rows are leased before sending, so several router processes can share one queue. Delivery is at
 * least once: a crash between a 2xx and deleting the row sends it again (the request carries an
 * `Idempotency-Key`).
 */
export class HttpDispatcher {
  readonly #o: HttpDispatcherOptions;
  readonly #active = new Map<number, Promise<void>>();
  readonly #perEndpoint = new Map<string, number>();
  readonly #stop = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #pumping = false;
  #pumpDone: Promise<void> = Promise.resolve();
  #again = false;
  #started = false;
  #unreadableSince: number | null = null;

  constructor(options: HttpDispatcherOptions) {
    this.#o = options;
  }

  get inFlight(): number {
    return this.#active.size;
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.notify();
  }

  /** Something was queued: look now instead of at the next poll. */
  notify(): void {
    if (!this.#started || this.#stop.signal.aborted) return;
    void this.#pump();
  }

  /** Rows waiting in the queue (all instances). */
  async depth(): Promise<number> {
    const row = await this.#o.db
      .selectFrom('http_outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Stops claiming; waits up to `graceMs` for requests in flight, then aborts them and releases their rows. */
  async stop(graceMs = 5_000): Promise<void> {
    this.#started = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    // A look at the queue in progress may still start deliveries: let it finish first.
    await this.#pumpDone;
    const deadline = Date.now() + graceMs;
    while (this.#active.size > 0 && Date.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      const wait = new Promise((r) => {
        timer = setTimeout(r, deadline - Date.now());
      });
      await Promise.race([Promise.allSettled([...this.#active.values()]), wait]);
      clearTimeout(timer);
    }
    this.#stop.abort();
    await Promise.allSettled([...this.#active.values()]);
  }

  #pump(): Promise<void> {
    if (this.#pumping) {
      this.#again = true;
      return this.#pumpDone;
    }
    this.#pumping = true;
    this.#pumpDone = this.#pumpLoop();
    return this.#pumpDone;
  }

  async #pumpLoop(): Promise<void> {
    try {
      do {
        this.#again = false;
        await this.#claimAndSend();
      } while (this.#again && this.#started);
      await this.#scheduleNext();
      if (this.#unreadableSince !== null) {
        this.#o.log.info({ downMs: this.#o.now() - this.#unreadableSince }, 'retry queue: readable again');
        this.#unreadableSince = null;
      }
    } catch (err) {
      // Logged once when it starts and once when it ends (a database outage would repeat it every poll).
      if (this.#unreadableSince === null) {
        this.#unreadableSince = this.#o.now();
        this.#o.log.warn({ err: errorText(err) }, 'retry queue: cannot read; trying again');
      }
      this.#arm(this.#o.pollMs ?? 1_000);
    } finally {
      this.#pumping = false;
    }
  }

  #arm(ms: number): void {
    if (!this.#started) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#pump();
    }, ms);
    this.#timer.unref();
  }

  async #scheduleNext(): Promise<void> {
    const poll = this.#o.pollMs ?? 1_000;
    const row = await this.#o.db
      .selectFrom('http_outbox')
      .select((eb) => eb.fn.min<number>('next_attempt_at').as('due'))
      .where('lease_until', '<=', this.#o.now())
      .executeTakeFirst();
    const due = row?.due === null || row?.due === undefined ? null : Number(row.due);
    const wait = due === null ? poll : Math.min(poll, Math.max(10, due - this.#o.now()));
    this.#arm(wait);
  }

  async #claimAndSend(): Promise<void> {
    const free = (this.#o.maxInFlight ?? 64) - this.#active.size;
    if (free <= 0 || !this.#started) return;
    const db = this.#o.db;
    const now = this.#o.now();
    const candidates = await db
      .selectFrom('http_outbox')
      .select(['id', 'url'])
      .where('next_attempt_at', '<=', now)
      .where('lease_until', '<=', now)
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(free * 4)
      .execute();
    const picked: number[] = [];
    const planned = new Map<string, number>();
    for (const c of candidates) {
      if (picked.length >= free) break;
      const key = endpointKey(c.url);
      const used = (this.#perEndpoint.get(key) ?? 0) + (planned.get(key) ?? 0);
      if (used >= this.#o.maxPerEndpoint) continue;
      planned.set(key, (planned.get(key) ?? 0) + 1);
      picked.push(Number(c.id));
    }
    if (picked.length === 0) return;
    const leaseUntil = now + this.#o.timeoutMs * 2 + 10_000;
    await db
      .updateTable('http_outbox')
      .set({ lease_owner: this.#o.owner, lease_until: leaseUntil })
      .where('id', 'in', picked)
      .where('lease_until', '<=', now)
      .execute();
    const claimed = await db
      .selectFrom('http_outbox')
      .selectAll()
      .where('id', 'in', picked)
      .where('lease_owner', '=', this.#o.owner)
      .where('lease_until', '=', leaseUntil)
      .execute();
    for (const row of claimed) {
      const id = Number(row.id);
      const key = endpointKey(row.url);
      this.#perEndpoint.set(key, (this.#perEndpoint.get(key) ?? 0) + 1);
      const task = this.#deliver(row).finally(() => {
        this.#active.delete(id);
        const n = (this.#perEndpoint.get(key) ?? 1) - 1;
        if (n <= 0) this.#perEndpoint.delete(key);
        else this.#perEndpoint.set(key, n);
        this.notify();
      });
      this.#active.set(id, task);
    }
    if (candidates.length > picked.length || candidates.length === free * 4) this.#again = true;
  }

  async #send(row: OutboxRow): Promise<Result> {
    const refused = endpointProblem(row.url, this.#o.allowedHosts);
    if (refused)
      return { kind: 'dead', status: null, code: 'HTTP_ERR_URL_REFUSED', error: `endpoint URL ${refused}` };
    const signal = AbortSignal.any([AbortSignal.timeout(this.#o.timeoutMs), this.#stop.signal]);
    try {
      const res = await this.#o.fetch(row.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'iotgw-flow-router',
          'idempotency-key': `${row.flow_code}:${row.msg_key}`,
          'x-iotgw-flow': row.flow_code,
          'x-iotgw-msg-id': String(row.msg_id),
          'x-iotgw-topic': encodeURI(row.topic),
        },
        body: row.payload,
        redirect: 'manual',
        signal,
      });
      const text = await res.text().catch(() => '');
      if (res.status >= 200 && res.status < 300) return { kind: 'delivered', status: res.status };
      const error = `HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`;
      if (res.status === 429 || res.status >= 500) {
        return {
          kind: 'retry',
          status: res.status,
          error,
          retryAfterMs: retryAfterMs(res.headers.get('retry-after'), this.#o.now()),
        };
      }
      return { kind: 'dead', status: res.status, code: 'HTTP_ERR_STATUS', error };
    } catch (err) {
      if (this.#stop.signal.aborted) return { kind: 'released' };
      const timedOut = (err as Error).name === 'TimeoutError';
      const error = timedOut
        ? `timeout after ${this.#o.timeoutMs / 1000} s`
        : `network error: ${errorText((err as Error).cause ?? err)}`;
      return { kind: 'retry', status: null, error, retryAfterMs: null };
    }
  }

  async #deliver(row: OutboxRow): Promise<void> {
    const started = performance.now();
    let result = await this.#send(row);
    const attempts = Number(row.attempts) + 1;
    if (result.kind === 'retry' && this.#o.maxAttempts > 0 && attempts >= this.#o.maxAttempts) {
      result = {
        kind: 'dead',
        status: result.status,
        code: 'HTTP_ERR_ATTEMPTS',
        error: `gave up after ${attempts} attempts; last: ${result.error}`,
      };
    }
    if (result.kind !== 'released') {
      const outcome: HttpOutcome =
        result.kind === 'delivered' ? 'delivered' : result.kind === 'retry' ? 'retry' : 'dead_letter';
      this.#o.metrics.httpSinkOutcome(row.flow_code, outcome, result.status, performance.now() - started);
    }
    for (let i = 0; i < 5; i++) {
      try {
        await this.#record(row, result, attempts);
        return;
      } catch (err) {
        this.#o.log.warn(
          { err: errorText(err), id: row.id },
          'retry queue: cannot record delivery result; retrying',
        );
        await new Promise((r) => setTimeout(r, 200 * 2 ** i));
      }
    }
  }

  async #record(row: OutboxRow, result: Result, attempts: number): Promise<void> {
    const db = this.#o.db;
    const now = this.#o.now();
    if (result.kind === 'released') {
      await db
        .updateTable('http_outbox')
        .set({ lease_owner: null, lease_until: 0 })
        .where('id', '=', row.id)
        .where('lease_owner', '=', this.#o.owner)
        .execute();
    } else if (result.kind === 'delivered') {
      await db.deleteFrom('http_outbox').where('id', '=', row.id).execute();
    } else if (result.kind === 'retry') {
      const delay = Math.max(
        retryDelayMs(attempts, this.#o.retryBaseMs, this.#o.retryMaxMs, this.#o.random),
        Math.min(result.retryAfterMs ?? 0, this.#o.retryMaxMs),
      );
      await db
        .updateTable('http_outbox')
        .set({
          attempts,
          next_attempt_at: now + delay,
          lease_owner: null,
          lease_until: 0,
          last_error: result.error,
          last_status: result.status,
        })
        .where('id', '=', row.id)
        .execute();
      this.#o.log.debug(
        { flow: row.flow_code, id: row.id, attempts, delay, error: result.error },
        'POST failed; will retry',
      );
    } else {
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('dead_letters')
          .values({
            flow_id: row.flow_id,
            flow_code: row.flow_code,
            topic: row.topic,
            payload: redactPayload(Buffer.from(row.payload, 'utf8')),
            reason_code: result.code,
            reason: result.error,
            json_path: null,
            msg_key: row.msg_key,
            user_properties: null,
            received_at: Number(row.received_at),
            created_at: now,
          })
          .execute();
        await trx.deleteFrom('http_outbox').where('id', '=', row.id).execute();
      });
      this.#o.metrics.deadLetter(row.flow_code, result.code);
      this.#o.log.warn(
        { flow: row.flow_code, id: row.id, code: result.code, error: result.error },
        'POST dead-lettered',
      );
    }
  }
}
