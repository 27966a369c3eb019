import { MESSAGE_ID_PROPERTY } from '@iotgw/contracts';
import { connectAsync, type MqttClient } from 'mqtt';

export interface RecordedMessage {
  topic: string;
  payload: string;
  retain: boolean;
  /** The `iotgw-msg-id` user property (MQTT 5 only). */
  msgId: string | undefined;
  /** The `iotgw-replaces` user property: outbox seqs this message replaced before they were sent. */
  replaces?: string | undefined;
  receivedAt: number;
}

export interface MqttRecorder {
  readonly client: MqttClient;
  readonly messages: RecordedMessage[];
  close(): Promise<void>;
}

/**
 * A plain MQTT.js subscriber that records what arrives (the consumer side of a test). With `clean: false`
 * it keeps a persistent session, so the broker queues QoS 1 messages while it is away.
 */
export async function recordMqtt(
  url: string,
  filters: string | readonly string[],
  options: { protocolVersion: 4 | 5; clientId?: string; clean?: boolean },
): Promise<MqttRecorder> {
  const clean = options.clean ?? true;
  const client = await connectAsync(url, {
    protocolVersion: options.protocolVersion,
    clientId: options.clientId ?? `iotgw-test-rec-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    clean,
    reconnectPeriod: 200,
    connectTimeout: 5_000,
    ...(options.protocolVersion === 5 && !clean ? { properties: { sessionExpiryInterval: 600 } } : {}),
  });
  const messages: RecordedMessage[] = [];
  client.on('message', (topic, payload, packet) => {
    const raw = packet.properties?.userProperties?.[MESSAGE_ID_PROPERTY];
    const replaces = packet.properties?.userProperties?.['iotgw-replaces'];
    messages.push({
      topic,
      payload: payload.toString('utf8'),
      retain: packet.retain,
      msgId: typeof raw === 'string' ? raw : undefined,
      replaces: typeof replaces === 'string' ? replaces : undefined,
      receivedAt: Date.now(),
    });
  });
  await client.subscribeAsync(typeof filters === 'string' ? filters : [...filters], { qos: 1 });
  return { client, messages, close: () => client.endAsync(true) };
}
