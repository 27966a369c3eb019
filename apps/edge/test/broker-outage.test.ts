import { recordMqtt, serviceEnv, startAedes, startMosquitto, uniqueId, waitFor } from '@iotgw/testkit';
import { defaultSimulatedMeters } from '@iotgw/wmbus/simulator';
import { describe, expect, it } from 'vitest';
import { provision, startEdge, tempDir, writeEdgeConfig } from './support/edge-harness.js';

const OUTAGE_MS = 20_000;
const omnipower = defaultSimulatedMeters.find((m) => m.id === '32666857');

/** Own broker: a private Mosquitto (project config, persistence on) when CI provides the binary, else aedes. */
async function ownBroker(): Promise<{
  url: string;
  protocolVersion: 4 | 5;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}> {
  if (serviceEnv.mosquittoBin) {
    const m = await startMosquitto();
    return { url: m.url, protocolVersion: 5, stop: m.stop, start: m.start, close: m.stop };
  }
  const a = await startAedes();
  return { url: a.url, protocolVersion: 4, stop: a.stop, start: a.start, close: a.close };
}

describe('iotgw-edge through a broker outage', () => {
  it(`delivers every reading produced during a ${OUTAGE_MS / 1000} s outage, in order per device`, async () => {
    const broker = await ownBroker();
    const gw = uniqueId('outage');
    const config = writeEdgeConfig(tempDir('outage'), {
      gatewayId: gw,
      mqtt: { url: broker.url, reconnect: { initialMs: 200, maxMs: 2000, factor: 2 } },
      ble: {
        enabled: true,
        source: { kind: 'simulate', intervalMs: 1000 },
        bindkeys: { 'A4:C1:38:00:00:02': 'env:E2E_BINDKEY' },
      },
      wmbus: { enabled: true, source: { kind: 'simulate', intervalMs: 1000 } },
    });
    const rec = await recordMqtt(broker.url, [`${gw}/+/update`, `v2/${gw}/+/+/data`, `v2/${gw}/+/data`], {
      protocolVersion: broker.protocolVersion,
      clean: false,
    });
    const edge = await startEdge(config);
    try {
      await provision(
        rec.client,
        gw,
        [{ deviceId: omnipower?.id, manufacturerKey: 'kam', encryptionKey: omnipower?.provisionKey }],
        '32666857',
      );
      await waitFor(
        () => rec.messages.some((m) => m.topic.endsWith('kam-32666857/data')),
        'meter data before the outage',
      );
      const before = rec.messages.length;
      const outageStart = Date.now();
      await broker.stop();
      await new Promise((r) => setTimeout(r, OUTAGE_MS));
      const outageEnd = Date.now();
      await broker.start();
      // Readings produced until a few seconds after the broker came back.
      await new Promise((r) => setTimeout(r, 5_000));
      const health = edge.lines.filter((l) => l.includes('connected to the broker')).length;
      expect(health).toBeGreaterThanOrEqual(2);

      // De-duplicate redeliveries (at-least-once): by message id with MQTT 5, by content with 3.1.1.
      const seen = new Set<string>();
      const unique = rec.messages.filter((m) => {
        const key = m.msgId ?? `${m.topic} ${m.payload}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      const series = (topicEnd: string, field: string) =>
        unique
          .filter((m) => m.topic.endsWith(topicEnd))
          .map((m) => JSON.parse(m.payload) as Record<string, number | string>)
          .map((p) => ({ seq: p[field] as number, ts: Date.parse(String(p['timestamp'])) }));

      const ruuvi = series('/ble/C8:25:4E:1D:77:02/data', 'measurement_sequence');
      const bthome = series('/ble/A4:C1:38:00:00:01/data', 'packet_id');
      const meter = series('kam-32666857/data', 'total_energy_consumption_kwh');
      for (const [name, s, modulo] of [
        ['ruuvi', ruuvi, 65535],
        ['bthome', bthome, 256],
      ] as const) {
        // In order and gap-free: each reading is the next sequence number.
        for (let i = 1; i < s.length; i++)
          expect((s[i - 1]!.seq + 1) % modulo, `${name} reading ${i}`).toBe(s[i]!.seq);
        const during = s.filter((r) => r.ts >= outageStart && r.ts < outageEnd - 1000);
        expect(during.length, `${name} readings produced during the outage`).toBeGreaterThanOrEqual(
          OUTAGE_MS / 1000 - 3,
        );
      }
      for (let i = 1; i < meter.length; i++) expect(meter[i]!.seq).toBeGreaterThanOrEqual(meter[i - 1]!.seq);
      expect(
        meter.filter((r) => r.ts >= outageStart && r.ts < outageEnd - 1000).length,
      ).toBeGreaterThanOrEqual(OUTAGE_MS / 1000 - 3);
      expect(rec.messages.length).toBeGreaterThan(before);
    } finally {
      await edge.stop('SIGTERM');
      await rec.close();
      await broker.close();
    }
  }, 90_000);
});
