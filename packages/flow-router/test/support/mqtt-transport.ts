// A RouterTransport over MQTT.js, for tests, the crash-test child and the benchmark (the real one is
// @iotgw/mqtt-connector, which the router must not import). Erasable TypeScript only: the child and the
// bench run this file under Node's type stripping.
import type { InboundMessage, MessageAck, RouterTransport } from '@iotgw/flow-router';
import mqtt from 'mqtt';

type Handler = (msg: InboundMessage) => Promise<MessageAck>;
type Client = mqtt.MqttClient;

export interface MqttTransportOptions {
  url: string;
  /** Client ids are `<clientIdPrefix>-<i>`; stable ids + clean:false keep the broker session across restarts. */
  clientIdPrefix: string;
  /** Client connections, all delivering to the one handler (default 1). */
  connections?: number;
  /** Subscribe as `$share/<group>/<filter>` (MQTT 5 shared subscription; Mosquitto also allows it for 3.1.1). */
  shareGroup?: string;
  /** 5 (default) or 4 (MQTT 3.1.1, e.g. aedes). */
  protocolVersion?: 4 | 5;
  /** Start clean (default false: persistent session). */
  clean?: boolean;
  /** MQTT 5 session expiry (default 3600 s); keep it short on a broker shared with others. */
  sessionExpirySeconds?: number;
  /**
   * MQTT 5 Receive Maximum per connection (default 16). Keep it small: the client reads one packet at a
   * time and acknowledges only after commit, so a PINGRESP waits behind every message in flight; with
   * the broker's 1,000 in flight MQTT.js declares a keepalive timeout when that backlog takes longer than
   * half the keepalive to drain.
   */
  receiveMaximum?: number;
  /** Keepalive in seconds (default 60). */
  keepalive?: number;
}

export interface MqttTestTransport extends RouterTransport {
  readonly clients: readonly Client[];
  close(): Promise<void>;
}

function toInbound(packet: mqtt.IPublishPacket): InboundMessage {
  const props = packet.properties;
  const userProperties = (props?.userProperties ?? {}) as Record<string, string | string[]>;
  const msg: InboundMessage = {
    topic: packet.topic,
    payload: Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload),
    qos: packet.qos,
    retain: packet.retain,
    userProperties,
    receivedAt: Date.now(),
  };
  if (props?.payloadFormatIndicator !== undefined) msg.payloadFormatIndicator = props.payloadFormatIndicator;
  return msg;
}

/**
 * Connects `connections` MQTT.js clients. PUBACK (QoS 1) is sent only after the handler's promise
 * resolves, with its reason code under MQTT 5 (`customHandleAcks`); a rejected promise sends no PUBACK and
 * drops that connection, so the broker delivers the message again after the reconnect.
 */
export async function createMqttTransport(options: MqttTransportOptions): Promise<MqttTestTransport> {
  const version = options.protocolVersion ?? 5;
  let handler: Handler | undefined;
  let handlerSet: () => void = () => {};
  const handlerReady = new Promise<void>((resolve) => {
    handlerSet = resolve;
  });
  const share = (filters: readonly string[]) =>
    filters.map((f) => (options.shareGroup ? `$share/${options.shareGroup}/${f}` : f));

  async function handle(packet: mqtt.IPublishPacket): Promise<MessageAck> {
    if (!handler) await handlerReady;
    return (handler as Handler)(toInbound(packet));
  }

  const clients: Client[] = [];
  const count = options.connections ?? 1;
  for (let i = 0; i < count; i++) {
    let client: Client | undefined;
    const opts: mqtt.IClientOptions = {
      clientId: `${options.clientIdPrefix}-${i}`,
      clean: options.clean ?? false,
      protocolVersion: version,
      reconnectPeriod: 250,
      connectTimeout: 5_000,
      keepalive: options.keepalive ?? 60,
    };
    if (version === 5) {
      opts.properties = {
        sessionExpiryInterval: options.sessionExpirySeconds ?? 3_600,
        receiveMaximum: options.receiveMaximum ?? 16,
      };
      // MQTT 5 (MQTT.js honours customHandleAcks only there): the PUBACK carries the handler's reason code.
      opts.customHandleAcks = (_topic, _message, packet, done) => {
        handle(packet as mqtt.IPublishPacket).then(
          (ack) => done(0, ack && typeof ack.reasonCode === 'number' ? ack.reasonCode : 0),
          () => {
            // No PUBACK: drop the connection; the broker redelivers on the next session.
            client?.stream?.destroy();
          },
        );
      };
    }
    client = await mqtt.connectAsync(options.url, opts);
    const c = client;
    if (process.env['IOTGW_TRANSPORT_DEBUG']) {
      for (const ev of ['close', 'offline', 'reconnect', 'disconnect', 'error'] as const) {
        c.on(ev, (arg: unknown) => console.error(`[transport ${opts.clientId}] ${ev} ${String(arg ?? '')}`));
      }
    }
    // MQTT.js sends the PUBACK when handleMessage calls back. Under MQTT 5 the work was done in
    // customHandleAcks (QoS 1/2); QoS 0, and every QoS under 3.1.1, is handled here.
    c.handleMessage = (packet, callback) => {
      if (version === 5 && packet.qos !== 0) return callback();
      handle(packet).then(
        () => callback(),
        () => {
          if (packet.qos === 0) callback();
          else c.stream?.destroy();
        },
      );
    };
    clients.push(c);
  }

  return {
    clients,
    async subscribe(filters, subOptions) {
      const qos = subOptions?.qos ?? 1;
      const granted = await Promise.all(clients.map((c) => c.subscribeAsync(share(filters), { qos })));
      for (const list of granted) {
        for (const g of list) {
          if (g.qos === 128) throw new Error(`the broker refused the subscription to ${g.topic}`);
        }
      }
      return granted;
    },
    async unsubscribe(filters) {
      await Promise.all(clients.map((c) => c.unsubscribeAsync(share(filters))));
    },
    onMessage(h) {
      handler = h;
      handlerSet();
    },
    async close() {
      await Promise.all(clients.map((c) => c.endAsync(true)));
    },
  };
}
