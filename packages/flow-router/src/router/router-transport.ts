/** One MQTT message as the transport hands it to the router. */
export interface InboundMessage {
  topic: string;
  payload: Buffer;
  qos: 0 | 1 | 2;
  retain: boolean;
  /** MQTT 5 user properties (empty with MQTT 3.1.1). */
  userProperties: Record<string, string | string[]>;
  /** When the transport received it (ms since the epoch). */
  receivedAt: number;
  /** Optional: the MQTT 5 Payload Format Indicator (true = the publisher declared UTF-8 text). */
  payloadFormatIndicator?: boolean;
}

/** What the router answers for one message: nothing (PUBACK success) or an MQTT 5 reason code. */
// biome-ignore lint/suspicious/noConfusingVoidType: the connector's handler type is `Promise<void | {...}>`.
export type MessageAck = void | { reasonCode?: number };

/**
 * The MQTT side the router consumes, satisfied structurally by @iotgw/mqtt-connector (the router never
 * imports it; the server app wires the two). The connector may spread the filters over a shared
 * subscription (`$share/<group>/<filter>`) and several client connections that all deliver to the one
 * handler.
 */
export interface RouterTransport {
  subscribe(filters: readonly string[], options?: { qos?: 0 | 1 | 2 }): Promise<unknown>;
  unsubscribe(filters: readonly string[]): Promise<void>;
  /**
   * For QoS >= 1 the transport sends PUBACK only after the returned promise resolves; a rejection means
   * no PUBACK (the broker redelivers). With MQTT 5 the handler may resolve `{ reasonCode: 0x99 }`
   * ("payload format invalid").
   */
  onMessage(handler: (msg: InboundMessage) => Promise<MessageAck>): void;
  /**
   * True when the filters are subscribed as shared subscriptions (`$share/<group>/…`): the router then
   * ignores deliveries flagged retained (a broker may send each retained message once per connection).
   */
  readonly sharedSubscriptions?: boolean;
}

/** MQTT 5 reason code 0x99: payload format invalid. */
export const REASON_PAYLOAD_FORMAT_INVALID = 0x99;

/**
 * A publisher that wants a refused message answered with reason code 0x99 sets this MQTT 5 user
 * property (any value but `0`/`false`), or the Payload Format Indicator (setting `on-request`).
 */
export const WANT_REASON_CODE_PROPERTY = 'iotgw-want-reason-code';
