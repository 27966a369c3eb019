import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type MosquittoProcess,
  type RecordedMessage,
  recordMqtt,
  skipIfMissing,
  startMosquitto,
  uniqueId,
  waitFor,
} from '@iotgw/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { Chain } from '../src/chain.js';
import { type FlowCount, outboxGaps, verifyExactlyOnce } from '../src/verify.js';

/**
 * Issue 21: lossless through a broker crash. Mosquitto with the project's shipped durability settings
 * (autosave every 5 s) PUBACKs readings it keeps in memory for the server's offline persistent session;
 * SIGKILL loses those since the last save. With receipts (server RECEIPTS=on, edge mqtt.receipts auto)
 * the edge keeps every reading until the server confirms it and resends after reconnecting: all stored
 * exactly once. With receipts off the same run loses readings, which the test requires (it can fail).
 * Edge, server (SQLite) and broker are real processes; the tap is an online MQTT 5 subscriber that sees
 * every message the broker accepted before it died.
 */
const needs = skipIfMissing('mosquitto');

interface Rig {
  chain: Chain;
  broker: MosquittoProcess;
  tap: Awaited<ReturnType<typeof recordMqtt>>;
}
const rigs: Rig[] = [];

afterEach(async () => {
  for (const r of rigs.splice(0)) {
    await r.chain.stop().catch(() => {});
    await r.tap.close().catch(() => {});
    await r.broker.stop();
  }
});

const isReading = (m: RecordedMessage) => m.topic.endsWith('/data') || m.topic.endsWith('/update');
const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

async function run(
  name: string,
  receipts: boolean,
): Promise<{ counts: FlowCount[]; killedAt: number; r: Rig }> {
  const broker = await startMosquitto();
  const gatewayId = uniqueId(name);
  const tap = await recordMqtt(broker.url, [`${gatewayId}/+/update`, `v2/${gatewayId}/#`], {
    protocolVersion: 5,
    clean: true,
  });
  const chain = new Chain({
    dataDir: mkdtempSync(join(tmpdir(), `iotgw-receipts-${name}-`)),
    gatewayId,
    mqttUrl: broker.url,
    stick: 'in-process',
    bleIntervalMs: 100,
    meterIntervalMs: 500,
    logLevel: 'warn',
    edgeReceipts: receipts ? 'auto' : 'off',
    edgeReceiptResendS: 1,
    serverEnv: { RECEIPTS: receipts ? 'on' : 'off' },
  });
  const r = { chain, broker, tap };
  rigs.push(r);
  const serverUp = Date.now();
  await chain.start();
  // Readings flow and (with receipts) the edge has had receipts: it keeps readings from now on.
  await waitFor(
    () =>
      tap.messages.filter((m) => m.topic.endsWith('/receipts')).length >= (receipts ? 3 : 0) &&
      tap.messages.filter(isReading).length >= 10,
    'readings flowing',
    20_000,
  );
  // The broker has saved the server's persistent session (autosave_interval 5 s) before it goes away.
  await sleep(Math.max(0, serverUp + 6_000 - Date.now()));
  expect(await chain.server?.stop('SIGTERM')).toBe(0);
  // The server is down: the broker PUBACKs readings and queues them in memory for its session.
  const downFrom = tap.messages.length;
  await waitFor(
    () => tap.messages.slice(downFrom).filter(isReading).length >= 20,
    'readings while the server is down',
    20_000,
  );
  await waitFor(
    () => {
      const last = tap.messages.at(-1);
      return last !== undefined && isReading(last) && Date.now() - last.receivedAt < 200;
    },
    'a fresh reading',
    5_000,
  );
  const killedAt = Date.now();
  await broker.kill();
  await sleep(300);
  await broker.start();
  await chain.startServer();
  // Readings published after the restart are stored (the chain runs again), then production stops.
  const restartFrom = tap.messages.length;
  await waitFor(
    () => tap.messages.slice(restartFrom).filter(isReading).length >= 10,
    'readings after the restart',
    20_000,
  );
  // The edge keeps running: once receipts show the server has passed the readings the crash lost, it
  // sends them again (after mqtt.receiptResendS). Wait until only fresh readings are unstored.
  const tappedAt = new Map(tap.messages.map((m) => [m.msgId, m.receivedAt]));
  await waitFor(
    async () => {
      const now = Date.now();
      for (const m of tap.messages) if (!tappedAt.has(m.msgId)) tappedAt.set(m.msgId, m.receivedAt);
      const c = await verifyExactlyOnce(chain.databaseUrl, tap.messages);
      return c.every(
        (f) => f.missingCount <= 10 && f.missing.every((id) => (tappedAt.get(id) ?? 0) > now - 1_500),
      );
    },
    'only fresh readings unstored',
    receipts ? 15_000 : 3_000,
  ).catch(() => {});
  expect(await chain.edge?.stop('SIGTERM')).toBe(0);
  let counts: FlowCount[] = [];
  await waitFor(
    async () => {
      counts = await verifyExactlyOnce(chain.databaseUrl, tap.messages);
      return counts.every((c) => c.stored === c.produced);
    },
    'every reading stored',
    receipts ? 15_000 : 3_000,
  ).catch(() => {});
  const line = counts.map(
    (c) =>
      `${c.flow}: produced ${c.produced}, stored ${c.stored}, missing ${c.missingCount}, duplicates ${c.duplicateRecords}`,
  );
  console.log(`[receipts ${name}] ${line.join(' | ')}`);
  return { counts, killedAt, r };
}

describe.skipIf(needs)(
  'lossless through a broker crash (edge → Mosquitto, SIGKILLed → server → SQLite)',
  () => {
    it('with receipts every reading the broker accepted is stored exactly once; without them readings are lost', async () => {
      const [on, off] = await Promise.all([run('on', true), run('off', false)]);
      const ble = on.counts.find((c) => c.flow === 'ble');
      expect(ble?.produced, 'BLE readings produced').toBeGreaterThan(50);
      for (const c of on.counts) {
        expect({ flow: c.flow, missing: c.missing, unexpected: c.unexpected }).toEqual({
          flow: c.flow,
          missing: [],
          unexpected: [],
        });
        expect(c.stored, `${c.flow}: stored exactly what was produced`).toBe(c.produced);
        expect(c.duplicateRecords, `${c.flow}: no record twice`).toBe(0);
        expect(c.gapFree, `${c.flow}: msg ids 1..last_msg_id`).toBe(true);
      }
      expect(outboxGaps(on.r.tap.messages).gaps).toEqual([]);
      // The edge sent the readings without a receipt again after the broker came back.
      const seen = new Set<string>();
      let resent = 0;
      for (const m of on.r.tap.messages.filter(isReading)) {
        if (m.msgId && seen.has(m.msgId)) resent++;
        if (m.msgId) seen.add(m.msgId);
      }
      expect(resent, 'readings sent again after the crash').toBeGreaterThan(0);
      // Receipts off: the readings the broker PUBACKed since its last save died with it.
      const lost = off.counts.reduce((n, c) => n + c.missingCount, 0);
      expect(lost, 'readings lost without receipts').toBeGreaterThan(0);
      for (const c of off.counts) expect(c.duplicateRecords).toBe(0);
      const lostIds = new Set(off.counts.flatMap((c) => c.missing));
      for (const m of off.r.tap.messages) {
        if (m.msgId && lostIds.has(m.msgId)) expect(m.receivedAt).toBeLessThanOrEqual(off.killedAt);
      }
    }, 90_000);
  },
);
