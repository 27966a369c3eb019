import { type GatewayHealth, isoTimestamp } from '@iotgw/contracts';
import type { ConnectorMetrics } from '@iotgw/mqtt-connector';
import type { HealthVerdict } from './health-monitor.js';

export interface HealthPayloadInput {
  version: string;
  uptimeS: number;
  ble: { seen: number; decoded: number; duplicates: number; refused: number; filtered: number } | undefined;
  wmbus: object | undefined;
  intake: object;
  connector: ConnectorMetrics;
  verdict: HealthVerdict;
}

/** The retained health message (`v2/{gw}/status/health`): counters, outbox state and the verdict. */
export function healthPayload(input: HealthPayloadInput): GatewayHealth {
  const counters: Record<string, number> = {};
  const { ble, connector: m } = input;
  if (ble) {
    counters['ble_adverts_seen'] = ble.seen;
    counters['ble_adverts_decoded'] = ble.decoded;
    counters['ble_adverts_duplicate'] = ble.duplicates;
    counters['ble_adverts_refused'] = ble.refused;
    counters['ble_adverts_filtered'] = ble.filtered;
  }
  for (const [k, v] of Object.entries(input.wmbus ?? {}))
    if (typeof v === 'number') counters[`wmbus_${k}`] = v;
  for (const [k, v] of Object.entries(input.intake)) if (typeof v === 'number') counters[`readings_${k}`] = v;
  counters['outbox_parked'] = m.outbox.parked;
  return {
    timestamp: isoTimestamp(new Date()),
    version: input.version,
    uptime_s: input.uptimeS,
    status: input.verdict.status,
    problems: input.verdict.problems,
    counters,
    outbox: {
      depth: m.outbox.depth,
      oldest_age_s: Math.round((m.outbox.oldestAgeMs ?? 0) / 1000),
      sent: m.outbox.sent,
      dropped: m.outbox.dropped,
      unreceipted: m.receipts.waiting,
      oldest_unreceipted_age_s: Math.round(m.receipts.oldestAgeMs / 1000),
    },
  };
}
