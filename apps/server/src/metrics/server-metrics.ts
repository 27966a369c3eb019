import type {
  CommitStall,
  HttpOutcome,
  MessageOutcome,
  RouterMetrics,
  UnroutedOutcome,
} from '@iotgw/flow-router';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** What the scrape reads from the running parts at collection time. */
export interface MetricSources {
  /** Each MQTT connection of each connector: connected or not. */
  mqttConnections?: () => readonly { connector: string; connection: number; connected: boolean }[];
  /** Gateways seen on their status topics, by availability. */
  gateways?: () => Readonly<Record<'online' | 'offline' | 'unknown', number>>;
  /** `host:port` of the database server in use (with a failover list: which node). */
  databaseServer?: () => string | undefined;
  /** Gateways evicted from the directory to stay within GATEWAYS_MAX. */
  gatewaysEvicted?: () => number;
  /** The router's oldest batch that keeps failing to commit, or null. */
  commitStall?: () => CommitStall | null;
}

export type ProvisioningOutcome = 'applied' | 'refused' | 'pending';

/**
 * The server's Prometheus metrics, in their own Registry (nothing global): the router's hooks mapped
 * onto counters and histograms, plus connection and gateway gauges read at scrape time.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  /** The hooks handed to the FlowRouter. */
  readonly router: RouterMetrics;
  readonly #gatewayStatusInvalid: Counter<'kind'>;
  readonly #provisioning: Counter<'outcome'>;
  #sources: MetricSources = {};

  constructor(options: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (options.defaultMetrics !== false)
      // No prefix: process_cpu_seconds_total, nodejs_* are the names stock dashboards expect.
      collectDefaultMetrics({ register: this.registry });
    const messages = new Counter({
      name: 'iotgw_router_messages_total',
      help: 'Messages by flow and outcome (stored, queued, duplicate, dead_letter; unmatched has flow="")',
      labelNames: ['flow', 'outcome'] as const,
      registers,
    });
    const batchSize = new Histogram({
      name: 'iotgw_router_batch_size',
      help: 'Messages per committed transaction',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000],
      registers,
    });
    const commitSeconds = new Histogram({
      name: 'iotgw_router_commit_duration_seconds',
      help: 'Time to commit one batch, retries included',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    const deadLetters = new Counter({
      name: 'iotgw_router_dead_letters_total',
      help: 'Messages (and POSTs) written to the dead-letter table, by flow and reason code',
      labelNames: ['flow', 'reason'] as const,
      registers,
    });
    const conflictRetries = new Counter({
      name: 'iotgw_router_conflict_retries_total',
      help: 'Batches planned again after losing a race with a concurrent commit (another Galera node)',
      registers,
    });
    const retryDepth = new Gauge({
      name: 'iotgw_router_retry_queue_depth',
      help: 'POST_ENDPOINT deliveries waiting in the durable retry queue (sampled)',
      registers,
    });
    const httpSink = new Counter({
      name: 'iotgw_http_sink_requests_total',
      help: 'POST_ENDPOINT attempts by flow, outcome and HTTP status ("none": no response)',
      labelNames: ['flow', 'outcome', 'status'] as const,
      registers,
    });
    const httpSinkSeconds = new Histogram({
      name: 'iotgw_http_sink_duration_seconds',
      help: 'Duration of POST_ENDPOINT attempts',
      labelNames: ['flow', 'outcome'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.#gatewayStatusInvalid = new Counter({
      name: 'iotgw_gateway_status_invalid_total',
      help: 'Gateway status messages refused by their contract, by kind',
      labelNames: ['kind'] as const,
      registers,
    });
    this.#provisioning = new Counter({
      name: 'iotgw_meter_provisioning_total',
      help: 'Meter provisioning requests by outcome (applied/refused by the edge, pending = no answer in time)',
      labelNames: ['outcome'] as const,
      registers,
    });
    const sources = () => this.#sources;
    new Gauge({
      name: 'iotgw_mqtt_connected',
      help: 'Whether each MQTT connection is connected (1) or not (0)',
      labelNames: ['connector', 'connection'] as const,
      registers,
      collect() {
        this.reset();
        for (const c of sources().mqttConnections?.() ?? []) {
          this.set({ connector: c.connector, connection: String(c.connection) }, c.connected ? 1 : 0);
        }
      },
    });
    new Gauge({
      name: 'iotgw_gateways',
      help: 'Gateways seen on their status topics, by availability',
      labelNames: ['availability'] as const,
      registers,
      collect() {
        this.reset();
        const counts = sources().gateways?.();
        if (!counts) return;
        for (const [availability, n] of Object.entries(counts)) this.set({ availability }, n);
      },
    });
    new Gauge({
      name: 'iotgw_database_server_info',
      help: 'The database server the router writes through (1 for the host:port in use; a failover list names several)',
      labelNames: ['server'] as const,
      registers,
      collect() {
        this.reset();
        const server = sources().databaseServer?.();
        if (server) this.set({ server }, 1);
      },
    });
    new Counter({
      name: 'iotgw_gateways_evicted_total',
      help: 'Gateways dropped from the directory (the longest-silent) to stay within GATEWAYS_MAX',
      registers,
      collect() {
        this.reset();
        this.inc(sources().gatewaysEvicted?.() ?? 0);
      },
    });
    new Gauge({
      name: 'iotgw_router_commit_stalled_seconds',
      help: 'How long the oldest batch that keeps failing to commit has waited (0: every batch commits)',
      registers,
      collect() {
        const stall = sources().commitStall?.() ?? null;
        this.set(stall === null ? 0 : Math.max(0, (Date.now() - stall.since) / 1000));
      },
    });
    new Gauge({
      name: 'iotgw_router_flow_commit_stalled',
      help: 'Flows in a batch that keeps failing to commit (1), by flow',
      labelNames: ['flow'] as const,
      registers,
      collect() {
        this.reset();
        for (const flow of sources().commitStall?.()?.flows ?? []) this.set({ flow }, 1);
      },
    });
    this.router = {
      messageOutcome(flowCode: string, outcome: MessageOutcome | UnroutedOutcome) {
        messages.inc({ flow: flowCode, outcome });
      },
      batchCommitted(size: number, latencyMs: number) {
        batchSize.observe(size);
        commitSeconds.observe(latencyMs / 1000);
      },
      conflictRetry() {
        conflictRetries.inc();
      },
      deadLetter(flowCode: string | null, reasonCode: string) {
        deadLetters.inc({ flow: flowCode ?? '', reason: reasonCode });
      },
      retryQueueDepth(depth: number) {
        retryDepth.set(depth);
      },
      httpSinkOutcome(flowCode: string, outcome: HttpOutcome, status: number | null, latencyMs: number) {
        httpSink.inc({ flow: flowCode, outcome, status: status === null ? 'none' : String(status) });
        httpSinkSeconds.observe({ flow: flowCode, outcome }, latencyMs / 1000);
      },
    };
  }

  /** Connects the gauges to the running parts (called once they exist). */
  attach(sources: MetricSources): void {
    this.#sources = { ...this.#sources, ...sources };
  }

  gatewayStatusInvalid(kind: string): void {
    this.#gatewayStatusInvalid.inc({ kind });
  }

  provisioning(outcome: ProvisioningOutcome): void {
    this.#provisioning.inc({ outcome });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
