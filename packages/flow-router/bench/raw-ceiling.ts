// (a) The broker ceiling: one MQTT.js QoS 1 subscriber that only acknowledges.
import mqtt from 'mqtt';
import { publish, until } from './bench-env.ts';

export interface RateResult {
  messages: number;
  ms: number;
  rate: number;
}

export async function rawCeiling(brokerUrl: string, count: number): Promise<RateResult> {
  const client = await mqtt.connectAsync(brokerUrl, {
    clientId: 'bench-raw',
    protocolVersion: 5,
    clean: true,
  });
  let received = 0;
  let first = 0;
  let last = 0;
  client.on('message', () => {
    received++;
    if (received === 1) first = performance.now();
    last = performance.now();
  });
  await client.subscribeAsync('bench/raw/#', { qos: 1 });
  const pub = publish({ url: brokerUrl, clientId: 'bench-raw-pub', topicPrefix: 'bench/raw', count });
  await until(() => received >= count, 300_000, 'raw subscriber');
  await pub;
  await client.endAsync();
  const ms = last - first;
  return { messages: received, ms, rate: ((received - 1) * 1000) / ms };
}
