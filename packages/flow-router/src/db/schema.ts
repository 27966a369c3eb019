import type { Generated } from 'kysely';

/**
 * The router's tables as kysely sees them. Times are milliseconds since the epoch (BIGINT), booleans
 * are 0/1: the same values on MySQL/MariaDB and SQLite.
 */
export interface RouterDatabase {
  mqtt_servers: MqttServersTable;
  flows: FlowsTable;
  data_records: DataRecordsTable;
  message_keys: MessageKeysTable;
  dead_letters: DeadLettersTable;
  http_outbox: HttpOutboxTable;
  router_state: RouterStateTable;
}

export interface MqttServersTable {
  id: Generated<number>;
  name: string;
  host: string;
  port: number;
  use_tls: number;
  username: string | null;
  /** `env:NAME` or `file:/path`, resolved when connecting; never the password itself. */
  password_ref: string | null;
  client_id: string | null;
  is_default: number;
  enabled: number;
  created_at: number;
  updated_at: number;
}

export interface FlowsTable {
  id: Generated<number>;
  code: string;
  description: string | null;
  /** MQTT topic filter (`+`, `#`). */
  topic: string;
  /** JSON text: the legacy `{"field": "type"}` form or a full JSON Schema; null = any JSON object. */
  payload_schema: string | null;
  action: string;
  endpoint_url: string | null;
  enabled: number;
  /** Incremented once for every message stored or queued for this flow: gap-free, strictly increasing. */
  last_msg_id: number;
  version: number;
  created_at: number;
  updated_at: number;
}

export type ValueType = 'number' | 'string' | 'boolean' | 'null' | 'json';

export interface DataRecordsTable {
  flow_id: number;
  msg_id: number;
  field: string;
  value_type: ValueType;
  num_value: number | null;
  str_value: string | null;
  bool_value: number | null;
  json_value: string | null;
  topic: string;
  received_at: number;
}

export type KeyOutcome = 'stored' | 'queued' | 'dead';

/** One row per (flow, message) ever processed, kept for the dedup window: the unique key that drops redeliveries. */
export interface MessageKeysTable {
  flow_id: number;
  /** `i:<application id>` or `h:<sha-256 of topic and payload>`. */
  msg_key: string;
  key_kind: 'id' | 'hash';
  msg_id: number | null;
  outcome: KeyOutcome;
  received_at: number;
}

export interface DeadLettersTable {
  id: Generated<number>;
  flow_id: number | null;
  flow_code: string | null;
  topic: string;
  payload: Uint8Array;
  reason_code: string;
  reason: string;
  json_path: string | null;
  msg_key: string | null;
  user_properties: string | null;
  received_at: number;
  created_at: number;
}

/** The durable retry queue of POST_ENDPOINT deliveries. */
export interface HttpOutboxTable {
  id: Generated<number>;
  flow_id: number;
  flow_code: string;
  msg_id: number;
  msg_key: string;
  url: string;
  payload: string;
  topic: string;
  received_at: number;
  attempts: number;
  next_attempt_at: number;
  lease_owner: string | null;
  lease_until: number;
  last_error: string | null;
  last_status: number | null;
  created_at: number;
}

/** Small key/value state, e.g. the filters a router client id last subscribed (to unsubscribe stale ones). */
export interface RouterStateTable {
  name: string;
  value: string;
  updated_at: number;
}
