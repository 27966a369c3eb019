import {
  DeadLetterRepository,
  FlowRepository,
  MqttServerRepository,
  RecordQuery,
  type RouterDatabase,
} from '@iotgw/flow-router';
import type { Kysely } from 'kysely';
import type { ApiServices } from '../http/api-services.js';
import { flowCounts } from './flow-counters.js';
import { queuedDeliveries } from './queued-deliveries.js';

export type DatabaseServices = Pick<
  ApiServices,
  'flows' | 'mqttServers' | 'records' | 'deadLetters' | 'flowCounts' | 'deliveries'
>;

/** The API's views of the router's tables: flows, MQTT servers, records, dead letters, per-flow counts. */
export function databaseServices(
  db: Kysely<RouterDatabase>,
  options: { allowedHosts?: readonly string[] | null } = {},
): DatabaseServices {
  return {
    flows: new FlowRepository(db, { allowedHosts: options.allowedHosts ?? null }),
    mqttServers: new MqttServerRepository(db),
    records: new RecordQuery(db),
    deadLetters: new DeadLetterRepository(db),
    flowCounts: (ids) => flowCounts(db, ids),
    deliveries: (query) => queuedDeliveries(db, query),
  };
}
