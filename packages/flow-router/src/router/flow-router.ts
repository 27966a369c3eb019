import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { MESSAGE_ID_PROPERTY } from '@iotgw/contracts';
import type { Logger } from '@iotgw/logger';
import { type Kysely, sql } from 'kysely';
import { errorText } from '../db/db-errors.js';
import { multiStatementBatches, mysqlBatchBytes, SQLITE_BATCH_BYTES } from '../db/mysql-session.js';
import type { RouterDatabase } from '../db/schema.js';
import type { FlowCheckOptions } from '../flows/flow-definition.js';
import { HttpDispatcher } from '../http/http-dispatcher.js';
import { type BatchWriterContext, writeBatch } from '../pipeline/batch-writer.js';
import { type CommitStall, GroupCommitter } from '../pipeline/group-commit.js';
import { fitMessage } from '../pipeline/item-bytes.js';
import { messageKey } from '../pipeline/message-key.js';
import type { RecordValue } from '../pipeline/record-values.js';
import type { ItemOutcome, WorkItem } from '../pipeline/work-item.js';
import { RouterError } from '../router-error.js';
import type { DatabaseKind, RouterSettings } from '../settings/load-router-settings.js';
import { SchemaCompiler } from '../validation/schema-compiler.js';
import { FlowReloader, type ReloadReport } from './flow-reloader.js';
import { pruneMessageKeys } from './prune-message-keys.js';
import { type RedriveReport, redriveDeadLetters } from './redrive.js';
import { type RouteOptions, routeMessage } from './route-message.js';
import { RouterAccounting, type RouterCounters } from './router-accounting.js';
import { noopRouterMetrics, type RouterMetrics } from './router-metrics.js';
import {
  type InboundMessage,
  type MessageAck,
  REASON_PAYLOAD_FORMAT_INVALID,
  type RouterTransport,
  WANT_REASON_CODE_PROPERTY,
} from './router-transport.js';
import { secretContractOf } from './secret-topics.js';

export interface FlowRouterOptions {
  readonly db: Kysely<RouterDatabase>;
  readonly dialect: DatabaseKind;
  readonly transport: RouterTransport;
  readonly logger: Logger;
  readonly settings: RouterSettings;
  readonly metrics?: RouterMetrics;
  /** For POST_ENDPOINT (default: the global fetch, keep-alive through undici). */
  readonly fetch?: typeof fetch;
  /** Clock for row timestamps, retry scheduling and key pruning (default Date.now). */
  readonly now?: () => number;
  /** Jitter source for HTTP backoff (default Math.random). */
  readonly random?: () => number;
  /** Names this process in retry-queue leases (default host-pid-random). */
  readonly instanceId?: string;
  /** How long stop() waits for the database before leaving messages unacknowledged (default 10 s). */
  readonly stopGraceMs?: number;
  /**
   * Called after each commit with the messages it stored (STORE_DB), e.g. to push them to live viewers.
   * Must be cheap and must not throw (a throw is logged and ignored).
   */
  readonly onStored?: (messages: readonly StoredMessage[]) => void;
  /**
   * Called for each message carrying an `iotgw-msg-id` once the router has committed what it led to
   * (stored, queued, dead-lettered, duplicate, matched no flow), just before it is acknowledged: the
   * server turns these into receipts to the edge. Messages of one commit arrive in the same event-loop
   * turn. Must be cheap and must not throw (a throw is logged and ignored).
   */
  readonly onAcknowledged?: (message: AcknowledgedMessage) => void;
}

/** A message the router has made durable, by its edge message id. */
export interface AcknowledgedMessage {
  readonly topic: string;
  readonly msgId: string;
}

/** One message a flow stored: its record values as written, after the transaction committed. */
export interface StoredMessage {
  readonly flowId: number;
  readonly flowCode: string;
  readonly msgId: number;
  readonly topic: string;
  readonly receivedAt: number;
  readonly values: readonly RecordValue[];
}

export interface RouterStats {
  readonly state: 'new' | 'starting' | 'running' | 'stopping' | 'stopped';
  readonly flows: number;
  readonly subscriptions: readonly string[];
  /** Messages waiting for the next batch / in the transaction being committed. */
  readonly pendingMessages: number;
  readonly inFlightMessages: number;
  /** POST_ENDPOINT rows in the durable retry queue (last sample; null before the first). */
  readonly retryQueueDepth: number | null;
  readonly httpInFlight: number;
  /** SQL bytes one batch may send (from max_allowed_packet on MySQL, known after start). */
  readonly batchMaxBytes: number;
  /** The oldest batch that keeps failing to commit (its flows, since when, the last error), or null. */
  readonly commitStall: CommitStall | null;
  readonly counters: Readonly<RouterCounters>;
}

/** One flow's verdict on a message in `FlowRouter.explain`. */
export type ExplainedFlow =
  | { readonly flowId: number; readonly code: string; readonly outcome: 'store'; readonly fields: number }
  | { readonly flowId: number; readonly code: string; readonly outcome: 'post'; readonly url: string }
  | {
      readonly flowId: number;
      readonly code: string;
      readonly outcome: 'dead_letter';
      readonly reasonCode: string;
      readonly reason: string;
      readonly jsonPath: string | null;
    };

const SAMPLE_MS = 5_000;
/**
 * Routes MQTT messages into flows: match (topic trie) → validate → group commit (records, keys,
 * retry-queue rows and dead letters in one transaction per batch) → acknowledge. See
 * docs/flow-router.md for the guarantees.
 */
export class FlowRouter {
  readonly #o: FlowRouterOptions;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #check: FlowCheckOptions;
  #writer: BatchWriterContext;
  readonly #committer: GroupCommitter;
  readonly #dispatcher: HttpDispatcher;
  readonly #reloader: FlowReloader;
  readonly #accounting: RouterAccounting;
  readonly #metrics: RouterMetrics;
  #state: RouterStats['state'] = 'new';
  readonly #ready: Promise<void>;
  #markReady: (ok: boolean) => void = () => {};
  #timers: NodeJS.Timeout[] = [];
  #retryDepth: number | null = null;
  #batchMaxBytes: number;
  readonly #route: RouteOptions;

  constructor(options: FlowRouterOptions) {
    this.#o = options;
    this.#log = options.logger.child({ module: 'flow-router' });
    this.#metrics = options.metrics ?? noopRouterMetrics;
    this.#accounting = new RouterAccounting(this.#metrics, this.#log);
    this.#now = options.now ?? Date.now;
    const s = options.settings;
    const compiler = new SchemaCompiler();
    this.#route = { idField: s.messageIdField, maxFields: s.maxFields };
    this.#batchMaxBytes = s.batchMaxBytes ?? SQLITE_BATCH_BYTES;
    this.#check = { compiler, allowedHosts: s.httpAllowedHosts };
    this.#writer = {
      db: options.db,
      dialect: options.dialect,
      dedupWindowMs: s.dedupWindowSeconds * 1000,
      now: this.#now,
    };
    this.#reloader = new FlowReloader({
      db: options.db,
      transport: options.transport,
      compiler,
      check: this.#check,
      clientId: s.mqttClientId,
      log: this.#log,
      now: this.#now,
      onSwap: () => this.#markReady(true),
    });
    this.#committer = new GroupCommitter({
      write: (items) => writeBatch(this.#writer, items),
      ping: () =>
        sql`select 1`
          .execute(options.db)
          .then(() => true)
          .catch(() => false),
      maxMessages: s.batchMaxMessages,
      maxBytes: this.#batchMaxBytes,
      lingerMs: s.batchLingerMs,
      concurrency: options.dialect === 'mysql' ? s.batchConcurrency : 1,
      log: this.#log,
      onCommitted: (size, ms) => {
        this.#accounting.counters.batches++;
        this.#metrics.batchCommitted(size, ms);
      },
      onConflict: () => {
        this.#accounting.counters.conflictRetries++;
        this.#metrics.conflictRetry?.();
      },
    });
    this.#dispatcher = new HttpDispatcher({
      db: options.db,
      log: options.logger.child({ module: 'http-sink' }), // not under flow-router's: one `module` key per line
      metrics: this.#metrics,
      fetch: options.fetch ?? globalThis.fetch,
      now: this.#now,
      random: options.random ?? Math.random,
      owner: options.instanceId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
      timeoutMs: s.httpTimeoutSeconds * 1000,
      maxPerEndpoint: s.httpMaxConcurrencyPerEndpoint,
      allowedHosts: s.httpAllowedHosts,
      maxAttempts: s.httpMaxAttempts,
      retryBaseMs: s.httpRetryBaseMs,
      retryMaxMs: s.httpRetryMaxMs,
    });
    this.#ready = new Promise<void>((resolve, reject) => {
      this.#markReady = (ok) =>
        ok ? resolve() : reject(new RouterError('ROUTER_ERR_STATE', 'the router stopped'));
    });
    this.#ready.catch(() => {});
  }

  /**
   * Registers the message handler, loads the flows, subscribes, unsubscribes filters left over from the
   * last run, starts the reload timer and the HTTP sink. Messages that arrive first (a persistent
   * session) wait until the flows are loaded — not until the subscriptions are acknowledged: MQTT.js
   * reads a connection's packets one at a time, so a held message would hold back the SUBACK too.
   * Throws when the flows cannot be read (routing without them would acknowledge messages unstored).
   */
  async start(): Promise<ReloadReport> {
    if (this.#state !== 'new') {
      throw new RouterError('ROUTER_ERR_STATE', `cannot start a router that is ${this.#state}`);
    }
    this.#state = 'starting';
    if (this.#o.dialect === 'mysql') {
      this.#writer = { ...this.#writer, multiStatements: await multiStatementBatches(this.#o.db) };
      this.#batchMaxBytes = await mysqlBatchBytes(this.#o.db, this.#o.settings.batchMaxBytes);
      this.#committer.setMaxBytes(this.#batchMaxBytes);
    }
    await this.#reloader.restore();
    this.#o.transport.onMessage(
      this.#o.onAcknowledged ? (msg) => this.#handleAndReport(msg) : (msg) => this.#handle(msg),
    );
    const report = await this.reload();
    const loadError = report.errors.find((e) => e.step === 'load');
    if (loadError) {
      await this.stop();
      throw new RouterError('ROUTER_ERR_STATE', `cannot load the flows: ${loadError.message}`);
    }
    if (this.#state !== 'starting') return report;
    this.#state = 'running';
    this.#dispatcher.start();
    const s = this.#o.settings;
    if (s.flowsReloadIntervalSeconds > 0) {
      this.#every(s.flowsReloadIntervalSeconds * 1000, () => this.reload().then(() => undefined));
    }
    this.#every(Math.max(10_000, Math.min(300_000, s.dedupWindowSeconds * 500)), () => this.#prune());
    this.#every(SAMPLE_MS, () => this.#sampleDepth());
    void this.#sampleDepth();
    return report;
  }

  /** Stops taking messages, commits what is waiting, lets POSTs in flight finish (then releases them). */
  async stop(): Promise<void> {
    if (this.#state === 'stopped' || this.#state === 'stopping') return;
    const wasStarted = this.#state !== 'new';
    this.#state = 'stopping';
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
    this.#markReady(false);
    if (wasStarted) {
      // Commit (or give up on) held messages first: a reload may be waiting for a SUBACK that the
      // connection reads only after the message it holds is acknowledged.
      await this.#committer.close(this.#o.stopGraceMs ?? 10_000);
      await this.#dispatcher.stop();
      await this.#reloader.settle();
    }
    this.#state = 'stopped';
  }

  /** Reloads the enabled flows now (also runs every FLOWS_RELOAD_INTERVAL_SECONDS). Serialized. */
  async reload(): Promise<ReloadReport> {
    const report = await this.#reloader.reload();
    this.#accounting.counters.reloads++;
    return report;
  }

  /** Sends dead letters through their (fixed) flow again; each is stored or queued, or reported. */
  async redrive(deadLetterIds: readonly number[]): Promise<RedriveReport> {
    const report = await redriveDeadLetters(
      {
        db: this.#o.db,
        flows: this.#reloader.flows,
        check: this.#check,
        route: this.#route,
        write: (items) => writeBatch(this.#writer, items),
      },
      deadLetterIds,
    );
    if (report.results.some((r) => r.status === 'queued')) this.#dispatcher.notify();
    return report;
  }

  /**
   * What the router would do with a message, without storing anything: the flows its topic matches and,
   * per flow, whether it would be stored, queued for POST or dead-lettered (with reason and JSON path).
   * For an API "test this message" call; also what the routing benchmark measures.
   */
  explain(
    topic: string,
    payload: Buffer | string,
    userProperties: Record<string, string | string[]> = {},
  ): ExplainedFlow[] {
    if (secretContractOf(topic) !== null) return [];
    const flows = this.#reloader.flows.match(topic);
    const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload;
    const msg = {
      topic,
      payload: bytes,
      qos: 1 as const,
      retain: false,
      userProperties,
      receivedAt: this.#now(),
    };
    return routeMessage(msg, flows, this.#route).map((item) => {
      const a = item.action;
      if (a.kind === 'dead') {
        return {
          flowId: item.flowId,
          code: item.flowCode,
          outcome: 'dead_letter',
          reasonCode: a.reason.code,
          reason: a.reason.reason,
          jsonPath: a.reason.jsonPath,
        };
      }
      return a.kind === 'store'
        ? { flowId: item.flowId, code: item.flowCode, outcome: 'store', fields: a.values.length }
        : { flowId: item.flowId, code: item.flowCode, outcome: 'post', url: a.url };
    });
  }

  stats(): RouterStats {
    return {
      state: this.#state,
      flows: this.#reloader.flows.size,
      subscriptions: this.#reloader.subscriptions,
      pendingMessages: this.#committer.pending,
      inFlightMessages: this.#committer.inFlight,
      retryQueueDepth: this.#retryDepth,
      httpInFlight: this.#dispatcher.inFlight,
      batchMaxBytes: this.#batchMaxBytes,
      commitStall: this.#committer.stall,
      counters: { ...this.#accounting.counters },
    };
  }

  #every(ms: number, task: () => Promise<void>): void {
    const timer = setInterval(() => {
      task().catch((err) => this.#log.warn({ err: errorText(err) }, 'periodic task failed'));
    }, ms);
    timer.unref();
    this.#timers.push(timer);
  }

  async #sampleDepth(): Promise<void> {
    const depth = await this.#dispatcher.depth().catch(() => null);
    if (depth === null) return;
    this.#retryDepth = depth;
    this.#metrics.retryQueueDepth(depth);
  }

  async #prune(): Promise<void> {
    const s = this.#o.settings;
    const removed = await pruneMessageKeys(this.#o.db, this.#o.dialect, {
      now: this.#now(),
      hashWindowMs: s.dedupWindowSeconds * 1000,
      idRetentionMs: s.dedupIdRetentionHours * 3_600_000,
    });
    if (removed > 0) this.#log.debug({ removed }, 'pruned expired message keys');
  }

  async #handleAndReport(msg: InboundMessage): Promise<MessageAck> {
    const ack = await this.#handle(msg);
    const prop = msg.userProperties[MESSAGE_ID_PROPERTY];
    const msgId = Array.isArray(prop) ? prop[0] : prop;
    if (typeof msgId === 'string' && msgId !== '') {
      try {
        this.#o.onAcknowledged?.({ topic: msg.topic, msgId });
      } catch (err) {
        this.#log.warn({ err: errorText(err) }, 'onAcknowledged hook failed');
      }
    }
    return ack;
  }

  async #handle(msg: InboundMessage): Promise<MessageAck> {
    if (this.#state !== 'running') {
      await this.#ready;
      if (this.#state === 'stopping' || this.#state === 'stopped') {
        throw new RouterError('ROUTER_ERR_STATE', 'the router stopped');
      }
    }
    this.#accounting.counters.received++;
    // Secrets (provisioning lists with AES keys, commands) never reach a flow or a dead letter.
    if (secretContractOf(msg.topic) !== null) {
      this.#accounting.ignored('secret_topic');
      return;
    }
    // A shared subscription gets retained messages once per connection (Mosquitto 2.0 sends them on
    // `$share` subscriptions): routing them would multiply them. Live messages arrive unretained.
    if (msg.retain && this.#o.transport.sharedSubscriptions === true) {
      this.#accounting.ignored('retained_on_shared');
      return;
    }
    const flows = this.#reloader.flows.match(msg.topic);
    if (flows.length === 0) {
      this.#accounting.unmatched();
      return;
    }
    let items: WorkItem[];
    try {
      items = routeMessage(msg, flows, this.#route);
    } catch (err) {
      // A bug must not become a redelivery loop: the message is kept as a dead letter instead.
      this.#log.error({ err, topic: msg.topic }, 'routing failed; dead-lettering the message');
      const key = messageKey(msg.topic, msg.payload, {}, undefined, '');
      const reason = { code: 'ROUTER_ERR_INTERNAL', reason: errorText(err), jsonPath: null };
      items = flows.map((f) => ({
        flowId: f.id,
        flowCode: f.code,
        key,
        topic: msg.topic,
        receivedAt: msg.receivedAt,
        payload: msg.payload,
        userProperties: {},
        action: { kind: 'dead', reason },
      }));
    }
    // A message that cannot fit one batch (the database's packet limit) becomes a dead letter.
    const fitted = fitMessage(items, this.#batchMaxBytes);
    items = fitted.items;
    const outcomes = await this.#committer.submit(items, fitted.bytes);
    if (this.#accounting.outcomes(items, outcomes)) this.#dispatcher.notify();
    if (this.#o.onStored) this.#notifyStored(items, outcomes);
    if (
      outcomes.length > 0 &&
      outcomes.every((o) => o.outcome === 'dead_letter') &&
      this.#wantsReasonCode(msg)
    ) {
      return { reasonCode: REASON_PAYLOAD_FORMAT_INVALID };
    }
  }

  #notifyStored(items: readonly WorkItem[], outcomes: readonly ItemOutcome[]): void {
    const stored: StoredMessage[] = [];
    outcomes.forEach((o, i) => {
      const item = items[i] as WorkItem;
      if (o.outcome !== 'stored' || item.action.kind !== 'store') return;
      const { flowId, flowCode, topic, receivedAt } = item;
      stored.push({ flowId, flowCode, msgId: o.msgId, topic, receivedAt, values: item.action.values });
    });
    if (stored.length === 0) return;
    try {
      this.#o.onStored?.(stored);
    } catch (err) {
      this.#log.warn({ err: errorText(err) }, 'onStored hook failed');
    }
  }

  #wantsReasonCode(msg: InboundMessage): boolean {
    const mode = this.#o.settings.invalidReasonCode;
    if (mode !== 'on-request') return mode === 'always';
    if (msg.payloadFormatIndicator === true) return true;
    const asked = msg.userProperties[WANT_REASON_CODE_PROPERTY];
    const value = Array.isArray(asked) ? asked[0] : asked;
    return value !== undefined && value !== '0' && value.toLowerCase() !== 'false';
  }
}
