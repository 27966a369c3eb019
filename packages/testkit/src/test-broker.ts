import { startAedes } from './aedes-broker.js';
import { assertServiceAnswers, serviceEnv } from './services.js';

export interface TestBroker {
  readonly url: string;
  readonly kind: 'mosquitto' | 'aedes';
  /** MQTT protocol versions the broker speaks (aedes: 3.1.1 only). */
  readonly protocolVersion: 4 | 5;
  close(): Promise<void>;
}

/**
 * The broker an MQTT test suite runs against: CI's Mosquitto when IOTGW_TEST_MQTT_URL is set (it must
 * answer), otherwise an in-process aedes on a random port. The same suite runs against both.
 */
export async function testBroker(): Promise<TestBroker> {
  if (serviceEnv.mqttUrl) {
    await assertServiceAnswers('Mosquitto', serviceEnv.mqttUrl);
    return { url: serviceEnv.mqttUrl, kind: 'mosquitto', protocolVersion: 5, close: async () => {} };
  }
  const aedes = await startAedes();
  return { url: aedes.url, kind: 'aedes', protocolVersion: 4, close: () => aedes.close() };
}
