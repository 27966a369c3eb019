// The connector against a real broker: CI's Mosquitto when IOTGW_TEST_MQTT_URL is set, else an
// in-process aedes (MQTT 3.1.1 only). The same suite runs against both. Connection loss is made with a
// TCP proxy in front of the broker (the shared broker itself is never touched).
import { gatewayAvailability, thingyReading } from '@iotgw/contracts';
import { createTestLogger } from '@iotgw/logger';
import {
  type ConnectorOptions,
  type GatewayEvent,
  MemoryOutbox,
  MqttConnector,
  RegexInboundFilter,
  RegexOutboundFilter,
} from '@iotgw/mqtt-connector';
import { startTcpProxy, type TcpProxy, type TestBroker, testBroker } from '@iotgw/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Subscriber, subscribe } from './support/subscriber.js';
import { uniquePrefix, waitFor } from './support/wait.js';

let broker: TestBroker;
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  broker = await testBroker();
  console.info(
    `[connector suite] ${broker.kind} at ${broker.url} (MQTT ${broker.protocolVersion === 5 ? '5' : '3.1.1'})`,
  );
});
afterAll(async () => {
  await broker.close();
});
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

function connector(name: string, extra: Partial<ConnectorOptions> = {}) {
  const log = createTestLogger('connector-test');
  const c = new MqttConnector(
    {
      url: broker.url,
      clientId: `iotgw-t-${name}-${process.pid}-${Math.random().toString(36).slice(2, 6)}`,
      protocolVersion: broker.protocolVersion,
      reconnect: { initialMs: 50, maxMs: 300 },
      ...extra,
    },
    { logger: log.logger, outbox: new MemoryOutbox() },
  );
  cleanup.push(() => c.stop({ flushTimeoutMs: 1_000 }));
  return { c, log };
}

async function consumer(filter: string): Promise<Subscriber> {
  const s = await subscribe(broker.url, filter, { protocolVersion: broker.protocolVersion, clean: true });
  cleanup.push(() => s.close());
  return s;
}

async function proxy(): Promise<TcpProxy> {
  const u = new URL(broker.url);
  const p = await startTcpProxy({ host: u.hostname, port: Number(u.port) });
  cleanup.push(() => p.close());
  return p;
}

describe('MqttConnector against a real broker', () => {
  it('publishes QoS 1 through the outbox; publish() resolves with a stable id, broker or not', async () => {
    const prefix = uniquePrefix('pub');
    const sub = await consumer(`${prefix}/#`);
    const { c } = connector('pub');
    const first = await c.publish(`${prefix}/a`, 'one');
    await c.start();
    const second = await c.publish(`${prefix}/a`, Buffer.from('two'));
    expect(first.id).toMatch(/^[0-9a-f-]{36}:1$/);
    expect(second.id).toMatch(/:2$/);
    await waitFor(() => sub.messages.length === 2, 'both messages');
    expect(sub.messages.map((m) => m.payload)).toEqual(['one', 'two']);
    if (broker.protocolVersion === 5) expect(sub.messages.map((m) => m.msgId)).toEqual([first.id, second.id]);
    await waitFor(() => c.metrics().outbox.depth === 0, 'outbox drained');
    expect(c.metrics()).toMatchObject({ connected: true, outbox: { sent: 2, dropped: 0 }, inflight: 0 });
    await expect(c.publish(`${prefix}/+`, 'x')).rejects.toMatchObject({ code: 'MQTT_ERR_TOPIC' });
  });

  it('publishContract validates before the outbox (JSON path in the error) and retains retained contracts', async () => {
    const prefix = uniquePrefix('contract');
    const gatewayId = prefix.replaceAll('/', '_');
    const { c } = connector('contract');
    await expect(
      c.publishContract(thingyReading, { gatewayId, mac: 'C1A2B3C4D5E6' }, {
        timestamp: '2026-11-25T10:00:00Z',
        humidity: 'wet',
      } as never),
    ).rejects.toMatchObject({ code: 'PAYLOAD_ERR_SCHEMA', message: expect.stringContaining('$.humidity') });
    expect(c.metrics().outbox.depth).toBe(0);
    await c.start();
    const readings = await consumer(`${gatewayId}/+/update`);
    await c.publishContract(
      thingyReading,
      { gatewayId, mac: 'C1A2B3C4D5E6' },
      {
        timestamp: '2026-11-25T10:00:00Z',
        temp: 21.5,
      },
    );
    const topic = gatewayAvailability.build({ gatewayId });
    await c.publishContract(gatewayAvailability, { gatewayId }, 'online');
    await waitFor(() => readings.messages.length === 1 && c.metrics().outbox.depth === 0, 'sent');
    expect(JSON.parse(readings.messages[0]?.payload ?? '')).toEqual({
      timestamp: '2026-11-25T10:00:00Z',
      temp: 21.5,
    });
    const late = await consumer(topic);
    await waitFor(() => late.messages.length === 1, 'the retained message');
    expect(late.messages[0]).toMatchObject({ payload: 'online', retain: true });
    await c.publish(topic, '', { retain: true }); // clears the retained message
  });

  it('acknowledges only after the handler resolved: a rejected handler gets the message again after a reconnect', async () => {
    const prefix = uniquePrefix('ack');
    const p = await proxy();
    const { c } = connector('ack', { url: p.url('mqtt'), clean: false, sessionExpiryInterval: 60 });
    const seen: string[] = [];
    c.onMessage(async (m) => {
      seen.push(m.payload.toString());
      expect(m).toMatchObject({ topic: `${prefix}/x`, qos: 1, retain: false, connection: 0 });
      if (seen.length === 1) throw new Error('database down');
    });
    await c.start();
    await waitFor(() => c.connected, 'connected');
    expect(await c.subscribe(`${prefix}/x`)).toMatchObject([{ state: 'granted' }]);
    const { c: pub } = connector('ack-pub');
    await pub.start();
    await pub.publish(`${prefix}/x`, 'first');
    await waitFor(() => c.metrics().handlerErrors === 1, 'the failed handler');
    await pub.publish(`${prefix}/x`, 'second');
    await waitFor(() => seen.includes('second'), 'the next message (the connection keeps going)');
    expect(seen.filter((s) => s === 'first')).toHaveLength(1);
    await p.cut();
    await p.restore();
    await waitFor(
      () => seen.filter((s) => s === 'first').length === 2,
      'the unacknowledged message, redelivered',
    );
    expect(c.metrics()).toMatchObject({ handlerErrors: 1, received: 3, handled: 2 });
  });

  it('re-establishes subscriptions in the connect handler after a reconnect; unsubscribe removes them for good', async () => {
    const prefix = uniquePrefix('resub');
    const p = await proxy();
    const { c } = connector('resub', { url: p.url('mqtt'), subscriptions: [`${prefix}/given`] });
    const events: string[] = [];
    c.on('connected', () => events.push('connected'));
    c.on('disconnected', () => events.push('disconnected'));
    c.on('reconnecting', (e) => events.push(`reconnecting ${e.attempt}`));
    const got: string[] = [];
    c.onMessage(async (m) => {
      got.push(`${m.topic.slice(prefix.length + 1)} ${m.payload}`);
    });
    const pending = await c.subscribe(`${prefix}/runtime`, { qos: 1 });
    expect(pending).toMatchObject([{ filter: `${prefix}/runtime`, state: 'pending', grantedQos: null }]);
    await c.start();
    await waitFor(() => c.connected, 'connected');
    const granted = await c.subscribe([`${prefix}/later`], { qos: 1 });
    expect(granted).toMatchObject([{ state: 'granted', grantedQos: 1, reasonCode: 1 }]);
    expect(granted[0]?.reason).toMatch(/QoS 1/);
    await p.cut();
    await waitFor(() => events.includes('disconnected'), 'disconnected event');
    await c.unsubscribe(`${prefix}/later`);
    await p.restore();
    await waitFor(() => events.filter((e) => e === 'connected').length === 2, 'reconnected');
    expect(events).toContain('reconnecting 1');
    const { c: pub } = connector('resub-pub');
    await pub.start();
    const want = ['given 1', 'runtime 2'];
    await waitFor(() => {
      if (want.every((w) => got.includes(w))) return true;
      void pub.publish(`${prefix}/given`, '1');
      void pub.publish(`${prefix}/runtime`, '2');
      void pub.publish(`${prefix}/later`, '3');
      return false;
    }, 'messages on the restored subscriptions');
    expect(got.some((g) => g.startsWith('later'))).toBe(false);
    await expect(c.subscribe('a/#/b')).rejects.toThrow(/'#' must be the whole last level/);
  });

  it('publishes online (retained) after each connect; offline is the last will and is published on stop()', async () => {
    const prefix = uniquePrefix('avail');
    const topic = `${prefix}/status/availability`;
    const p = await proxy();
    const watch = await consumer(topic);
    const { c } = connector('avail', {
      url: p.url('mqtt'),
      will: { topic, online: 'online', offline: 'offline' },
    });
    await c.start();
    await waitFor(() => watch.messages.some((m) => m.payload === 'online'), 'online');
    await p.cut(); // the broker loses the connection without DISCONNECT: it publishes the will
    await waitFor(() => watch.messages.at(-1)?.payload === 'offline', 'the last will');
    await p.restore();
    await waitFor(() => watch.messages.at(-1)?.payload === 'online', 'online again');
    const disconnected = new Promise((resolve) => c.once('disconnected', resolve));
    await c.stop();
    await disconnected;
    await waitFor(() => watch.messages.at(-1)?.payload === 'offline', 'offline on stop');
    expect(watch.messages.map((m) => m.payload)).toEqual(['online', 'offline', 'online', 'offline']);
    const clear = connector('avail-clear');
    await clear.c.start();
    await clear.c.publish(topic, '', { retain: true });
    await clear.c.stop();
  });

  it('stop() sends what the outbox holds first; with the broker away, the messages stay for the next start', async () => {
    const prefix = uniquePrefix('stop');
    const sub = await consumer(`${prefix}/#`);
    const { c } = connector('stop');
    await c.start();
    await Promise.all(Array.from({ length: 300 }, (_, i) => c.publish(`${prefix}/n`, String(i))));
    await c.stop({ flushTimeoutMs: 10_000 });
    expect(c.metrics().outbox).toMatchObject({ depth: 0, sent: 300 });
    await waitFor(() => sub.messages.length === 300, 'all 300 at the subscriber');

    const p = await proxy();
    await p.cut();
    const outbox = new MemoryOutbox();
    const away = new MqttConnector(
      {
        url: p.url('mqtt'),
        clientId: `iotgw-t-stop-away-${process.pid}`,
        protocolVersion: broker.protocolVersion,
      },
      { logger: createTestLogger('stop-away').logger, outbox },
    );
    await away.start();
    for (let i = 0; i < 5; i++) await away.publish(`${prefix}/later`, String(i));
    await away.stop({ flushTimeoutMs: 60_000 }); // returns without waiting: nobody to flush to
    expect(outbox.depth).toBe(5);
    await p.restore();
    await away.start();
    await waitFor(() => outbox.depth === 0, 'sent after the next start');
    await away.stop();
  });

  it('turns received messages into internal events through the inbound filter; a throwing filter is counted', async () => {
    const prefix = uniquePrefix('inbound');
    let explode = false;
    const regex = new RegexInboundFilter([
      { regex: `^${prefix}/blocked/`, dispatch: [] },
      {
        regex: `^${prefix}/(?<room>[^/]+)/(?<kind>temp|co2)$`,
        dispatch: [{ varType: '{kind}', varName: '{room}.sensor' }],
      },
    ]);
    const filter = {
      accept(topic: string, payload: Buffer) {
        if (explode) throw new Error('filter bug');
        return regex.accept(topic, payload);
      },
    };
    const { c, log } = connector('inbound', { subscriptions: [`${prefix}/#`], inboundFilter: filter });
    const events: GatewayEvent[] = [];
    c.onEvent((e) => events.push(e));
    await c.start();
    await waitFor(() => c.connected, 'connected');
    const { c: pub } = connector('inbound-pub');
    await pub.start();
    await waitFor(() => {
      if (events.length > 0) return true;
      void pub.publish(`${prefix}/kitchen/temp`, '21.5');
      return false;
    }, 'an event');
    expect(events[0]).toMatchObject({
      varType: 'temp',
      varName: 'kitchen.sensor',
      value: 21.5,
      meta: { channel: 'control', topic: `${prefix}/kitchen/temp` },
    });
    const before = c.metrics();
    await pub.publish(`${prefix}/blocked/x`, '1');
    await pub.publish(`${prefix}/other`, '1');
    await waitFor(() => c.metrics().refusedInbound === before.refusedInbound + 2, 'two refusals');
    explode = true;
    await pub.publish(`${prefix}/kitchen/co2`, '400');
    await waitFor(() => c.metrics().filterErrors === 1, 'the filter error');
    expect(log.text()).toContain('inbound filter threw');
    explode = false;
    const count = events.length;
    await pub.publish(`${prefix}/kitchen/co2`, '410');
    await waitFor(() => events.length === count + 1, 'the connector still running');
  });

  it('emit(): outbound filter → topic (or null, counted) → publish', async () => {
    const prefix = uniquePrefix('emit');
    const sub = await consumer(`${prefix}/#`);
    const { c } = connector('emit', {
      outboundFilter: new RegexOutboundFilter([
        [`^(?<type>temperature|co2):(?<room>\\w+)$`, `${prefix}/{room}/{type}`],
      ]),
    });
    await c.start();
    const event = { varType: 'temperature', varName: 'kitchen', value: 21.5, timestamp: 1_764_064_800_000 };
    const sent = await c.emit(event);
    expect(sent?.id).toMatch(/:1$/);
    expect(await c.emit({ ...event, varType: 'secret' })).toBeNull();
    await waitFor(() => sub.messages.length === 1, 'the event on MQTT');
    expect(sub.messages[0]?.topic).toBe(`${prefix}/kitchen/temperature`);
    expect(JSON.parse(sub.messages[0]?.payload ?? '')).toEqual(event);
    expect(c.metrics()).toMatchObject({ refusedOutbound: 1, eventsOut: 1 });
    expect(sub.messages[0]).toMatchObject({ retain: false });
    // meta.retain publishes retained: a late subscriber still gets it
    await c.emit({ ...event, varName: 'hall', meta: { retain: true } });
    await waitFor(() => sub.messages.length === 2, 'the retained event, live');
    const late = await consumer(`${prefix}/hall/#`);
    await waitFor(() => late.messages.length === 1, 'the retained event');
    expect(late.messages[0]).toMatchObject({ topic: `${prefix}/hall/temperature`, retain: true });
    await c.publish(`${prefix}/hall/temperature`, '', { retain: true });
    const { c: closed } = connector('emit-default');
    expect(await closed.emit(event)).toBeNull();
    expect(closed.metrics().refusedByFilter).toBe(1);
  });
});
