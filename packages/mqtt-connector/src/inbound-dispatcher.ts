import type { Logger } from '@iotgw/logger';
import { ConnectorError } from './connector-error.js';
import type { GatewayEvent, InboundFilter } from './gateway-event.js';

export interface InboundMessage {
  topic: string;
  payload: Buffer;
  qos: 0 | 1 | 2;
  retain: boolean;
  /** MQTT 5 user properties (a repeated key gives an array); always empty with 3.1.1. */
  userProperties: Record<string, string | string[]>;
  /** MQTT 5 Payload Format Indicator: true when the publisher declared the payload UTF-8 text. */
  payloadFormatIndicator?: boolean;
  /** When the connector received it (ms since the epoch). */
  receivedAt: number;
  /** Index of the client connection it arrived on (0 … connections − 1). */
  connection: number;
}

/**
 * Handles one received message. For QoS ≥ 1 the acknowledgement is sent only after the returned promise
 * resolves; with MQTT 5 it may carry a PUBACK reason code (e.g. 0x99 payload format invalid: the broker
 * discards the message). A rejected promise sends no acknowledgement: the broker redelivers the message
 * after the next reconnect.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: an async handler that returns nothing is the common case
export type MessageHandler = (message: InboundMessage) => Promise<void | { reasonCode?: number }>;

export type DeliveryOutcome = { ok: true; reasonCode: number } | { ok: false; error: Error };

/** The subset of a received PUBLISH the dispatcher reads (MQTT.js IPublishPacket fits). */
export interface ReceivedPublish {
  topic: string;
  payload: Buffer | string;
  qos: 0 | 1 | 2;
  retain: boolean;
  properties?:
    | { userProperties?: Record<string, string | string[]>; payloadFormatIndicator?: boolean }
    | undefined;
}

export interface InboundCounters {
  received: number;
  handled: number;
  handlerErrors: number;
  refusedByFilter: number;
  filterErrors: number;
  events: number;
}

/**
 * Runs every received message through the inbound filter (events to `onEvent` listeners) and the one
 * message handler. Never throws: failures are logged, counted and returned as outcomes.
 */
export class InboundDispatcher {
  readonly counters: InboundCounters = {
    received: 0,
    handled: 0,
    handlerErrors: 0,
    refusedByFilter: 0,
    filterErrors: 0,
    events: 0,
  };
  readonly #log: Logger;
  readonly #filter: InboundFilter | undefined;
  readonly #listeners = new Set<(event: GatewayEvent) => void>();
  #handler: MessageHandler | null = null;

  constructor(log: Logger, filter: InboundFilter | undefined) {
    this.#log = log;
    this.#filter = filter;
  }

  setHandler(handler: MessageHandler): () => void {
    if (typeof handler !== 'function') {
      throw new ConnectorError('MQTT_ERR_HANDLER', 'onMessage needs a function returning a promise');
    }
    if (this.#handler) {
      throw new ConnectorError(
        'MQTT_ERR_HANDLER',
        'a message handler is already registered: one consumer acknowledges messages (remove the first one)',
      );
    }
    this.#handler = handler;
    return () => {
      if (this.#handler === handler) this.#handler = null;
    };
  }

  addListener(listener: (event: GatewayEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async deliver(packet: ReceivedPublish, connection: number): Promise<DeliveryOutcome> {
    this.counters.received++;
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    const topic = packet.topic;
    if (this.#filter) this.#filterEvents(topic, payload);
    const handler = this.#handler;
    if (!handler) return { ok: true, reasonCode: 0 };
    const message: InboundMessage = {
      topic,
      payload,
      qos: packet.qos,
      retain: packet.retain,
      userProperties: { ...packet.properties?.userProperties },
      ...(packet.properties?.payloadFormatIndicator === undefined
        ? {}
        : { payloadFormatIndicator: packet.properties.payloadFormatIndicator }),
      receivedAt: Date.now(),
      connection,
    };
    try {
      const result = await handler(message);
      this.counters.handled++;
      const code = result && typeof result === 'object' ? result.reasonCode : undefined;
      return { ok: true, reasonCode: typeof code === 'number' ? code : 0 };
    } catch (err) {
      this.counters.handlerErrors++;
      this.#log.warn(
        { err, topic, qos: packet.qos, connection },
        packet.qos > 0
          ? 'message handler failed: not acknowledged, the broker redelivers it after the next reconnect'
          : 'message handler failed on a QoS 0 message: it is lost',
      );
      return { ok: false, error: err instanceof Error ? err : new Error(String(err)) };
    }
  }

  #filterEvents(topic: string, payload: Buffer): void {
    let events: readonly GatewayEvent[];
    try {
      events = (this.#filter as InboundFilter).accept(topic, payload);
    } catch (err) {
      this.counters.filterErrors++;
      this.#log.warn({ err, topic }, 'inbound filter threw: message refused');
      return;
    }
    if (events.length === 0) {
      this.counters.refusedByFilter++;
      return;
    }
    for (const event of events) {
      this.counters.events++;
      for (const listener of this.#listeners) {
        try {
          listener(event);
        } catch (err) {
          this.#log.warn(
            { err, topic, varType: event.varType, varName: event.varName },
            'event listener threw',
          );
        }
      }
    }
  }
}
