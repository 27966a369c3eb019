import type {
  DeadLetterRepository,
  ExplainedFlow,
  FlowRepository,
  MqttServerRepository,
  RecordQuery,
  RedriveReport,
  ReloadReport,
} from '@iotgw/flow-router';
import type { SecretRefPolicy } from '../config/secret-ref-policy.js';
import type { GatewayDirectory } from '../gateways/gateway-directory.js';
import type { MeterProvisioner } from '../gateways/meter-provisioner.js';
import type { LiveFeed } from '../live/live-feed.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import type { FlowCounts } from '../server/flow-counters.js';
import type { QueuedDelivery } from '../server/queued-deliveries.js';
import type { ReadinessProbe } from '../server/readiness.js';

/** The router operations the API triggers (a FlowRouter satisfies it). */
export interface RouterControl {
  reload(): Promise<ReloadReport>;
  redrive(deadLetterIds: readonly number[]): Promise<RedriveReport>;
  explain(topic: string, payload: Buffer | string): ExplainedFlow[];
}

/** Everything the HTTP API works with; the server builds it, tests build it around a test router. */
export interface ApiServices {
  readonly flows: FlowRepository;
  readonly mqttServers: MqttServerRepository;
  readonly records: RecordQuery;
  readonly deadLetters: DeadLetterRepository;
  /** Records stored and dead letters per flow id (all flows, or the ids given). */
  readonly flowCounts: (flowIds?: readonly number[]) => Promise<Map<number, FlowCounts>>;
  /** The POST_ENDPOINT retry queue, the next due first. */
  readonly deliveries: (query: { flow?: string | undefined; limit: number }) => Promise<QueuedDelivery[]>;
  readonly router: RouterControl;
  readonly gateways: GatewayDirectory;
  readonly provisioner: MeterProvisioner;
  readonly readiness: ReadinessProbe;
  readonly metrics: ServerMetrics;
  /** Stored readings pushed to GET /api/live (fed by the router's onStored); none: the stream stays quiet. */
  readonly live?: LiveFeed;
}

export interface WriteLimit {
  /** Write requests per client (token, else address) per window. */
  readonly max: number;
  readonly timeWindowMs: number;
}

/** Options of every route plugin. */
export interface RouteOptions {
  readonly services: ApiServices;
  readonly writeLimit: WriteLimit;
  /** What a stored `passwordRef` may name. */
  readonly secretRefs: SecretRefPolicy;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
