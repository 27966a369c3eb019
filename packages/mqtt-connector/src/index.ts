export { backoffDelay, DEFAULT_RECONNECT, type ReconnectOptions } from './backoff.js';
export type { ConnectionState } from './broker-connection.js';
export { ConnectorError, type ConnectorErrorCode } from './connector-error.js';
export type { ConnectionMetrics, ConnectorMetrics, ReceiptMetrics } from './connector-metrics.js';
export type {
  AvailabilityOptions,
  ConnectorOptions,
  SubscriptionSpec,
  TlsOptions,
} from './connector-options.js';
export {
  DenyAllOutboundFilter,
  decodeEventValue,
  encodeEventPayload,
  type GatewayEvent,
  type InboundFilter,
  type OutboundFilter,
  RefuseAllInboundFilter,
} from './gateway-event.js';
export type { InboundMessage, MessageHandler } from './inbound-dispatcher.js';
export { MemoryOutbox } from './memory-outbox.js';
export {
  type ConnectorDeps,
  type ConnectorEvents,
  MqttConnector,
  type PublishOptions,
} from './mqtt-connector.js';
export type {
  AppendResult,
  Outbox,
  OutboxEntry,
  OutboxLimits,
  OutboxMessage,
  OutboxStats,
} from './outbox.js';
export { MAX_PARKED_BYTES, MAX_PARKED_MESSAGES, REPLACES_PROPERTY } from './outbox.js';
export { type PublishShape, publishPacketSize } from './packet-size.js';
export { type AckKind, isFatalConnack, reasonCodeText } from './reason-codes.js';
export { MAX_TRACKED_RECEIPTS, type ReceiptMode, type ReceiptOptions } from './receipt-tracker.js';
export {
  type InboundDispatch,
  type InboundRule,
  RegexInboundFilter,
  type RegexInboundFilterOptions,
} from './regex-inbound-filter.js';
export {
  type OutboundRule,
  RegexOutboundFilter,
  type RegexOutboundFilterOptions,
} from './regex-outbound-filter.js';
export { DEFAULT_FSYNC, type FsyncPolicy, SqliteOutbox, type SqliteOutboxOptions } from './sqlite-outbox.js';
export type { SubscriptionResult } from './subscription-registry.js';
