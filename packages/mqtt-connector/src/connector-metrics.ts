import type { ConnectionState } from './broker-connection.js';
import type { InboundCounters } from './inbound-dispatcher.js';
import type { OutboxStats } from './outbox.js';
import type { PumpCounters } from './outbox-pump.js';

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
  receipts: ReceiptMetrics;
}

export interface ReceiptMetrics {
  mode: 'off' | 'auto' | 'on';
  /** Messages are kept until a receipt now (`on`, or `auto` after the first receipt). */
  active: boolean;
  /** Messages the broker acknowledged that wait for the server's receipt. */
  waiting: number;
  /** Age of the oldest of them (ms), 0 when none. */
  oldestAgeMs: number;
  /** Receipts received, seqs they removed from the outbox, and resend rounds for want of one. */
  receipts: number;
  receipted: number;
  resends: number;
  /** Receipts that broke the gatewayReceipt contract (ignored). */
  invalid: number;
}

/** What metrics() reads from the connector's parts. */
export interface MetricsParts {
  connected: boolean;
  protocolVersion: 4 | 5;
  outbox: OutboxStats;
  inflight: number;
  pump: PumpCounters;
  inbound: InboundCounters;
  outbound: { refused: number; errors: number; events: number };
  /** The live connections (read field by field, not kept). */
  connections: readonly ConnectionMetrics[];
  receipts: ReceiptMetrics;
}

/** The connector's metrics snapshot from its parts' counters. */
export function assembleMetrics(p: MetricsParts): ConnectorMetrics {
  const { inbound, pump, outbound } = p;
  const connections = p.connections.map((c) => ({
    index: c.index,
    clientId: c.clientId,
    state: c.state,
    connected: c.connected,
    reconnects: c.reconnects,
    lastError: c.lastError,
  }));
  return {
    connected: p.connected,
    protocolVersion: p.protocolVersion,
    outbox: p.outbox,
    inflight: p.inflight,
    transmitted: pump.transmitted,
    rejectedByBroker: pump.rejected,
    tooLarge: pump.tooLarge,
    deferredByBroker: pump.deferred,
    received: inbound.received,
    handled: inbound.handled,
    handlerErrors: inbound.handlerErrors,
    refusedByFilter: inbound.refusedByFilter + outbound.refused,
    refusedInbound: inbound.refusedByFilter,
    refusedOutbound: outbound.refused,
    filterErrors: inbound.filterErrors + outbound.errors,
    eventsIn: inbound.events,
    eventsOut: outbound.events,
    reconnects: connections.reduce((n, c) => n + c.reconnects, 0),
    connections,
    receipts: p.receipts,
  };
}
