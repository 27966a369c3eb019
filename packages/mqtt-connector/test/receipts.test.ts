// Receipts: the outbox keeps chosen messages after the broker's PUBACK until the server's receipt
// covers them, and sends them again when none comes in time. Against a real broker (testBroker).
import { createTestLogger } from '@iotgw/logger';
import { type ConnectorOptions, MemoryOutbox, MqttConnector } from '@iotgw/mqtt-connector';
import { startTcpProxy, type TestBroker, testBroker } from '@iotgw/testkit';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { type Subscriber, subscribe } from './support/subscriber.js';
import { uniquePrefix, waitFor } from './support/wait.js';

let broker: TestBroker;
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  broker = await testBroker();
});
afterAll(async () => {
  await broker.close();
});
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

function connector(
  _name: string,
  receipts: ConnectorOptions['receipts'],
  maxMessages?: number,
  url?: string,
) {
  const outbox = new MemoryOutbox(maxMessages ? { maxMessages } : {});
  const c = new MqttConnector(
    {
      url: url ?? broker.url,
      clientId: `iotgw-t-rc-${process.pid}-${Math.random().toString(36).slice(2, 6)}`,
      protocolVersion: broker.protocolVersion,
      reconnect: { initialMs: 50, maxMs: 300 },
      ...(receipts ? { receipts } : {}),
    },
    { logger: createTestLogger('receipts-test').logger, outbox },
  );
  cleanup.push(() => c.stop({ flushTimeoutMs: 500 }));
  return { c, outbox };
}

async function consumer(filter: string): Promise<Subscriber> {
  const s = await subscribe(broker.url, filter, { protocolVersion: broker.protocolVersion, clean: true });
  cleanup.push(() => s.close());
  return s;
}

const receipt = (outbox: string, ranges: [number, number][]) =>
  JSON.stringify({ outboxes: [{ outbox, ranges }] });

it('on: readings stay after PUBACK until a receipt covers them; status leaves; lost ones are sent again', async () => {
  const prefix = uniquePrefix('rc-on');
  const sub = await consumer(`${prefix}/#`);
  const waitsFor = (topic: string) => topic.endsWith('/data');
  const { c, outbox } = connector(prefix, { mode: 'on', waitsFor, resendAfterMs: 300 });
  await c.start();
  for (let i = 1; i <= 3; i++) await c.publish(`${prefix}/r/data`, `r${i}`);
  await c.publish(`${prefix}/status`, 'ok');
  await waitFor(() => sub.messages.length >= 4, 'all four at the consumer');
  await waitFor(() => c.metrics().receipts.waiting === 3, 'three readings waiting for a receipt');
  expect(outbox.depth).toBe(3);
  // No receipt at all (the server is away): nothing is sent again, its session holds the messages.
  await new Promise((r) => setTimeout(r, 1_000));
  expect(sub.messages).toHaveLength(4);
  // A receipt for another outbox, and a broken one, remove nothing.
  expect(c.receipt(receipt('someone-else', [[1, 3]]))).toEqual({ removed: 0 });
  expect(c.receipt('{"outboxes":[]}')).toHaveProperty('problem');
  // The server confirms r2 and r3 but not r1: r1 was lost; it is sent again (same id) after resendAfterMs.
  expect(c.receipt(receipt(outbox.id, [[2, 3]]))).toEqual({ removed: 2 });
  await waitFor(() => outbox.depth === 1, 'two receipted readings removed');
  await waitFor(() => sub.messages.filter((m) => m.payload === 'r1').length >= 2, 'r1 sent again');
  expect(sub.messages.filter((m) => m.payload === 'r2')).toHaveLength(1);
  const copies = sub.messages.filter((m) => m.payload === 'r1');
  if (broker.protocolVersion === 5) expect(copies[1]?.msgId).toBe(copies[0]?.msgId);
  c.receipt(receipt(outbox.id, [[1, 1]]));
  await waitFor(() => outbox.depth === 0, 'r1 removed by its receipt');
  expect(c.metrics().receipts).toMatchObject({ mode: 'on', active: true, waiting: 0, receipted: 3 });
  expect(c.metrics().receipts.resends).toBeGreaterThanOrEqual(1);
});

it('auto: behaves as off until the first receipt, then keeps readings; off ignores receipts', async () => {
  const prefix = uniquePrefix('rc-auto');
  const sub = await consumer(`${prefix}/#`);
  const waitsFor = () => true;
  let learned = 0;
  const onLearned = () => learned++;
  const { c, outbox } = connector(prefix, { mode: 'auto', waitsFor, resendAfterMs: 60_000, onLearned });
  await c.start();
  await c.publish(`${prefix}/data`, 'a1');
  await waitFor(() => sub.messages.length >= 1 && outbox.depth === 0, 'a1 removed on PUBACK');
  expect(c.metrics().receipts.active).toBe(false);
  c.receipt(receipt(outbox.id, [[1, 1]]));
  c.receipt(receipt(outbox.id, [[1, 1]]));
  expect(c.metrics().receipts.active).toBe(true);
  expect(learned, 'onLearned called once').toBe(1);
  // Remembered by an earlier run: active from the start.
  expect(connector('x', { mode: 'auto', waitsFor, learned: true }).c.metrics().receipts.active).toBe(true);
  await c.publish(`${prefix}/data`, 'a2');
  await waitFor(() => sub.messages.length >= 2 && c.metrics().receipts.waiting === 1, 'a2 kept');
  expect(outbox.depth).toBe(1);
  // stop() does not wait for receipts: the kept message is sent, it stays for the next start.
  const started = Date.now();
  await c.stop({ flushTimeoutMs: 5_000 });
  expect(Date.now() - started).toBeLessThan(4_000);
  expect(outbox.depth).toBe(1);

  const off = connector(prefix, { mode: 'off', waitsFor });
  await off.c.start();
  await off.c.publish(`${prefix}/data`, 'o1');
  await waitFor(() => sub.messages.length >= 3 && off.outbox.depth === 0, 'o1 removed on PUBACK');
  expect(off.c.receipt(receipt(off.outbox.id, [[1, 1]]))).toEqual({ removed: 0 });
  expect(off.c.metrics().receipts.active).toBe(false);
});

it('the outbox bound holds for readings waiting for receipts; what it dropped is no longer counted as waiting', async () => {
  const prefix = uniquePrefix('rc-bound');
  const sub = await consumer(`${prefix}/#`);
  const { c, outbox } = connector('bound', { mode: 'on', waitsFor: () => true }, 3);
  await c.start();
  for (let i = 1; i <= 3; i++) await c.publish(`${prefix}/data`, `b${i}`);
  await waitFor(() => sub.messages.length >= 3 && c.metrics().receipts.waiting === 3, 'three waiting');
  for (let i = 4; i <= 5; i++) await c.publish(`${prefix}/data`, `b${i}`);
  await waitFor(() => sub.messages.length >= 5, 'all five sent');
  await waitFor(() => c.metrics().receipts.waiting === 3, 'waiting follows the outbox');
  expect(outbox.depth).toBe(3);
  expect(c.metrics().outbox.dropped).toBe(2);
});

it('a reconnect does not send the readings that only wait for a receipt again (no copies piling up at the broker)', async () => {
  const prefix = uniquePrefix('rc-reconnect');
  const sub = await consumer(`${prefix}/#`);
  const u = new URL(broker.url);
  const proxy = await startTcpProxy({ host: u.hostname, port: Number(u.port) });
  cleanup.push(() => proxy.close());
  const { c } = connector('reconnect', { mode: 'on', waitsFor: () => true }, undefined, proxy.url('mqtt'));
  await c.start();
  for (let i = 1; i <= 3; i++) await c.publish(`${prefix}/data`, `k${i}`);
  await waitFor(() => sub.messages.length >= 3 && c.metrics().receipts.waiting === 3, 'three waiting');
  await proxy.cut();
  await waitFor(() => !c.connected, 'the connection dropped');
  await proxy.restore();
  await waitFor(() => c.connected, 'connected again');
  await c.publish(`${prefix}/data`, 'k4');
  await waitFor(() => sub.messages.length >= 4, 'k4 at the consumer');
  await new Promise((r) => setTimeout(r, 300));
  expect(sub.messages.map((m) => m.payload).sort()).toEqual(['k1', 'k2', 'k3', 'k4']);
  expect(c.metrics().receipts.waiting).toBe(4);
});

it('refuses bad receipt options', () => {
  expect(() => connector('x', { mode: 'sometimes' as never, waitsFor: () => true })).toThrow(
    /off, auto or on/,
  );
  expect(() => connector('x', { mode: 'on', waitsFor: () => true, resendAfterMs: 5 })).toThrow(/>= 100/);
});
