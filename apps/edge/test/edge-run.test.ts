import { allContracts, meterData } from '@iotgw/contracts';
import {
  type ChildProgram,
  openPtyPair,
  type PtyPair,
  recordMqtt,
  type TestBroker,
  testBroker,
  uniqueId,
  waitFor,
} from '@iotgw/testkit';
import { defaultSimulatedMeters, SimulatedMeters, StickSimulator } from '@iotgw/wmbus/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bleCapture, provision, startEdge, tempDir, writeEdgeConfig } from './support/edge-harness.js';

const omnipower = defaultSimulatedMeters.find((m) => m.id === '32666857');
const wrongKey = defaultSimulatedMeters.find((m) => m.role === 'wrong_key');

describe('iotgw-edge run: simulator on a pty + BLE replay → real broker', () => {
  let broker: TestBroker;
  let pty: PtyPair;
  let sim: StickSimulator;
  const gw = uniqueId('e2e');
  const dir = tempDir('run');
  let config: string;
  const running: ChildProgram[] = [];

  beforeAll(async () => {
    broker = await testBroker();
    pty = await openPtyPair();
    sim = new StickSimulator({ path: pty.peer, source: new SimulatedMeters({ intervalMs: 400 }) });
    await sim.start();
    config = writeEdgeConfig(dir, {
      gatewayId: gw,
      mqtt: { url: broker.url },
      ble: {
        enabled: true,
        source: { kind: 'replay', file: bleCapture, speed: 50 },
        bindkeys: { 'A4:C1:38:00:00:02': 'env:E2E_BINDKEY' },
      },
      wmbus: { enabled: true, source: { kind: 'im871a', device: pty.device } },
    });
  });

  afterAll(async () => {
    for (const p of running) await p.stop('SIGKILL');
    await sim?.stop();
    await pty?.close();
    // Leave nothing retained on a shared broker.
    const cleaner = await recordMqtt(broker.url, `v2/${gw}/#`, { protocolVersion: broker.protocolVersion });
    await new Promise((r) => setTimeout(r, 300));
    for (const topic of new Set(cleaner.messages.filter((m) => m.retain).map((m) => m.topic))) {
      await cleaner.client.publishAsync(topic, '', { qos: 1, retain: true });
    }
    await cleaner.close();
    await broker?.close();
  });

  it('publishes exactly the contract topics and payloads; provisioning makes meter data appear; a wrong key is reported', async () => {
    const rec = await recordMqtt(broker.url, [`${gw}/+/update`, `v2/${gw}/#`], {
      protocolVersion: broker.protocolVersion,
    });
    const edge = await startEdge(config);
    running.push(edge);

    // The capture yields 40 readings (4 Thingy:52, 24 BTHome, 12 Ruuvi) after de-duplication.
    const ble = () => rec.messages.filter((m) => m.topic.endsWith('/update') || m.topic.includes('/ble/'));
    await waitFor(() => ble().length >= 40, '40 BLE readings');

    const provisioning = [
      {
        DeviceId: omnipower?.id,
        ManufacturerKey: 'kam',
        EncryptionKey: omnipower?.provisionKey,
        ManufacturerDeviceKey: 'OmniPower1',
      },
      {
        deviceId: wrongKey?.id,
        manufacturerKey: 'kam',
        encryptionKey: wrongKey?.provisionKey,
        manufacturerDeviceKey: 'OmniPower2',
      },
      { deviceId: '1234', manufacturerKey: 'kam', encryptionKey: 'nothex' },
    ];
    await provision(rec.client, gw, provisioning, '32666857');
    const dataTopic = meterData.build({ gatewayId: gw, manufacturerKey: 'kam', deviceId: '32666857' });
    await waitFor(() => rec.messages.filter((m) => m.topic === dataTopic).length >= 3, 'OmniPower readings');
    const lastStatus = () =>
      rec.messages
        .filter((m) => m.topic === `v2/${gw}/status/meters`)
        .map(
          (m) => JSON.parse(m.payload) as { meters: { deviceId: string; status: string; reason?: string }[] },
        )
        .at(-1);
    await waitFor(
      () =>
        lastStatus()?.meters.some((m) => m.deviceId === wrongKey?.id && m.status === 'wrong_key') === true,
      'wrong_key status',
    );

    expect(await edge.stop('SIGTERM')).toBe(0);
    await waitFor(
      () => rec.messages.some((m) => m.topic === `v2/${gw}/status/availability` && m.payload === 'offline'),
      'offline',
    );
    await rec.close();

    // Every message matches a contract and its payload validates.
    for (const m of rec.messages) {
      const contract = allContracts.find((c) => c.match(m.topic) !== null);
      expect(contract, `no contract for ${m.topic}`).toBeDefined();
      const parsed = contract?.parse(m.payload);
      expect(parsed?.ok ? 'ok' : `${m.topic}: ${parsed?.error.message}`).toBe('ok');
    }
    const topics = new Set(rec.messages.map((m) => m.topic));
    expect([...topics].sort()).toEqual(
      [
        `${gw}/F4:3C:21:0A:9B:11/update`,
        `${gw}/F4:3C:21:0A:9B:12/update`,
        `v2/${gw}/ble/A4:C1:38:00:00:01/data`,
        `v2/${gw}/ble/A4:C1:38:00:00:02/data`,
        `v2/${gw}/ble/C5:1A:2B:3C:4D:5E/data`,
        dataTopic,
        `v2/${gw}/kam-32666857/config`,
        `v2/${gw}/kam-${wrongKey?.id}/config`,
        `v2/${gw}/sensors/set`,
        `v2/${gw}/status/availability`,
        `v2/${gw}/status/health`,
        `v2/${gw}/status/meters`,
      ].sort(),
    );
    expect(ble()).toHaveLength(40);
    const thingy = JSON.parse(rec.messages.find((m) => m.topic.endsWith('/update'))?.payload ?? '{}');
    expect(Object.keys(thingy)[0]).toBe('timestamp');
    const status = lastStatus();
    expect(status?.meters.find((m) => m.deviceId === '32666857')?.status).toBe('ok');
    expect(status?.meters.find((m) => m.deviceId === '1234')).toMatchObject({ status: 'invalid' });
    expect(JSON.stringify(status)).not.toContain(omnipower?.provisionKey);
    expect(edge.lines.join('\n')).not.toContain(omnipower?.provisionKey);
  });

  it('keeps its meters across a restart (no new provisioning)', async () => {
    const rec = await recordMqtt(broker.url, `v2/${gw}/kam-32666857/data`, {
      protocolVersion: broker.protocolVersion,
    });
    const edge = await startEdge(config);
    running.push(edge);
    await waitFor(() => rec.messages.length >= 2, 'OmniPower readings after the restart');
    expect(await edge.stop('SIGTERM')).toBe(0);
    await rec.close();
  });
});
