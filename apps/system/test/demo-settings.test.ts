import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, testBroker, uniqueId } from '@iotgw/testkit';
import { SimulatedMeters } from '@iotgw/wmbus/simulator';
import { connectAsync } from 'mqtt';
import { describe, expect, it } from 'vitest';
import {
  checkoutName,
  clearRetained,
  demoSettings,
  readDemoState,
  writeDemoState,
} from '../src/demo-settings.js';

/** The demo (`npm start`) on a shared broker, restarted, and asked for help. */
describe('demo settings', () => {
  it('--help prints what the demo does and its settings, and starts nothing', () => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'apps/system/dist/demo.js'), '--help'], {
      encoding: 'utf8',
      cwd: mkdtempSync(join(tmpdir(), 'iotgw-demo-help-')),
      timeout: 20_000,
    });
    expect(r.status).toBe(0);
    for (const setting of ['MQTT_URL', 'DATABASE_URL', 'HTTP_PORT', 'IOTGW_GATEWAY_ID', 'MQTT_CLIENT_ID']) {
      expect(r.stdout).toContain(setting);
    }
    expect(r.stdout).not.toContain('starting the whole chain');
  });

  it('names the gateway and the MQTT client after the checkout unless told otherwise', () => {
    const a = checkoutName('/home/a/iotgw');
    expect(a).toMatch(/^demo-[0-9a-f]{8}$/);
    expect(checkoutName('/home/a/iotgw')).toBe(a);
    expect(checkoutName('/home/b/iotgw')).not.toBe(a);
    const defaults = demoSettings({});
    expect(defaults.gatewayId).toBe(checkoutName());
    expect(defaults.mqttClientId).toBe(`iotgw-server-${defaults.gatewayId}`);
    const given = demoSettings({ IOTGW_GATEWAY_ID: 'lab-1', MQTT_CLIENT_ID: 'me', HTTP_PORT: '9090' });
    expect(given).toMatchObject({ gatewayId: 'lab-1', mqttClientId: 'me', httpPort: 9090 });
    expect(() => demoSettings({ HTTP_PORT: 'eighty' })).toThrow(
      'HTTP_PORT: must be a port number (got "eighty")',
    );
  });

  it('a restarted demo continues its clock and its meter totals', () => {
    const dir = mkdtempSync(join(tmpdir(), 'iotgw-demo-state-'));
    expect(readDemoState(dir)).toEqual({ elapsedMs: 0 });
    writeDemoState(dir, { elapsedMs: 61_000 });
    expect(readDemoState(dir)).toEqual({ elapsedMs: 61_000 });

    // The restarted run's first round is round 10 of a run that never stopped: same telegrams (same
    // access numbers and totals), so the totals go on instead of starting over.
    const n = new SimulatedMeters().meters.length;
    const first = [...new SimulatedMeters({ limit: 11 * n }).generate()].slice(10 * n);
    const again = [...new SimulatedMeters({ limit: n, startRound: 10 }).generate()];
    expect(again.map((t) => Buffer.from(t.bytes).toString('hex'))).toEqual(
      first.map((t) => Buffer.from(t.bytes).toString('hex')),
    );
    expect(again[0]?.atMs).toBe(0);
  });

  it('removes the retained topics its gateway left on a shared broker', async () => {
    const broker = await testBroker();
    const gw = uniqueId('demo');
    const other = uniqueId('other');
    const c = await connectAsync(broker.url, { protocolVersion: broker.protocolVersion });
    try {
      await c.publishAsync(`v2/${gw}/status/availability`, 'offline', { retain: true, qos: 1 });
      await c.publishAsync(`v2/${gw}/kam-32666857/config`, '{}', { retain: true, qos: 1 });
      await c.publishAsync(`v2/${other}/status/availability`, 'online', { retain: true, qos: 1 });
      const cleared = await clearRetained(broker.url, gw, 500);
      expect(cleared.sort()).toEqual([`v2/${gw}/kam-32666857/config`, `v2/${gw}/status/availability`]);
      const left: string[] = [];
      c.on('message', (topic, payload) => {
        if (payload.length) left.push(topic);
      });
      await c.subscribeAsync([`v2/${gw}/#`, `v2/${other}/#`], { qos: 1 });
      await new Promise((r) => setTimeout(r, 500));
      expect(left).toEqual([`v2/${other}/status/availability`]);
    } finally {
      await c.publishAsync(`v2/${other}/status/availability`, '', { retain: true, qos: 1 });
      await c.endAsync();
      await broker.close();
    }
  });
});
