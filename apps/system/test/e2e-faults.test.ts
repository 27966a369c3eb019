import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createMysqlDatabase,
  type MosquittoProcess,
  recordMqtt,
  skipIfMissing,
  startMosquitto,
  startTcpProxy,
  type TcpProxy,
  type TestDatabase,
  uniqueId,
  waitFor,
} from '@iotgw/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { Chain } from '../src/chain.js';
import { type FlowCount, outboxGaps, verifyExactlyOnce } from '../src/verify.js';

/**
 * Edge (BLE simulation + iM871A simulator on a pty) → own Mosquitto (project config) → iotgw-server →
 * MariaDB (through a TCP proxy the test controls), with one fault injected mid-run per test. After the
 * edge has stopped and the server has drained, every message the edge published must be stored exactly
 * once, as records with a gap-free msg id per flow.
 */
const needs = skipIfMissing('mosquitto') || skipIfMissing('mysql');

interface Rig {
  chain: Chain;
  broker: MosquittoProcess;
  db: TestDatabase;
  proxy: TcpProxy;
  tap: Awaited<ReturnType<typeof recordMqtt>>;
}

const rigs: Rig[] = [];

async function rig(name: string): Promise<Rig> {
  const broker = await startMosquitto();
  const db = await createMysqlDatabase('iotgw_e2e');
  const target = new URL(db.url);
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 3306) });
  const proxied = new URL(db.url);
  proxied.host = `127.0.0.1:${proxy.port}`;
  const gatewayId = uniqueId(name);
  const tap = await recordMqtt(broker.url, [`${gatewayId}/+/update`, `v2/${gatewayId}/#`], {
    protocolVersion: 5,
    clean: false,
  });
  const chain = new Chain({
    dataDir: mkdtempSync(join(tmpdir(), `iotgw-e2e-${name}-`)),
    gatewayId,
    mqttUrl: broker.url,
    databaseUrl: proxied.toString(),
    stick: 'pty',
    bleIntervalMs: 500,
    meterIntervalMs: 500,
    logLevel: 'info',
  });
  const r = { chain, broker, db, proxy, tap };
  rigs.push(r);
  await chain.start();
  await chain.provisionDemoMeters();
  return r;
}

/** Stops production (edge SIGTERM flushes its outbox), then waits until the server has stored what the tap saw. */
async function drainAndCount(r: Rig): Promise<FlowCount[]> {
  expect(await r.chain.edge?.stop('SIGTERM')).toBe(0);
  let counts: FlowCount[] = [];
  await waitFor(
    async () => {
      counts = await verifyExactlyOnce(r.db.url, r.tap.messages);
      return counts.every((c) => c.stored === c.produced);
    },
    'the server to store every produced message',
    60_000,
  ).catch(() => {});
  return counts;
}

function report(name: string, counts: readonly FlowCount[]): void {
  const line = counts
    .map(
      (c) =>
        `${c.flow}: produced ${c.produced}, stored ${c.stored}, records ${c.records}, duplicates ${c.duplicateRecords}, last_msg_id ${c.lastMsgId}`,
    )
    .join(' | ');
  console.log(`[e2e ${name}] ${line}`);
}

function expectExactlyOnce(r: Rig, counts: readonly FlowCount[]): void {
  expect(counts.map((c) => c.flow).sort()).toEqual(['ble', 'meters', 'thingy52']);
  for (const c of counts) {
    expect(c.produced, `${c.flow}: readings produced`).toBeGreaterThan(0);
    expect({ flow: c.flow, missing: c.missing, unexpected: c.unexpected }).toEqual({
      flow: c.flow,
      missing: [],
      unexpected: [],
    });
    expect(c.stored, `${c.flow}: stored exactly what was produced`).toBe(c.produced);
    expect(c.duplicateRecords, `${c.flow}: no record twice`).toBe(0);
    expect(c.lastMsgId, `${c.flow}: last_msg_id`).toBe(c.stored);
    expect(c.gapFree, `${c.flow}: msg ids 1..last_msg_id`).toBe(true);
  }
  // Everything the edge published (the provisioning message comes from the server's own outbox).
  const gaps = outboxGaps(r.tap.messages.filter((m) => !m.topic.endsWith('/sensors/set')));
  expect(gaps.gaps, 'outbox sequence numbers the broker never saw').toEqual([]);
}

afterEach(async () => {
  for (const r of rigs.splice(0)) {
    await r.chain.stop().catch(() => {});
    await r.tap.close().catch(() => {});
    await r.proxy.close();
    await r.broker.stop();
    await r.db.drop().catch(() => {});
  }
});

const flowing = (r: Rig, min: number) =>
  waitFor(
    () =>
      r.tap.messages.filter((m) => m.topic.endsWith('/data') || m.topic.endsWith('/update')).length >= min,
    `${min} readings`,
    60_000,
  );

describe.skipIf(needs)('end to end under faults (edge → Mosquitto → server → MariaDB)', () => {
  it('the broker restarted', async () => {
    const r = await rig('broker');
    await flowing(r, 20);
    await r.broker.stop();
    await new Promise((res) => setTimeout(res, 3_000));
    await r.broker.start();
    await flowing(r, r.tap.messages.length + 20);
    const counts = await drainAndCount(r);
    report('broker restarted', counts);
    expectExactlyOnce(r, counts);
  });

  it('the server killed with SIGKILL and restarted', async () => {
    const r = await rig('server');
    await flowing(r, 20);
    await r.chain.server?.stop('SIGKILL');
    await new Promise((res) => setTimeout(res, 2_000));
    await r.chain.startServer();
    await flowing(r, r.tap.messages.length + 20);
    const counts = await drainAndCount(r);
    report('server SIGKILL', counts);
    expectExactlyOnce(r, counts);
  });

  it('the database unreachable for 15 s', async () => {
    const r = await rig('database');
    await flowing(r, 20);
    await r.proxy.cut();
    await new Promise((res) => setTimeout(res, 15_000));
    await r.proxy.restore();
    await flowing(r, r.tap.messages.length + 20);
    const counts = await drainAndCount(r);
    report('database outage 15 s', counts);
    expectExactlyOnce(r, counts);
  });

  it('the edge killed with SIGKILL and restarted (its outbox replays)', async () => {
    const r = await rig('edge');
    await flowing(r, 20);
    await r.chain.edge?.stop('SIGKILL');
    await new Promise((res) => setTimeout(res, 1_000));
    await r.chain.startEdge();
    await flowing(r, r.tap.messages.length + 20);
    const counts = await drainAndCount(r);
    report('edge SIGKILL', counts);
    expectExactlyOnce(r, counts);
  });
});
