import { EventEmitter } from 'node:events';
import { resolveSecret } from '@iotgw/config';
import {
  gatewayReceipt,
  MESSAGE_ID_PROPERTY,
  type TopicContract,
  type TopicParams,
  topicNameProblem,
} from '@iotgw/contracts';
import type { Logger } from '@iotgw/logger';
import { BrokerConnection, type ConnectionHooks, type ProtocolChoice } from './broker-connection.js';
import { connectionSettings } from './connection-settings.js';
import { ConnectorError } from './connector-error.js';
import { assembleMetrics, type ConnectorMetrics } from './connector-metrics.js';
import { type ConnectorOptions, type ResolvedOptions, resolveOptions } from './connector-options.js';
import { DropReporter } from './drop-reporter.js';
import {
  DenyAllOutboundFilter,
  encodeEventPayload,
  type GatewayEvent,
  type OutboundFilter,
} from './gateway-event.js';
import { InboundDispatcher, type MessageHandler } from './inbound-dispatcher.js';
import { MemoryOutbox } from './memory-outbox.js';
import type { Outbox } from './outbox.js';
import { OutboxPump } from './outbox-pump.js';
import { oversizeError } from './packet-size.js';
import { ReceiptTracker } from './receipt-tracker.js';
import { SubscriptionRegistry, type SubscriptionResult } from './subscription-registry.js';
import { readTlsFiles, type TlsMaterial } from './tls-files.js';

export interface ConnectorDeps {
  logger: Logger;
  /** Where publish() puts messages; default a MemoryOutbox (logged at warn: not durable). */
  outbox?: Outbox;
  /** Random source for backoff jitter (tests); default Math.random. */
  random?: () => number;
  /** Environment for `env:` secret references; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface PublishOptions {
  /** Default 1. */
  qos?: 0 | 1;
  /** Default false. */
  retain?: boolean;
  /** MQTT 5 user properties (dropped on 3.1.1). `iotgw-msg-id` is set by the connector. */
  userProperties?: Record<string, string>;
  /**
   * Replaces a copy of the same topic still waiting in the outbox (one pending copy per topic): for
   * status and health reports, where only the newest matters. Default false.
   */
  replace?: boolean;
}

interface Who {
  connection: number;
  clientId: string;
}

export interface ConnectorEvents {
  connected: [Who & { sessionPresent: boolean; protocolVersion: 4 | 5 }];
  disconnected: [Who & { error: Error | undefined }];
  reconnecting: [Who & { attempt: number; delayMs: number; error: Error | undefined }];
  /** A fatal CONNACK refusal (bad credentials, not authorised…): this connection stopped reconnecting. */
  refused: [Who & { reasonCode: number; reason: string; protocolVersion: 4 | 5 }];
}

/**
 * The gateway's one MQTT boundary. publish() stores in the outbox first (it never fails because the
 * broker is away); the outbox pump sends in order and removes on acknowledgement; received messages are
 * acknowledged only after the handler finished; filters translate between MQTT and internal events.
 */
export class MqttConnector {
  readonly #options: ResolvedOptions;
  readonly #log: Logger;
  readonly #outbox: Outbox;
  readonly #random: () => number;
  readonly #env: Readonly<Record<string, string | undefined>>;
  readonly #events = new EventEmitter<ConnectorEvents>();
  readonly #dispatcher: InboundDispatcher;
  readonly #pump: OutboxPump;
  readonly #receipts: ReceiptTracker;
  #receiptTimer: NodeJS.Timeout | undefined;
  readonly #subscriptions: SubscriptionRegistry;
  readonly #outboundFilter: OutboundFilter;
  readonly #protocol: ProtocolChoice;
  #connections: BrokerConnection[] = [];
  #started = false;
  readonly #outCounters = { refused: 0, errors: 0, events: 0 };
  readonly #drops: DropReporter;
  /** The broker's Maximum Packet Size from the last CONNACK that carried one (MQTT 5). */
  #brokerMaxPacket: number | undefined;

  constructor(options: ConnectorOptions, deps: ConnectorDeps) {
    this.#options = resolveOptions(options);
    this.#log = deps.logger.child({ module: 'mqtt-connector', clientId: this.#options.clientId });
    this.#outbox = deps.outbox ?? new MemoryOutbox();
    if (!deps.outbox) this.#log.warn('no outbox given: messages wait in memory and are lost on restart');
    this.#random = deps.random ?? Math.random;
    this.#env = deps.env ?? process.env;
    this.#dispatcher = new InboundDispatcher(this.#log, options.inboundFilter);
    this.#receipts = new ReceiptTracker(options.receipts);
    this.#pump = new OutboxPump(this.#outbox, this.#log, this.#receipts);
    this.#drops = new DropReporter(this.#log, this.#outbox);
    this.#subscriptions = new SubscriptionRegistry(this.#options.shareGroup);
    for (const s of this.#options.subscriptions) this.#subscriptions.add([s.filter], s.qos);
    this.#outboundFilter = options.outboundFilter ?? new DenyAllOutboundFilter();
    const version = this.#options.protocolVersion;
    this.#protocol = { version: version === 4 ? 4 : 5, auto: version === 'auto', fellBack: false };
  }

  on<E extends keyof ConnectorEvents>(event: E, listener: (...args: ConnectorEvents[E]) => void): this {
    this.#events.on(event, listener as never);
    return this;
  }

  once<E extends keyof ConnectorEvents>(event: E, listener: (...args: ConnectorEvents[E]) => void): this {
    this.#events.once(event, listener as never);
    return this;
  }

  off<E extends keyof ConnectorEvents>(event: E, listener: (...args: ConnectorEvents[E]) => void): this {
    this.#events.off(event, listener as never);
    return this;
  }

  /** The publishing connection (0) is connected. */
  get connected(): boolean {
    return this.#connections[0]?.connected ?? false;
  }

  /**
   * The largest packet the broker takes, as far as known: the smaller of `maxPacketBytes` and the
   * Maximum Packet Size of the last MQTT 5 CONNACK; undefined when neither is known.
   */
  get maxPacketBytes(): number | undefined {
    const configured = this.#options.maxPacketBytes;
    const broker = this.#brokerMaxPacket;
    if (configured === undefined) return broker;
    return broker === undefined ? configured : Math.min(configured, broker);
  }

  /**
   * Resolves the password reference, reads the TLS files and starts connecting. Resolves once started,
   * not once connected: a broker that is away is not an error. Rejects on a configuration error
   * (CFG_ERR_SECRET, MQTT_ERR_TLS).
   */
  async start(): Promise<void> {
    if (this.#started) return;
    const o = this.#options;
    const passwordRef = o.password;
    const password =
      passwordRef === undefined ? () => undefined : () => resolveSecret(passwordRef, this.#env);
    password();
    let tls: TlsMaterial | undefined;
    if (o.tls) {
      tls = readTlsFiles(o.tls);
      if (!tls.rejectUnauthorized)
        this.#log.warn('tls.rejectUnauthorized is false: the broker is not authenticated');
    }
    const hooks = this.#hooks();
    const shared = { password, tls, protocol: this.#protocol, random: this.#random };
    this.#connections = Array.from({ length: o.connections }, (_, index) => {
      const settings = connectionSettings(o, index, shared);
      return new BrokerConnection(settings, hooks, this.#log.child({ connection: index }));
    });
    this.#started = true;
    for (const conn of this.#connections) conn.start();
    this.#pump.kick();
    if (this.#receipts.mode !== 'off') {
      const every = Math.max(100, Math.min(5_000, this.#receipts.resendAfterMs / 4));
      this.#receiptTimer = setInterval(() => this.#pump.resendOverdue(), every);
      this.#receiptTimer.unref();
    }
  }

  /**
   * A receipt from the server (payload of the gatewayReceipt contract): removes the messages it covers
   * from the outbox; with receipts `auto`, the first one turns keeping on. Returns how many it removed,
   * or the problem with a payload that breaks the contract (ignored, counted).
   */
  receipt(payload: Uint8Array | string): { removed: number } | { problem: string } {
    const parsed = gatewayReceipt.parse(payload);
    if (!parsed.ok) {
      this.#receipts.counters.invalid++;
      return { problem: parsed.error.message };
    }
    if (this.#receipts.mode === 'off') return { removed: 0 };
    return { removed: this.#pump.receipt(parsed.value) };
  }

  /**
   * Sends what the outbox holds for as long as the broker allows within `flushTimeoutMs` (default
   * 5,000), publishes `offline` (or lets the broker publish the will), disconnects. What is left stays
   * in the outbox for the next start.
   */
  async stop(options: { flushTimeoutMs?: number } = {}): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    clearInterval(this.#receiptTimer);
    const flushTimeoutMs = options.flushTimeoutMs ?? 5_000;
    const deadline = Date.now() + flushTimeoutMs;
    const publisher = this.#connections[0];
    if (publisher && publisher.state !== 'refused') {
      // Wait while connected or connecting; not through a backoff pause (the broker is away).
      const idle = await this.#pump.waitIdle(
        flushTimeoutMs,
        () => publisher.state === 'connected' || publisher.state === 'connecting',
      );
      if (!idle) {
        this.#log.warn(
          { depth: this.#outbox.depth, flushTimeoutMs },
          'stopping with messages in the outbox: they are sent after the next start',
        );
      }
    }
    const will = this.#options.will;
    let offlineSent = false;
    if (will && publisher?.connected) {
      offlineSent = await publisher.publishNow(
        will.topic,
        will.offline,
        Math.max(500, deadline - Date.now()),
      );
    }
    this.#pump.detach();
    await Promise.all(
      this.#connections.map((c) =>
        c.stop({ withWill: will !== undefined && c.index === 0 && !offlineSent, timeoutMs: 2_000 }),
      ),
    );
    this.#connections = [];
    try {
      await this.#outbox.flush();
    } catch (err) {
      this.#log.error({ err }, 'cannot flush the outbox');
    }
    this.#log.info({ depth: this.#outbox.depth }, 'stopped');
  }

  /**
   * Stores the message in the outbox and resolves with its stable id once it is durable there; it is
   * sent when the broker is reachable. Throws only on programming errors (invalid topic or options).
   */
  async publish(
    topic: string,
    payload: Buffer | string,
    options: PublishOptions = {},
  ): Promise<{ id: string }> {
    const problem = typeof topic === 'string' ? topicNameProblem(topic) : 'a topic must be a string';
    if (problem)
      throw new ConnectorError('MQTT_ERR_TOPIC', `cannot publish to ${JSON.stringify(topic)}: ${problem}`);
    const qos = options.qos ?? 1;
    if (qos !== 0 && qos !== 1)
      throw new ConnectorError('MQTT_ERR_OPTIONS', `publish qos must be 0 or 1 (got ${qos})`);
    const userProperties = options.userProperties ?? {};
    for (const [key, value] of Object.entries(userProperties)) {
      if (typeof value !== 'string')
        throw new ConnectorError('MQTT_ERR_OPTIONS', `user property ${key} must be a string`);
      if (key === MESSAGE_ID_PROPERTY) {
        throw new ConnectorError(
          'MQTT_ERR_OPTIONS',
          `user property ${MESSAGE_ID_PROPERTY} is set by the connector`,
        );
      }
    }
    // A copy: the outbox keeps the buffer, and the caller may reuse theirs.
    const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload);
    const limit = this.maxPacketBytes;
    if (limit !== undefined) {
      const shape = { topic, payloadBytes: bytes.length, qos, userProperties } as const;
      const tooLarge = oversizeError(shape, this.#outbox.id, this.#protocol.version, limit);
      if (tooLarge) throw tooLarge;
    }
    const { entry, dropped } = await this.#outbox.append({
      topic,
      payload: bytes,
      qos,
      retain: options.retain ?? false,
      userProperties,
      replaceKey: options.replace === true ? topic : undefined,
    });
    if (dropped > 0) this.#drops.report(dropped);
    if (this.#started) this.#pump.kick();
    return { id: entry.id };
  }

  /**
   * Publishes a payload typed by its topic contract: the topic is built from `params`, the payload is
   * validated before it enters the outbox (a bad payload throws PayloadSchemaError naming the JSON
   * path), and retained contracts are published retained.
   */
  async publishContract<K extends string, T>(
    contract: TopicContract<K, T>,
    params: TopicParams<K>,
    payload: T,
    options: Omit<PublishOptions, 'retain'> & { retain?: boolean } = {},
  ): Promise<{ id: string }> {
    const topic = contract.build(params);
    const bytes = contract.encode(payload);
    return this.publish(topic, bytes, { ...options, retain: options.retain ?? contract.retain });
  }

  /** Records filters (restored after every reconnect) and subscribes now on live connections. */
  async subscribe(
    filters: string | readonly string[],
    options: { qos?: 0 | 1 | 2 } = {},
  ): Promise<SubscriptionResult[]> {
    const list = SubscriptionRegistry.normalize(filters, this.#options.shareGroup);
    const qos = options.qos ?? 1;
    if (qos !== 0 && qos !== 1 && qos !== 2)
      throw new ConnectorError('MQTT_ERR_OPTIONS', 'subscribe qos must be 0, 1 or 2');
    const records = this.#subscriptions.add(list, qos);
    const live = this.#connections.filter((c) => c.connected);
    const outcomes = await Promise.all(live.map((c) => c.subscribe(records)));
    const results = SubscriptionRegistry.results(records, outcomes, this.#protocol.version);
    this.#logRefusals(results);
    return results;
  }

  /** Sends UNSUBSCRIBE on live connections and removes the filters from the re-subscribe list. */
  async unsubscribe(filters: string | readonly string[]): Promise<void> {
    const list = SubscriptionRegistry.normalize(filters, this.#options.shareGroup);
    const wires = this.#subscriptions.remove(list);
    if (wires.length === 0) return;
    await Promise.all(this.#connections.filter((c) => c.connected).map((c) => c.unsubscribe(wires)));
  }

  /** Registers the one message handler; returns a function that removes it. */
  onMessage(handler: MessageHandler): () => void {
    return this.#dispatcher.setHandler(handler);
  }

  /** Listens to the internal events the inbound filter makes of received messages. */
  onEvent(listener: (event: GatewayEvent) => void): () => void {
    return this.#dispatcher.addListener(listener);
  }

  /**
   * Outbound filter → topic (or null: not allowed out, counted) → publish (QoS 1; retained when
   * `event.meta.retain` is true — status, configs and discovery are retained, readings are not;
   * replacing a waiting copy of the same topic when `event.meta.replace` is true).
   */
  async emit(event: GatewayEvent): Promise<{ id: string } | null> {
    let topic: string | null;
    let payload: Buffer | string;
    try {
      topic = this.#outboundFilter.topicFor(event);
      if (topic === null) {
        this.#outCounters.refused++;
        return null;
      }
      const problem = topicNameProblem(topic);
      if (problem)
        throw new Error(`the filter produced the invalid topic ${JSON.stringify(topic)}: ${problem}`);
      payload = this.#outboundFilter.payloadFor
        ? this.#outboundFilter.payloadFor(event)
        : encodeEventPayload(event);
    } catch (err) {
      this.#outCounters.errors++;
      this.#log.warn(
        { err, varType: event.varType, varName: event.varName },
        'outbound filter failed: event not published',
      );
      return null;
    }
    const result = await this.publish(topic, payload, {
      qos: 1,
      retain: event.meta?.['retain'] === true,
      replace: event.meta?.['replace'] === true,
    });
    this.#outCounters.events++;
    return result;
  }

  metrics(): ConnectorMetrics {
    const outbox = this.#outbox.stats();
    this.#receipts.prune(outbox.headSeq);
    return assembleMetrics({
      connected: this.connected,
      protocolVersion: this.#protocol.version,
      outbox,
      inflight: this.#pump.inflight,
      pump: this.#pump.counters,
      inbound: this.#dispatcher.counters,
      outbound: this.#outCounters,
      connections: this.#connections,
      receipts: {
        mode: this.#receipts.mode,
        active: this.#receipts.active,
        waiting: this.#receipts.waiting,
        oldestAgeMs: this.#receipts.oldestAgeMs(Date.now()),
        ...this.#receipts.counters,
      },
    });
  }

  #hooks(): ConnectionHooks {
    const who = (c: BrokerConnection) => ({ connection: c.index, clientId: c.clientId });
    return {
      connected: (conn, info) => {
        this.#events.emit('connected', { ...who(conn), ...info });
        void this.#restoreSubscriptions(conn);
        if (conn.index !== 0) return;
        const will = this.#options.will;
        if (will) void conn.publishNow(will.topic, will.online, 10_000);
        this.#brokerMaxPacket = info.protocolVersion === 5 ? conn.maximumPacketSize : undefined;
        const client = conn.client;
        if (client) {
          const window = Math.min(this.#options.maxInflight, conn.receiveMaximum ?? 65_535);
          this.#pump.attach(client, window, info.protocolVersion, this.maxPacketBytes ?? Infinity);
        }
      },
      closed: (conn, info) => {
        if (conn.index === 0) this.#pump.detach();
        if (info.wasConnected) this.#events.emit('disconnected', { ...who(conn), error: info.error });
      },
      reconnecting: (conn, info) => {
        this.#pump.recheck();
        this.#events.emit('reconnecting', { ...who(conn), ...info });
      },
      refused: (conn, info) => {
        this.#pump.recheck();
        this.#events.emit('refused', { ...who(conn), ...info });
      },
      deliver: (conn, packet) => this.#dispatcher.deliver(packet, conn.index),
      brokerDisconnect: (conn, reasonCode) => {
        if (conn.index === 0 && reasonCode === 0x95) this.#pump.brokerSaidTooLarge();
      },
    };
  }

  async #restoreSubscriptions(conn: BrokerConnection): Promise<void> {
    const records = this.#subscriptions.list();
    if (records.length === 0) return;
    const outcome = await conn.subscribe(records);
    const results = SubscriptionRegistry.results(records, [outcome], conn.protocolVersion);
    this.#logRefusals(results, conn.index);
  }

  #logRefusals(results: readonly SubscriptionResult[], connection?: number): void {
    for (const r of results) {
      if (r.state !== 'refused') continue;
      this.#log.error(
        { filter: r.filter, reasonCode: r.reasonCode, reason: r.reason, connection },
        `broker refused the subscription to ${r.filter}: ${r.reason}`,
      );
    }
  }
}
