import type {
  DeadLetterRepository,
  FlowRepository,
  MqttServerRepository,
  RecordQuery,
  RedriveReport,
  ReloadReport,
} from '@iotgw/flow-router';
import type { GatewayDirectory } from '../gateways/gateway-directory.js';
import type { MeterProvisioner } from '../gateways/meter-provisioner.js';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import type { FlowCounts } from '../server/flow-counters.js';
import type { QueuedDelivery } from '../server/queued-deliveries.js';
import type { ReadinessProbe } from '../server/readiness.js';

/** The router operations the API triggers (a FlowRouter satisfies it). */
export interface RouterControl {
  reload(): Promise<ReloadReport>;
  redrive(deadLetterIds: readonly number[]): Promise<RedriveReport>;
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
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
