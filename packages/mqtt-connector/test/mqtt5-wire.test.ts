// MQTT 5 behaviour checked on the wire against a scripted peer (aedes speaks 3.1.1 only, and a real
// broker does not show which PUBACK reason code a subscriber sent, or withhold acknowledgements on cue).
import { MESSAGE_ID_PROPERTY } from '@iotgw/contracts';
import { createTestLogger } from '@iotgw/logger';
import { type ConnectorOptions, MemoryOutbox, MqttConnector } from '@iotgw/mqtt-connector';
import type { IPublishPacket, Packet } from 'mqtt-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeBroker, startFakeV5Broker } from './support/fake-v5-broker.js';
import { deferred, sleep, waitFor } from './support/wait.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function setup(extra: Partial<ConnectorOptions> = {}) {
  const broker = await startFakeV5Broker();
  cleanup.push(() => broker.close());
  const log = createTestLogger('mqtt5-test');
  const outbox = new MemoryOutbox();
  const c = new MqttConnector(
    { url: broker.url, clientId: 'iotgw-t-v5', reconnect: { initialMs: 20, maxMs: 50 }, ...extra },
    { logger: log.logger, outbox },
  );
  cleanup.push(() => c.stop({ flushTimeoutMs: 100 }));
  return { broker, c, log, outbox };
}

const of = <C extends Packet['cmd']>(b: FakeBroker, cmd: C) =>
  b.all().filter((p): p is Extract<Packet, { cmd: C }> => p.cmd === cmd);

function serverPublish(
  b: FakeBroker,
  messageId: number,
  payload: string,
  dup = false,
  userProperties?: Record<string, string>,
): void {
  b.latest()?.send({
    cmd: 'publish',
    topic: 'in/x',
    payload: Buffer.from(payload),
    qos: 1,
    messageId,
    retain: false,
    dup,
    ...(userProperties ? { properties: { userProperties } } : {}),
  });
}

describe('MQTT 5 on the wire', () => {
  it('CONNECT carries clean start, session expiry and the retained offline will', async () => {
    const { broker, c } = await setup({
      clean: false,
      will: { topic: 'v2/gw1/status/availability' },
      username: 'edge',
      password: 'env:HOME',
    });
    await c.start();
    await waitFor(() => c.connected, 'connected');
    const [connect] = of(broker, 'connect');
    expect(connect).toMatchObject({
      protocolVersion: 5,
      clean: false,
      clientId: 'iotgw-t-v5',
      username: 'edge',
      properties: { sessionExpiryInterval: 7 * 24 * 3600 },
      will: { topic: 'v2/gw1/status/availability', qos: 1, retain: true },
    });
    expect(connect?.will?.payload.toString()).toBe('offline');
    await waitFor(
      () => of(broker, 'publish').some((p) => p.payload.toString() === 'online' && p.retain),
      'online',
    );
  });

  it('sends the PUBACK only after the handler resolved, with the reason code it returned', async () => {
    const { broker, c } = await setup();
    const gate = deferred<{ reasonCode: number } | undefined>();
    c.onMessage(() => gate.promise);
    await c.start();
    await waitFor(() => c.connected, 'connected');
    serverPublish(broker, 7, 'not valid');
    await waitFor(() => c.metrics().received === 1, 'the handler running');
    await sleep(100);
    expect(of(broker, 'puback')).toEqual([]);
    gate.resolve({ reasonCode: 0x99 });
    await waitFor(() => of(broker, 'puback').length === 1, 'the PUBACK');
    expect(of(broker, 'puback')[0]).toMatchObject({ messageId: 7, reasonCode: 0x99 });
  });

  it('a rejected handler sends no PUBACK; the redelivery after a reconnect is acknowledged', async () => {
    const { broker, c } = await setup({ clean: false });
    let calls = 0;
    c.onMessage(async (m) => {
      calls++;
      expect(m.userProperties).toEqual({ source: 'test' });
      if (calls === 1) throw new Error('database down');
    });
    await c.start();
    await waitFor(() => c.connected, 'connected');
    serverPublish(broker, 3, 'p', false, { source: 'test' });
    await waitFor(() => c.metrics().handlerErrors === 1, 'the failure');
    await sleep(50);
    expect(of(broker, 'puback')).toEqual([]);
    broker.latest()?.drop();
    await waitFor(() => broker.sessions.length === 2 && c.connected, 'reconnected');
    serverPublish(broker, 3, 'p', true, { source: 'test' });
    await waitFor(() => of(broker, 'puback').length === 1, 'the PUBACK of the redelivery');
    expect(c.metrics()).toMatchObject({ received: 2, handled: 1, handlerErrors: 1 });
  });

  it('stamps each message with its outbox id as the iotgw-msg-id user property', async () => {
    const { broker, c } = await setup();
    await c.start();
    const { id } = await c.publish('out/a', 'x', { userProperties: { unit: 'C' } });
    await waitFor(() => of(broker, 'publish').some((p) => p.topic === 'out/a'), 'the publish');
    const sent = of(broker, 'publish').find((p) => p.topic === 'out/a');
    expect(sent?.properties?.userProperties).toEqual({ unit: 'C', [MESSAGE_ID_PROPERTY]: id });
    await expect(
      c.publish('out/a', 'x', { userProperties: { [MESSAGE_ID_PROPERTY]: 'mine' } }),
    ).rejects.toMatchObject({
      code: 'MQTT_ERR_OPTIONS',
    });
  });

  it('a PUBACK refusal removes the message and says why; a transient one keeps it for the next connection', async () => {
    const { broker, c, log, outbox } = await setup();
    let quota = true;
    broker.script = {
      puback: (p) => (p.topic === 'out/denied' ? 0x87 : p.topic === 'out/busy' && quota ? 0x97 : 0),
    };
    await c.start();
    await c.publish('out/denied', 'x');
    await c.publish('out/busy', 'y');
    await waitFor(
      () => c.metrics().rejectedByBroker === 1 && c.metrics().deferredByBroker === 1,
      'both answers',
    );
    expect(log.text()).toContain('not authorized (0x87, MQTT 5)');
    expect(log.text()).toContain('quota exceeded (0x97, MQTT 5)');
    expect(outbox.depth).toBe(1);
    expect(outbox.stats().parked).toBe(1);
    quota = false;
    broker.latest()?.drop();
    await waitFor(() => outbox.depth === 0, 'the deferred message sent on the next connection');
    expect(of(broker, 'publish').filter((p) => p.topic === 'out/busy')).toHaveLength(2);
  });

  it('a DISCONNECT 0x95 (packet too large) parks the message in flight; the queue moves on', async () => {
    const { broker, c, log, outbox } = await setup({ maxInflight: 1 });
    broker.script = {
      puback: (p) => {
        if (p.payload.length < 1_000) return 0;
        broker.latest()?.send({ cmd: 'disconnect', reasonCode: 0x95 });
        broker.latest()?.drop();
        return null;
      },
    };
    await c.start();
    await c.publish('out/big', 'x'.repeat(2_000));
    await c.publish('out/ok', 'y');
    await waitFor(() => outbox.depth === 0, 'an empty outbox');
    expect(c.metrics().tooLarge).toBe(1);
    expect(outbox.stats().parked).toBe(1);
    expect(of(broker, 'publish').filter((p) => p.topic === 'out/big')).toHaveLength(1);
    expect(of(broker, 'publish').some((p) => p.topic === 'out/ok')).toBe(true);
    expect(log.text()).toContain('the broker disconnected with 0x95 (packet too large)');
  });

  it("keeps at most the broker's Receive Maximum in flight and resends unacknowledged messages in order", async () => {
    const { broker, c, outbox } = await setup({ maxInflight: 50 });
    broker.script = {
      connack: () => ({ reasonCode: 0, properties: { receiveMaximum: 2 } }),
      puback: () => null,
    };
    await c.start();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await c.publish('out/seq', String(i))).id);
    await waitFor(() => of(broker, 'publish').length === 2, 'two in flight');
    await sleep(100);
    expect(of(broker, 'publish')).toHaveLength(2);
    broker.script = { puback: () => 0 };
    broker.latest()?.drop();
    await waitFor(() => outbox.depth === 0, 'all acknowledged after the reconnect');
    const second = broker.sessions[1]?.packets.filter((p): p is IPublishPacket => p.cmd === 'publish') ?? [];
    expect(second.map((p) => p.properties?.userProperties?.[MESSAGE_ID_PROPERTY])).toEqual(ids);
    expect(second.map((p) => p.payload.toString())).toEqual(['0', '1', '2', '3', '4']);
  });

  it('reports a SUBACK refusal in words', async () => {
    const { broker, c } = await setup();
    broker.script = { suback: (f) => (f.startsWith('forbidden') ? 0x87 : 1) };
    await c.start();
    await waitFor(() => c.connected, 'connected');
    const results = await c.subscribe(['ok/#', 'forbidden/#']);
    expect(results).toEqual([
      {
        filter: 'ok/#',
        requestedQos: 1,
        grantedQos: 1,
        state: 'granted',
        reasonCode: 1,
        reason: 'granted QoS 1 (0x01, MQTT 5)',
      },
      {
        filter: 'forbidden/#',
        requestedQos: 1,
        grantedQos: null,
        state: 'refused',
        reasonCode: 0x87,
        reason: 'not authorized (0x87, MQTT 5)',
      },
    ]);
  });

  it('a fatal CONNACK (0x86) stops reconnecting; a transient one (0x89 server busy) backs off', async () => {
    const { broker, c } = await setup();
    let code = 0x89;
    broker.script = { connack: () => ({ reasonCode: code }) };
    const refused = new Promise((resolve) => c.once('refused', resolve));
    await c.start();
    await waitFor(() => broker.sessions.length >= 3, 'retries while the server is busy');
    code = 0x86;
    expect(await refused).toMatchObject({
      reasonCode: 0x86,
      reason: 'bad user name or password (0x86, MQTT 5)',
    });
    const attempts = broker.sessions.length;
    await sleep(200);
    expect(broker.sessions.length).toBe(attempts);
  });

  it('asks for a Receive Maximum, passes the Payload Format Indicator, unsubscribes filters it never subscribed', async () => {
    const { broker, c } = await setup({ receiveMaximum: 16 });
    let format: boolean | undefined;
    c.onMessage(async (m) => {
      format = m.payloadFormatIndicator;
    });
    await c.start();
    await waitFor(() => c.connected, 'connected');
    expect(of(broker, 'connect')[0]?.properties).toMatchObject({ receiveMaximum: 16 });
    broker.sessions[0]?.send({
      cmd: 'publish',
      topic: 'v2/gw/data',
      payload: Buffer.from('{}'),
      qos: 1,
      messageId: 7,
      retain: false,
      dup: false,
      properties: { payloadFormatIndicator: true },
    });
    await waitFor(() => format === true, 'the payload format indicator');
    // A subscription an earlier process left in the persistent session: only an UNSUBSCRIBE removes it.
    await c.unsubscribe('v2/+/old');
    await waitFor(() => of(broker, 'unsubscribe').length === 1, 'the UNSUBSCRIBE');
    expect(of(broker, 'unsubscribe')[0]?.unsubscriptions).toEqual(['v2/+/old']);
  });

  it('shares subscriptions over several connections, each with its own client id', async () => {
    const { broker, c } = await setup({ connections: 3, shareGroup: 'router', subscriptions: ['v2/+/data'] });
    const seen: number[] = [];
    c.onMessage(async (m) => {
      seen.push(m.connection);
    });
    await c.start();
    await waitFor(() => of(broker, 'subscribe').length === 3, 'three SUBSCRIBEs');
    expect(
      of(broker, 'connect')
        .map((p) => p.clientId)
        .sort(),
    ).toEqual(['iotgw-t-v5-0', 'iotgw-t-v5-1', 'iotgw-t-v5-2']);
    expect(of(broker, 'subscribe').map((p) => p.subscriptions[0]?.topic)).toEqual(
      Array(3).fill('$share/router/v2/+/data'),
    );
    for (const [i, s] of broker.sessions.entries()) {
      s.send({
        cmd: 'publish',
        topic: 'v2/gw/data',
        payload: Buffer.from('x'),
        qos: 1,
        messageId: i + 1,
        retain: false,
        dup: false,
      });
    }
    await waitFor(() => of(broker, 'puback').length === 3, 'three acknowledgements');
    expect(seen.sort()).toEqual([0, 1, 2]);
    expect(of(broker, 'publish').filter((p) => p.payload.toString() === 'online')).toEqual([]);
  });
});
