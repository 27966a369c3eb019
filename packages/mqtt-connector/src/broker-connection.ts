import type { Logger } from '@iotgw/logger';
import { connect, type IClientOptions, type IPublishPacket, type MqttClient, type Packet } from 'mqtt';
import { backoffDelay, type ReconnectOptions } from './backoff.js';
import type { DeliveryOutcome } from './inbound-dispatcher.js';
import { isFatalConnack, isUnsupportedProtocol, reasonCodeText, VALID_PUBACK_CODES } from './reason-codes.js';
import { describeConnectionError, type TlsMaterial } from './tls-files.js';

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'waiting' | 'refused' | 'stopped';

/** Protocol version shared by a connector's connections: one fallback to 3.1.1 applies to all. */
export interface ProtocolChoice {
  version: 4 | 5;
  auto: boolean;
  fellBack: boolean;
}

export interface ConnectionSettings {
  index: number;
  clientId: string;
  url: string;
  keepalive: number;
  clean: boolean;
  sessionExpiryInterval: number;
  receiveMaximum: number | undefined;
  /** MQTT 5 Maximum Packet Size announced in CONNECT: the broker sends nothing larger. */
  maxIncomingPacketBytes: number | undefined;
  username: string | undefined;
  /** Resolves the password reference now (throws SecretError). */
  password: () => string | undefined;
  tls: TlsMaterial | undefined;
  will: { topic: string; payload: string } | undefined;
  reconnect: ReconnectOptions;
  connectTimeoutMs: number;
  protocol: ProtocolChoice;
  random: () => number;
}

export interface ConnectionHooks {
  connected(conn: BrokerConnection, info: { sessionPresent: boolean; protocolVersion: 4 | 5 }): void;
  closed(conn: BrokerConnection, info: { wasConnected: boolean; error: Error | undefined }): void;
  reconnecting(
    conn: BrokerConnection,
    info: { attempt: number; delayMs: number; error: Error | undefined },
  ): void;
  refused(conn: BrokerConnection, info: { reasonCode: number; reason: string; protocolVersion: 4 | 5 }): void;
  deliver(conn: BrokerConnection, packet: IPublishPacket): Promise<DeliveryOutcome>;
  /** The broker sent DISCONNECT with this reason code (MQTT 5); `close` follows. */
  brokerDisconnect(conn: BrokerConnection, reasonCode: number): void;
}

type Decided = { ack: true } | { ack: false; error: Error };

const STALE = new Error('the connection closed before the handler finished: not acknowledged');

/**
 * One MQTT.js client and its life: connect, exponential backoff with jitter between attempts (MQTT.js'
 * fixed reconnectPeriod is off), one fallback from MQTT 5 to 3.1.1 in `auto` mode, fatal CONNACK refusals
 * that stop it, and acknowledgements sent only after the message handler has finished.
 */
export class BrokerConnection {
  readonly index: number;
  readonly clientId: string;
  state: ConnectionState = 'idle';
  reconnects = 0;
  lastError: string | null = null;
  connectedAt: number | null = null;
  readonly #settings: ConnectionSettings;
  readonly #hooks: ConnectionHooks;
  readonly #log: Logger;
  #client: MqttClient | null = null;
  #attempt = 0;
  #epoch = 0;
  #timer: NodeJS.Timeout | undefined;
  #refusal: number | null = null;
  /** The protocol version of the attempt in progress (the shared choice may change meanwhile). */
  #attemptVersion: 4 | 5 = 5;
  #error: Error | undefined;
  readonly #decided = new WeakMap<object, Decided>();

  constructor(settings: ConnectionSettings, hooks: ConnectionHooks, log: Logger) {
    this.index = settings.index;
    this.clientId = settings.clientId;
    this.#settings = settings;
    this.#hooks = hooks;
    this.#log = log;
  }

  get client(): MqttClient | null {
    return this.#client;
  }

  get connected(): boolean {
    return this.state === 'connected' && this.#client?.connected === true;
  }

  /** The protocol version of the current (or last) connection attempt. */
  get protocolVersion(): 4 | 5 {
    return this.#attemptVersion;
  }

  /** The broker's Receive Maximum (MQTT 5), or undefined. */
  get receiveMaximum(): number | undefined {
    return this.#client?.serverProperties?.receiveMaximum;
  }

  /** The broker's Maximum Packet Size from CONNACK (MQTT 5), or undefined. */
  get maximumPacketSize(): number | undefined {
    return this.#client?.serverProperties?.maximumPacketSize;
  }

  /** Creates the client and starts the first attempt (throws SecretError when the password cannot be resolved). */
  start(): void {
    const s = this.#settings;
    const password = s.password();
    const options: IClientOptions = {
      clientId: s.clientId,
      keepalive: s.keepalive,
      clean: s.clean,
      protocolVersion: s.protocol.version,
      reconnectPeriod: 0,
      connectTimeout: s.connectTimeoutMs,
      manualConnect: true,
      resubscribe: false,
      queueQoSZero: false,
      customHandleAcks: (_topic, _message, packet: IPublishPacket, cb) => this.#preAck(packet, cb),
    };
    if (s.protocol.version === 5) {
      options.properties = {
        sessionExpiryInterval: s.sessionExpiryInterval,
        ...(s.receiveMaximum === undefined ? {} : { receiveMaximum: s.receiveMaximum }),
        ...(s.maxIncomingPacketBytes === undefined ? {} : { maximumPacketSize: s.maxIncomingPacketBytes }),
      };
    }
    if (s.username !== undefined) options.username = s.username;
    if (password !== undefined) options.password = password;
    if (s.will)
      options.will = { topic: s.will.topic, payload: Buffer.from(s.will.payload), qos: 1, retain: true };
    if (s.tls) Object.assign(options, s.tls);
    const client = connect(s.url, options);
    client.handleMessage = (packet, callback) => this.#handleMessage(packet, callback);
    client.on('packetreceive', (packet: Packet) => {
      if (packet.cmd !== 'connack') return;
      const code = (this.#attemptVersion === 5 ? packet.reasonCode : packet.returnCode) ?? 0;
      this.#refusal = code === 0 ? null : code;
    });
    client.on('connect', (connack) => this.#onConnect(connack.sessionPresent));
    client.on('error', (err) => {
      this.#error = err;
    });
    client.on('disconnect', (packet) => {
      const code = packet.reasonCode ?? 0;
      this.#log.warn(
        { reasonCode: code },
        `broker sent DISCONNECT (0x${code.toString(16).padStart(2, '0')})`,
      );
      this.#hooks.brokerDisconnect(this, code);
    });
    client.on('close', () => this.#onClose());
    this.#client = client;
    this.state = 'connecting';
    this.#attemptVersion = s.protocol.version;
    this.#tryAttempt(() => client.connect());
  }

  /** Subscribes on this connection now; the SUBACK codes in filter order, or the error. */
  subscribe(
    filters: readonly { wire: string; qos: 0 | 1 | 2; rh?: 0 | 2 }[],
  ): Promise<{ granted: number[] } | { error: Error }> {
    const client = this.#client;
    if (!client || !this.connected) return Promise.resolve({ error: new Error('not connected') });
    const map: Record<string, { qos: 0 | 1 | 2; rh?: 0 | 2 }> = {};
    for (const f of filters) map[f.wire] = f.rh ? { qos: f.qos, rh: f.rh } : { qos: f.qos };
    return new Promise((resolve) => {
      client.subscribe(map, (err, _subs, packet) => {
        const granted = (packet as { granted?: unknown } | undefined)?.granted;
        if (
          Array.isArray(granted) &&
          granted.length === filters.length &&
          granted.every((g) => typeof g === 'number')
        ) {
          resolve({ granted: granted as number[] });
        } else {
          resolve({ error: err ?? new Error('no SUBACK') });
        }
      });
    });
  }

  async unsubscribe(wire: readonly string[]): Promise<void> {
    const client = this.#client;
    if (!client || !this.connected) return;
    try {
      await client.unsubscribeAsync([...wire]);
    } catch (err) {
      this.#log.warn(
        { err, filters: wire },
        'UNSUBSCRIBE not acknowledged (removed from the re-subscribe list anyway)',
      );
    }
  }

  /** Publishes directly (availability), resolving true on acknowledgement, false on failure or timeout. */
  publishNow(topic: string, payload: string, timeoutMs: number): Promise<boolean> {
    const client = this.#client;
    if (!client || !this.connected) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      client.publish(topic, payload, { qos: 1, retain: true }, (err) => {
        clearTimeout(timer);
        if (err) this.#log.warn({ err, topic }, 'availability publish failed');
        resolve(!err);
      });
    });
  }

  /**
   * Ends the connection. `withWill`: the broker publishes the last will (MQTT 5: DISCONNECT 0x04;
   * 3.1.1: the socket is closed without DISCONNECT) — used when `offline` could not be published.
   */
  async stop(options: { withWill: boolean; timeoutMs: number }): Promise<void> {
    this.state = 'stopped';
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const client = this.#client;
    if (!client?.stream) return; // never got as far as a socket
    if (!client.connected || (options.withWill && this.protocolVersion === 4)) {
      await new Promise<void>((resolve) => client.end(true, {}, () => resolve()));
      return;
    }
    const graceful = new Promise<void>((resolve) =>
      client.end(false, options.withWill ? { reasonCode: 0x04 } : {}, () => resolve()),
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), options.timeoutMs);
    });
    const result = await Promise.race([graceful, timeout]);
    clearTimeout(timer);
    if (result === 'timeout') await new Promise<void>((resolve) => client.end(true, {}, () => resolve()));
  }

  #onConnect(sessionPresent: boolean): void {
    this.#epoch++;
    this.#refusal = null;
    this.#error = undefined;
    this.lastError = null;
    this.state = 'connected';
    this.connectedAt = Date.now();
    this.#log.info(
      { protocolVersion: this.protocolVersion, sessionPresent, attempt: this.#attempt },
      'connected to the broker',
    );
    this.#hooks.connected(this, { sessionPresent, protocolVersion: this.protocolVersion });
  }

  #onClose(): void {
    const client = this.#client;
    const wasConnected = this.connectedAt !== null;
    const stableFor = this.connectedAt === null ? 0 : Date.now() - this.connectedAt;
    this.#epoch++;
    if (client) this.#failPending(client);
    const error = this.#error;
    this.#error = undefined;
    if (wasConnected) {
      this.connectedAt = null;
      if (this.state === 'stopped') this.#log.info({ connectedForMs: stableFor }, 'disconnected (stopped)');
      else this.#log.warn({ err: error, connectedForMs: stableFor }, 'connection to the broker lost');
      if (stableFor >= this.#settings.reconnect.stableMs) this.#attempt = 0;
    }
    this.#hooks.closed(this, { wasConnected, error });
    if (this.state === 'stopped' || this.state === 'refused') return;
    const refusal = this.#refusal;
    this.#refusal = null;
    if (refusal !== null) {
      const version = this.#attemptVersion;
      const protocol = this.#settings.protocol;
      if (protocol.auto && version === 5 && isUnsupportedProtocol(refusal)) {
        protocol.version = 4;
        if (!protocol.fellBack) {
          protocol.fellBack = true;
          this.#log.warn(
            { reason: reasonCodeText('connack', refusal, 5) },
            'broker refused MQTT 5: using MQTT 3.1.1 from now on (no user properties, no reason codes)',
          );
        }
        this.#schedule(0, undefined, false);
        return;
      }
      const reason = reasonCodeText('connack', refusal, version);
      this.lastError = `CONNACK ${reason}`;
      if (isFatalConnack(refusal, version)) {
        this.state = 'refused';
        this.#log.error(
          { reasonCode: refusal, reason },
          `broker refused the connection: ${reason}; not reconnecting (fix the configuration and restart)`,
        );
        this.#hooks.refused(this, { reasonCode: refusal, reason, protocolVersion: version });
        return;
      }
      this.#log.warn({ reasonCode: refusal, reason }, `broker refused the connection for now: ${reason}`);
      this.#schedule(null, new Error(`connection refused: ${reason}`), true);
      return;
    }
    if (error) this.lastError = describeConnectionError(error);
    this.#schedule(null, error, true);
  }

  /** Schedules the next attempt: `delayMs` null = the backoff delay for the next attempt number. */
  #schedule(delayMs: number | null, error: Error | undefined, counts: boolean): void {
    if (counts) this.#attempt++;
    const delay = delayMs ?? backoffDelay(this.#attempt, this.#settings.reconnect, this.#settings.random);
    this.state = 'waiting';
    if (counts) {
      const level = this.#attempt <= 1 || this.#attempt % 10 === 0 ? 'warn' : 'debug';
      this.#log[level](
        { attempt: this.#attempt, delayMs: delay, error: error ? describeConnectionError(error) : undefined },
        `reconnecting in ${delay} ms`,
      );
      this.#hooks.reconnecting(this, { attempt: this.#attempt, delayMs: delay, error });
    }
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#reconnect(), delay);
  }

  #reconnect(): void {
    this.#timer = undefined;
    const client = this.#client;
    if (!client || this.state !== 'waiting') return;
    try {
      const password = this.#settings.password();
      if (password !== undefined) client.options.password = password;
    } catch (err) {
      this.lastError = (err as Error).message;
      this.#log.error({ err }, 'cannot resolve the MQTT password: not connecting this time');
      this.#schedule(null, err as Error, true);
      return;
    }
    this.#attemptVersion = this.#settings.protocol.version;
    client.options.protocolVersion = this.#attemptVersion;
    if (this.#attemptVersion === 4) delete client.options.properties;
    this.reconnects++;
    this.state = 'connecting';
    this.#tryAttempt(() => client.reconnect());
  }

  /** Starts an attempt; one that throws at once (no socket at all) is a failed attempt, not a crash. */
  #tryAttempt(start: () => void): void {
    try {
      start();
    } catch (err) {
      this.lastError = describeConnectionError(err);
      this.#log.error({ err }, 'cannot start a connection attempt');
      this.#schedule(null, err as Error, true);
    }
  }

  /** Publishes MQTT.js still waits for belong to a dead connection: the outbox resends them. */
  #failPending(client: MqttClient): void {
    for (const key of Object.keys(client.outgoing)) {
      const id = Number(key);
      const pending = client.outgoing[id];
      delete client.outgoing[id];
      pending?.cb(new Error('connection closed'));
    }
    const queued = client.queue.splice(0);
    for (const q of queued) q.cb?.(new Error('connection closed'));
  }

  /** MQTT 5, QoS 1 (MQTT.js calls this before the PUBACK): runs the handler and picks the reason code. */
  #preAck(packet: IPublishPacket, cb: (error: Error | number, code?: number) => void): void {
    if (packet.qos !== 1) {
      cb(0);
      return;
    }
    const epoch = this.#epoch;
    void this.#hooks.deliver(this, packet).then((outcome) => {
      if (!outcome.ok || epoch !== this.#epoch) {
        this.#decided.set(packet, { ack: false, error: outcome.ok ? STALE : outcome.error });
        cb(0);
        return;
      }
      let code = outcome.reasonCode;
      if (!VALID_PUBACK_CODES.includes(code)) {
        this.#log.warn(
          { reasonCode: code, topic: packet.topic },
          'handler returned an invalid PUBACK reason code: sent 0x80',
        );
        code = 0x80;
      }
      this.#decided.set(packet, { ack: true });
      cb(code);
    });
  }

  /** Called by MQTT.js before it acknowledges (and before it reads the next packet). */
  #handleMessage(packet: IPublishPacket, callback: (error?: Error) => void): void {
    const decided = this.#decided.get(packet);
    if (decided) {
      this.#decided.delete(packet);
      callback(decided.ack ? undefined : decided.error);
      return;
    }
    const epoch = this.#epoch;
    void this.#hooks.deliver(this, packet).then((outcome) => {
      if (!outcome.ok) return callback(outcome.error);
      if (epoch !== this.#epoch) return callback(STALE);
      if (outcome.reasonCode !== 0 && packet.qos > 0) {
        this.#log.debug(
          { reasonCode: outcome.reasonCode, topic: packet.topic },
          'MQTT 3.1.1 acknowledgements carry no reason code: acknowledged plainly',
        );
      }
      callback();
    });
  }
}
