import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, uniqueId, waitFor } from '@iotgw/testkit';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Chain } from '../src/chain.js';
import type { FlowSummary } from '../src/server-api.js';

/**
 * Bad input at every boundary of the running chain (in-process broker, SQLite, the stick simulator on a
 * pty): each test shows the error a user gets, and that the good readings around it are still stored.
 */
describe('bad input at every boundary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'iotgw-bad-input-'));
  const capture = join(dir, 'capture.jsonl');
  const gatewayId = uniqueId('bad');
  let chain: Chain;
  let client: MqttClient;

  const flow = async (code: string): Promise<FlowSummary> => {
    const found = (await chain.api?.flows())?.find((f) => f.code === code);
    if (!found) throw new Error(`no flow ${code}`);
    return found;
  };
  const grows = async (code: string, what: string) => {
    const before = (await flow(code)).counters.lastMsgId;
    await waitFor(
      async () => (await flow(code)).counters.lastMsgId > before,
      `${what}: new ${code} readings still stored`,
      30_000,
    );
  };

  beforeAll(async () => {
    // A BLE capture with good Thingy:52 adverts, one advert of the wrong length and one line that is not JSON.
    const good = (i: number) =>
      JSON.stringify({
        time: 1764000000000 + i * 11_000,
        address: 'F4:3C:21:0A:9B:11',
        rssi: -60,
        manufacturerData: `ffff0100022c0300${(200 + i).toString(16).padStart(2, '0')}04ffffffff0564`,
      });
    const lines = [
      good(0),
      '{"time": 1764000001000, "address": "F4:3C',
      JSON.stringify({ time: 1764000002000, address: 'F4:3C:21:0A:9B:12', manufacturerData: 'ffff0100' }),
      good(1),
      good(2),
      good(3),
    ];
    writeFileSync(capture, `${lines.join('\n')}\n`);
    chain = new Chain({
      dataDir: join(dir, 'data'),
      gatewayId,
      stick: 'pty',
      meterIntervalMs: 500,
      bleCapture: capture,
      logLevel: 'info',
    });
    await chain.start();
    await chain.provisionDemoMeters();
    client = await connectAsync(chain.mqttUrl, { protocolVersion: 4 });
  });

  afterAll(async () => {
    await client?.endAsync();
    await chain?.stop();
  });

  it('garbage on the serial line: counted and skipped, readings keep flowing', async () => {
    const peer = chain.stickPeer;
    expect(peer, 'the stick simulator runs on a pty (socat)').toBeDefined();
    writeFileSync(
      peer as string,
      Buffer.from('a5ff00zzzz\u0000\u00a5\u00a5garbage-from-a-noisy-line', 'latin1'),
    );
    await waitFor(async () => {
      const health = (await chain.edgeHealth()) as { wmbus?: Record<string, number> } | undefined;
      const w = health?.wmbus ?? {};
      return (
        (w['stick_resyncs'] ?? 0) + (w['stick_bytesDropped'] ?? 0) + (w['stick_protocolErrors'] ?? 0) > 0
      );
    }, 'the stick counters to show the garbage');
    await grows('meters', 'after serial garbage');
  });

  it('a malformed advert and a broken capture line: refused and counted, the other adverts stored', async () => {
    await waitFor(
      async () => (await flow('thingy52')).counters.lastMsgId >= 4,
      'the four good Thingy:52 readings',
    );
    expect(chain.edge?.lines.find((l) => l.includes('malformed capture line skipped'))).toMatch(/"line":2\b/);
    const metrics = await (await fetch(`http://127.0.0.1:${chain.edgeHealthPort}/metrics`)).text();
    expect(metrics).toMatch(/iotgw_edge_ble_adverts_total\{outcome="refused"\} [1-9]/);
    expect((await flow('thingy52')).counters.deadLetters).toBe(0);
  });

  it('a telegram with a wrong key: the meter status says wrong_key, the other meters keep reporting', async () => {
    const api = chain.api;
    const r = await api?.provision(gatewayId, [
      { deviceId: '32666857', manufacturerKey: 'kam', encryptionKey: '9A25139E3244CC2E391A8EF6B915B697' },
      { deviceId: '87654321', manufacturerKey: 'kam', encryptionKey: '00112233445566778899AABBCCDDEEFF' },
    ]);
    expect(r?.status).toBe(200);
    await waitFor(
      async () => {
        const m = await api?.request<{
          report: { meters: { deviceId: string; status: string; reason?: string }[] } | null;
        }>('GET', `/api/gateways/${gatewayId}/meters`);
        return (
          m?.body.report?.meters.some(
            (x) => x.deviceId === '87654321' && x.status === 'wrong_key' && /key/.test(x.reason ?? ''),
          ) === true
        );
      },
      'the wrong_key status with its reason',
      30_000,
    );
    await grows('meters', 'with a wrong key next to it');
  });

  it('a provisioning list with invalid entries: the API refuses it; sent on MQTT, the edge refuses those entries one by one', async () => {
    const list = [
      { deviceId: '32666857', manufacturerKey: 'kam', encryptionKey: '9A25139E3244CC2E391A8EF6B915B697' },
      { deviceId: '1234', manufacturerKey: 'kam', encryptionKey: '9A25139E3244CC2E391A8EF6B915B697' },
      { deviceId: '76348799', manufacturerKey: 'kam', encryptionKey: 'not-hex' },
    ];
    const refused = await chain.api?.provision(gatewayId, list);
    expect(refused?.status).toBe(400);
    expect(
      (refused?.body as { problems?: { path: string }[] } | undefined)?.problems?.map((p) => p.path),
    ).toEqual(['$[1].deviceId', '$[2].encryptionKey']);
    expect(JSON.stringify(refused?.body)).not.toContain('9A25139E3244CC2E391A8EF6B915B697');
    // Another sender (a legacy tool) publishes it straight to the gateway.
    await client.publishAsync(`v2/${gatewayId}/sensors/set`, JSON.stringify(list), { qos: 1 });
    type Report = { report: { meters: { deviceId: string; status: string; reason?: string }[] } | null };
    let meters: { deviceId: string; status: string; reason?: string }[] = [];
    await waitFor(
      async () => {
        const r = await chain.api?.request<Report>('GET', `/api/gateways/${gatewayId}/meters`);
        meters = r?.body.report?.meters ?? [];
        return meters.some((m) => m.deviceId === '1234');
      },
      'the edge status for the list sent on MQTT',
      30_000,
    );
    expect(meters.find((m) => m.deviceId === '1234')).toMatchObject({
      status: 'invalid',
      reason: expect.stringMatching(/8 digits/),
    });
    expect(meters.find((m) => m.deviceId === '76348799')).toMatchObject({
      status: 'invalid',
      reason: expect.stringMatching(/32 hex/),
    });
    expect(JSON.stringify(meters)).not.toContain('9A25139E3244CC2E391A8EF6B915B697');
    await grows('meters', 'after a partly invalid provisioning');
  });

  it('invalid JSON and a schema-violating payload on a flow topic: dead letters with reason and path', async () => {
    const topic = `${gatewayId}/AA:BB:CC:DD:EE:FF/update`;
    await client.publishAsync(topic, '{"timestamp": "2026-06-04T10:32:48Z", "temp": ', { qos: 1 });
    await client.publishAsync(topic, JSON.stringify({ timestamp: '2026-06-04T10:32:48Z', humidity: 'wet' }), {
      qos: 1,
    });
    type Dead = {
      deadLetters: { topic: string; reasonCode: string; reason: string; jsonPath: string | null }[];
    };
    let dead: Dead['deadLetters'] = [];
    await waitFor(async () => {
      dead =
        (await chain.api?.request<Dead>('GET', '/api/dead-letters?flow=thingy52'))?.body.deadLetters ?? [];
      return dead.length >= 2;
    }, 'two dead letters');
    const json = dead.find((d) => /JSON/i.test(d.reason));
    const schema = dead.find((d) => d.jsonPath === '$.humidity');
    expect(json, JSON.stringify(dead)).toBeDefined();
    expect(schema?.reason, JSON.stringify(dead)).toMatch(/humidity|integer/);
    await grows('meters', 'after dead letters');
  });

  it('a flow with an invalid topic filter or schema sent to the API: 400 naming the path', async () => {
    const bad = await chain.api?.request<{ problems: { path: string; message: string }[] }>(
      'POST',
      '/api/flows',
      {
        code: 'bad-topic',
        topic: 'sensors/#/x',
        action: 'STORE_DB',
      },
    );
    expect(bad?.status).toBe(400);
    expect(bad?.body.problems).toContainEqual(
      expect.objectContaining({ path: '$.topic', message: expect.stringMatching(/#/) }),
    );
    const schema = await chain.api?.request<{ problems: { path: string }[] }>('POST', '/api/flows', {
      code: 'bad-schema',
      topic: 'sensors/+/x',
      action: 'STORE_DB',
      payloadSchema: { temp: 'numbr' },
    });
    expect(schema?.status).toBe(400);
    expect(schema?.body.problems.map((p) => p.path)).toContain('$.payloadSchema.temp');
  });

  it('an unreachable HTTP endpoint: the message waits in the retry queue, nothing else is held up', async () => {
    const closed = await freePort();
    const created = await chain.api?.request('POST', '/api/flows', {
      code: 'post-unreachable',
      topic: `${gatewayId}/post/+`,
      action: 'POST_ENDPOINT',
      endpointUrl: `http://127.0.0.1:${closed}/ingest`,
    });
    expect(created?.status).toBe(201);
    await client.publishAsync(`${gatewayId}/post/a`, JSON.stringify({ v: 1 }), { qos: 1 });
    await waitFor(
      async () => {
        const text = (await chain.api?.request<string>('GET', '/metrics'))?.body ?? '';
        return /iotgw_router_retry_queue_depth\S* [1-9]/.test(String(text));
      },
      'the retry queue to hold the message',
      30_000,
    );
    expect(chain.server?.lines.join('\n')).toMatch(/ECONNREFUSED|unreachable|retry/i);
    await grows('meters', 'while an endpoint is down');
  });
});
