import { MESSAGE_ID_PROPERTY } from '@iotgw/contracts';
import { connectAsync, type MqttClient } from 'mqtt';

export interface Received {
  topic: string;
  payload: string;
  retain: boolean;
  msgId: string | undefined;
  userProperties: Record<string, string | string[]>;
}

export interface Subscriber {
  readonly client: MqttClient;
  readonly messages: Received[];
  /** Distinct keys seen (message id with MQTT 5, payload with 3.1.1). */
  readonly unique: Set<string>;
  close(): Promise<void>;
}

/**
 * A plain MQTT.js subscriber (the consumer side of the tests), with a persistent session so that the
 * broker queues QoS 1 messages while it is away. It reconnects every 200 ms.
 */
export async function subscribe(
  url: string,
  filter: string,
  options: { protocolVersion: 4 | 5; clientId?: string; clean?: boolean },
): Promise<Subscriber> {
  const clean = options.clean ?? false;
  const client = await connectAsync(url, {
    protocolVersion: options.protocolVersion,
    clientId: options.clientId ?? `iotgw-test-sub-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    clean,
    reconnectPeriod: 200,
    connectTimeout: 5_000,
    ...(options.protocolVersion === 5 && !clean ? { properties: { sessionExpiryInterval: 300 } } : {}),
  });
  const messages: Received[] = [];
  const unique = new Set<string>();
  client.on('message', (topic, payload, packet) => {
    const userProperties = packet.properties?.userProperties ?? {};
    const raw = userProperties[MESSAGE_ID_PROPERTY];
    const msgId = typeof raw === 'string' ? raw : undefined;
    const text = payload.toString('utf8');
    messages.push({ topic, payload: text, retain: packet.retain, msgId, userProperties });
    unique.add(msgId ?? `${topic} ${text}`);
  });
  await client.subscribeAsync(filter, { qos: 1 });
  return {
    client,
    messages,
    unique,
    close: async () => {
      await client.endAsync(true);
    },
  };
}
