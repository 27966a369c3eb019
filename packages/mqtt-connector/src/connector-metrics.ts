import type { ConnectionState } from './broker-connection.js';
import type { OutboxStats } from './outbox.js';

export interface ConnectionMetrics {
  index: number;
  clientId: string;
  state: ConnectionState;
  connected: boolean;
  /** Reconnect attempts started on this connection. */
  reconnects: number;
  /** Why the last attempt or connection failed, in words; null while connected. */
  lastError: string | null;
}

export interface ConnectorMetrics {
  /** The publishing connection (0) is connected. */
  connected: boolean;
  /** The protocol in use (after an `auto` fallback: 4). */
  protocolVersion: 4 | 5;
  outbox: OutboxStats;
  /** Outbox messages sent and not yet acknowledged. */
  inflight: number;
  /** Messages handed to MQTT.js, resends included. */
  transmitted: number;
  /** Messages the broker refused for good with a PUBACK reason code (MQTT 5), parked out of the queue. */
  rejectedByBroker: number;
  /** Outbox messages too large for the broker's Maximum Packet Size, parked out of the queue. */
  tooLarge: number;
  /** Messages the broker refused for now (MQTT 5 PUBACK 0x80/0x91/0x97), kept for the next connection. */
  deferredByBroker: number;
  /** Messages received on any connection. */
  received: number;
  /** Received messages whose handler resolved (acknowledged). */
  handled: number;
  /** Received messages whose handler rejected (not acknowledged). */
  handlerErrors: number;
  /** Messages refused by a filter: inbound (no events) plus outbound (`emit()` → null). */
  refusedByFilter: number;
  refusedInbound: number;
  refusedOutbound: number;
  /** Filters that threw (the message was refused, the connector kept running). */
  filterErrors: number;
  /** Internal events produced by the inbound filter. */
  eventsIn: number;
  /** Internal events published through `emit()`. */
  eventsOut: number;
  /** Reconnect attempts over all connections. */
  reconnects: number;
  connections: ConnectionMetrics[];
}
