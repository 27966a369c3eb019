import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import {
  createMysqlDatabase,
  openPtyPair,
  serviceEnv,
  skipIfMissing,
  startAedes,
  startMosquitto,
  startTcpProxy,
  testBroker,
} from '@iotgw/testkit';
import mqtt from 'mqtt';
import { createConnection } from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';

async function roundTrip(url: string, protocolVersion: 4 | 5): Promise<string> {
  const client = await mqtt.connectAsync(url, { protocolVersion, reconnectPeriod: 0 });
  try {
    const topic = `iotgw/testkit/${Math.random().toString(16).slice(2)}`;
    await client.subscribeAsync(topic, { qos: 1 });
    const got = new Promise<string>((resolve) =>
      client.once('message', (_t, payload) => resolve(payload.toString())),
    );
    await client.publishAsync(topic, 'hello', { qos: 1 });
    return await got;
  } finally {
    await client.endAsync();
  }
}

describe('testkit harnesses', () => {
  it('testBroker answers (CI Mosquitto or in-process aedes)', async () => {
    const broker = await testBroker();
    try {
      expect(await roundTrip(broker.url, broker.protocolVersion)).toBe('hello');
    } finally {
      await broker.close();
    }
  });

  it('aedes stops and starts again on the same port', async () => {
    const broker = await startAedes();
    const port = broker.port;
    await broker.stop();
    await expect(
      mqtt.connectAsync(broker.url, { reconnectPeriod: 0, connectTimeout: 500 }),
    ).rejects.toThrow();
    await broker.start();
    expect(broker.port).toBe(port);
    expect(await roundTrip(broker.url, 4)).toBe('hello');
    await broker.close();
  });

  it('a pty pair passes bytes both ways', async () => {
    const pair = await openPtyPair();
    try {
      const a = openSync(pair.device, 'r+');
      const b = openSync(pair.peer, 'r+');
      writeSync(a, Buffer.from([0xa5, 0x01, 0x02]));
      const buf = Buffer.alloc(3);
      await new Promise((r) => setTimeout(r, 100));
      expect(readSync(b, buf, 0, 3, null)).toBe(3);
      expect([...buf]).toEqual([0xa5, 0x01, 0x02]);
      closeSync(a);
      closeSync(b);
    } finally {
      await pair.close();
    }
  });

  it('a TCP proxy cuts and restores connections', async () => {
    const broker = await startAedes();
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: broker.port });
    expect(await roundTrip(proxy.url('mqtt'), 4)).toBe('hello');
    await proxy.cut();
    const refused = await new Promise<string>((resolve) => {
      const s = netConnect({ port: proxy.port, host: '127.0.0.1' });
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      s.on('connect', () => resolve('connected'));
    });
    expect(refused).toBe('ECONNREFUSED');
    await proxy.restore();
    expect(await roundTrip(proxy.url('mqtt'), 4)).toBe('hello');
    await proxy.close();
    await broker.close();
  });

  describe.skipIf(skipIfMissing('mosquitto'))('own Mosquitto', () => {
    it('starts with the project config, stops and restarts', async () => {
      const m = await startMosquitto();
      expect(await roundTrip(m.url, 5)).toBe('hello');
      await m.stop();
      await m.start();
      expect(await roundTrip(m.url, 5)).toBe('hello');
      await m.stop();
    });
  });

  describe.skipIf(skipIfMissing('mysql'))('MariaDB', () => {
    const dbs: { drop(): Promise<void> }[] = [];
    afterAll(async () => {
      for (const d of dbs) await d.drop();
    });
    it('creates a private database', async () => {
      const db = await createMysqlDatabase();
      dbs.push(db);
      const c = await createConnection(db.url);
      const [rows] = await c.query('SELECT DATABASE() AS name');
      expect((rows as { name: string }[])[0]?.name).toBe(db.name);
      await c.end();
      expect(serviceEnv.mysqlUrl).toBeDefined();
    });
  });
});
