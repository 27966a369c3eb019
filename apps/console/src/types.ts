/** The API's shapes the console reads (docs/server.md; /openapi.json has them all). */

export interface Gateway {
  gatewayId: string;
  availability: 'online' | 'offline' | null;
  availabilityAt: string | null;
  health: {
    version?: string;
    uptime_s?: number;
    counters?: Record<string, number>;
    outbox?: { depth: number; oldest_age_s: number; sent: number; dropped: number };
  } | null;
  healthAt: string | null;
  meters: { total: number; byStatus: Record<string, number> } | null;
  metersAt: string | null;
  command: { timestamp: string; ok: boolean; error?: string } | null;
}

export interface MeterStatus {
  deviceId: string;
  manufacturerKey?: string;
  manufacturerDeviceKey?: string;
  index?: number;
  status: string;
  reason?: string;
  driver?: string;
  lastSeen?: string;
  rssi_dbm?: number;
  telegrams?: number;
}

export interface MeterReport {
  gatewayId: string;
  receivedAt: string | null;
  report: {
    timestamp: string;
    command?: { timestamp: string; ok: boolean; error?: string };
    meters: MeterStatus[];
  } | null;
}

export interface Flow {
  id: number;
  code: string;
  description: string | null;
  topic: string;
  payloadSchema?: unknown;
  action: string;
  endpointUrl: string | null;
  enabled: boolean;
  counters: { lastMsgId: number; records: number; deadLetters: number };
}

export interface DeadLetter {
  id: number;
  flowCode: string | null;
  topic: string;
  payloadText?: string | null;
  payloadBase64?: string;
  reasonCode: string;
  reason: string;
  jsonPath: string | null;
  receivedAt: string;
  createdAt: string;
}

export interface DataRecord {
  msgId: number;
  field: string;
  type: string;
  value: unknown;
  topic: string;
  receivedAt: string;
}
