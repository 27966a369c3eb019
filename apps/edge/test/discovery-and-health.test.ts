import { freePort, recordMqtt, startAedes, uniqueId, waitFor } from '@iotgw/testkit';
import { connectAsync } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { startEdge, tempDir, writeEdgeConfig } from './support/edge-harness.js';

describe('iotgw-edge: Home Assistant discovery, /healthz and /metrics', () => {
  it('announces heard devices, clears entities of devices that are gone, serves health and metrics', async () => {
    const broker = await startAedes();
    const gw = uniqueId('ha').replace(/-/g, '_');
    const prefix = 'homeassistant';
    // A retained config left by an earlier run for a meter that is no longer provisioned.
    const stale = `${prefix}/sensor/iotgw_${gw}_kam_99999999_total_energy_consumption_kwh/config`;
    const foreign = `${prefix}/sensor/someone_else_temperature/config`;
    const seed = await connectAsync(broker.url, { protocolVersion: 4 });
    await seed.publishAsync(stale, JSON.stringify({ name: 'old' }), { qos: 1, retain: true });
    await seed.publishAsync(foreign, JSON.stringify({ name: 'theirs' }), { qos: 1, retain: true });
    await seed.endAsync();

    const port = await freePort();
    const config = writeEdgeConfig(tempDir('ha'), {
      gatewayId: gw,
      mqtt: { url: broker.url },
      ble: { enabled: true, source: { kind: 'simulate', intervalMs: 500 } },
      homeAssistant: { enabled: true, prefix },
      health: { port, host: '127.0.0.1' },
    });
    const rec = await recordMqtt(broker.url, `${prefix}/#`, { protocolVersion: 4 });
    const edge = await startEdge(config);
    try {
      await waitFor(
        () => rec.messages.some((m) => m.topic === stale && m.payload === ''),
        'the stale entity to be cleared',
        15_000,
      );
      await waitFor(
        () =>
          rec.messages.some(
            (m) =>
              m.topic === `${prefix}/binary_sensor/iotgw_${gw}_f43c210a9b11_window/config` &&
              m.payload !== '',
          ),
        'the Thingy:52 window entity',
      );
      expect(rec.messages.some((m) => m.topic === foreign && m.payload === '')).toBe(false);
      const thingy = rec.messages.find((m) => m.topic.endsWith('_f43c210a9b11_temperature/config'));
      expect(JSON.parse(thingy?.payload ?? '{}')).toMatchObject({
        device_class: 'temperature',
        state_topic: `${gw}/F4:3C:21:0A:9B:11/update`,
        availability_topic: `v2/${gw}/status/availability`,
      });

      // Home Assistant restarts: it announces itself and every config is published again.
      const before = rec.messages.filter((m) => m.topic.endsWith('_f43c210a9b11_temperature/config')).length;
      await rec.client.publishAsync(`${prefix}/status`, 'online', { qos: 1 });
      await waitFor(
        () =>
          rec.messages.filter((m) => m.topic.endsWith('_f43c210a9b11_temperature/config')).length > before,
        'republished configs',
      );

      const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as Record<
        string,
        unknown
      >;
      expect(health).toMatchObject({ status: 'ok', gatewayId: gw, mqtt: { connected: true } });
      // One unit convention: durations in seconds with an `_s` suffix, like the health topic.
      expect(health).toMatchObject({
        uptime_s: expect.any(Number),
        outbox: { oldest_age_s: expect.any(Number) },
      });
      expect(JSON.stringify(health)).not.toMatch(/Ms"|_ms"/);
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toMatch(/iotgw_edge_ble_adverts_total\{outcome="reading"\} [1-9]/);
      expect(metrics).toContain('iotgw_edge_mqtt_connected 1');
      expect(metrics).toMatch(/iotgw_edge_outbox_depth \d+/);
      expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404);
    } finally {
      await edge.stop('SIGTERM');
      await rec.close();
      await broker.close();
    }
  });
});
