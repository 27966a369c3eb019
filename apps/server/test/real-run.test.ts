import { randomBytes } from 'node:crypto';
import { isoTimestamp, meterProvisioning, meterStatus } from '@iotgw/contracts';
import {
  createMysqlDatabase,
  freePort,
  serviceEnv,
  skipIfMissing,
  startTcpProxy,
  type TcpProxy,
  type TestBroker,
  type TestDatabase,
  testBroker,
} from '@iotgw/testkit';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './support/build-dist.js';
import { eventually, type ServerProcess, startServerProcess } from './support/server-process.js';

const TOKEN = `it-admin-${randomBytes(12).toString('hex')}`;
const KEY = '9A25139E3244CC2E391A8EF6B915B697';

describe.skipIf(skipIfMissing('mysql'))('iotgw-server as a process, against MariaDB and a broker', () => {
  const tag = randomBytes(4).toString('hex');
  const prefix = `iotgw-it-${tag}`;
  const gatewayId = `gw-it-${tag}`;
  let db: TestDatabase;
  let proxy: TcpProxy;
  let broker: TestBroker;
  let server: ServerProcess;
  let base: string;
  let client: mqtt.MqttClient;
  let serverEnv: Record<string, string>;

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${TOKEN}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
  };

  beforeAll(async () => {
    ensureBuilt();
    db = await createMysqlDatabase('iotgw_srv');
    const mysql = new URL(serviceEnv.mysqlUrl as string);
    proxy = await startTcpProxy({ host: mysql.hostname, port: Number(mysql.port || 3306) });
    const viaProxy = new URL(db.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    broker = await testBroker();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    serverEnv = {
      DATABASE_URL: viaProxy.toString(),
      MQTT_URL: broker.url,
      MQTT_CLIENT_ID: prefix,
      MQTT_SESSION_EXPIRY_SECONDS: '120',
      HTTP_PORT: String(port),
      HTTP_HOST: '127.0.0.1',
      API_TOKENS: `admin:${TOKEN}`,
      PROVISIONING_WAIT_SECONDS: '10',
      FLOWS_RELOAD_INTERVAL_SECONDS: '0',
      // Mosquitto speaks MQTT 5 shared subscriptions: run the router's connections in a share group
      // (aedes has none: one connection there).
      ...(broker.kind === 'mosquitto' ? { MQTT_SHARE_GROUP: prefix, MQTT_CONNECTIONS: '4' } : {}),
    };
    server = startServerProcess(serverEnv);
    await eventually(
      'the server to be ready',
      async () => {
        if (server.child.exitCode !== null) throw new Error(`the server exited: ${server.stderr()}`);
        return (await fetch(`${base}/readyz`)).status === 200;
      },
      30_000,
    );
    client = await mqtt.connectAsync(broker.url, {
      clientId: `${prefix}-client`,
      protocolVersion: broker.protocolVersion,
    });
  }, 240_000);

  afterAll(async () => {
    if (client) {
      // Clear the retained status this test left on a broker shared with others.
      for (const kind of ['availability', 'meters']) {
        await client.publishAsync(`v2/${gatewayId}/status/${kind}`, '', { retain: true, qos: 1 });
      }
      await client.endAsync();
    }
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    await proxy?.close();
    await db?.drop();
    await broker?.close();
  });

  it('stores messages published with a plain MQTT client into a flow created over HTTP', async () => {
    const created = await api('POST', '/api/flows', {
      code: `${prefix}-climate`,
      topic: `${prefix}/+/climate`,
      action: 'STORE_DB',
      payloadSchema: { temp: 'number', humidity: 'int' },
    });
    expect(created.status).toBe(201);
    expect(created.json().reload.subscribed).toEqual([`${prefix}/+/climate`]);
    for (let i = 0; i < 20; i++) {
      await client.publishAsync(
        `${prefix}/room${i % 3}/climate`,
        JSON.stringify({ temp: 20 + i / 10, humidity: 40 + i }),
        {
          qos: 1,
        },
      );
    }
    await client.publishAsync(`${prefix}/room0/climate`, JSON.stringify({ temp: 'hot', humidity: 1 }), {
      qos: 1,
    });
    const code = `${prefix}-climate`;
    await eventually('40 records and a dead letter', async () => {
      const f = (await api('GET', `/api/flows/${code}`)).json();
      return f.counters.records === 40 && f.counters.deadLetters === 1;
    });
    const flow = (await api('GET', `/api/flows/${code}`)).json();
    expect(flow.counters).toEqual({ lastMsgId: 20, records: 40, deadLetters: 1 });
    const temps: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { records: { value: number; msgId: number }[]; nextCursor: string | null } = (
        await api('GET', `/api/records?flow=${code}&field=temp&limit=8${cursor ? `&cursor=${cursor}` : ''}`)
      ).json();
      temps.push(...page.records.map((r) => r.value));
      cursor = page.nextCursor;
    } while (cursor);
    expect(temps.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => 20 + i / 10));
    const csv = await api('GET', `/api/records.csv?flow=${code}`);
    expect(csv.text.trimEnd().split('\r\n')).toHaveLength(41);
    const dead = (await api('GET', `/api/dead-letters?flow=${code}`)).json().deadLetters;
    expect(dead).toEqual([expect.objectContaining({ jsonPath: '$.temp', topic: `${prefix}/room0/climate` })]);
  });

  it('shows a gateway from its retained status and provisions its meters through the broker', async () => {
    const edge = await mqtt.connectAsync(broker.url, {
      clientId: `${prefix}-edge`,
      protocolVersion: broker.protocolVersion,
    });
    try {
      await edge.subscribeAsync(meterProvisioning.build({ gatewayId }), { qos: 1 });
      edge.on('message', (_topic, payload) => {
        const list = meterProvisioning.parse(payload);
        const meters = list.ok
          ? list.value.map((m, index) => ({
              deviceId: m.deviceId ?? '',
              index,
              status: 'never_heard' as const,
            }))
          : [];
        const now = isoTimestamp(new Date());
        void edge.publishAsync(
          meterStatus.build({ gatewayId }),
          meterStatus.encode({ timestamp: now, command: { timestamp: now, ok: list.ok }, meters }),
          { qos: 1, retain: true },
        );
      });
      await edge.publishAsync(`v2/${gatewayId}/status/availability`, 'online', { qos: 1, retain: true });
      await eventually(
        'the gateway to be listed',
        async () => (await api('GET', `/api/gateways/${gatewayId}`)).status === 200,
      );
      expect((await api('GET', `/api/gateways/${gatewayId}`)).json().availability).toBe('online');
      const res = await api('PUT', `/api/gateways/${gatewayId}/meters`, [
        { deviceId: '32666857', manufacturerKey: 'kam', encryptionKey: KEY },
      ]);
      expect(res.status).toBe(200);
      expect(res.json()).toMatchObject({
        status: 'applied',
        meters: [{ deviceId: '32666857', status: 'never_heard' }],
      });
      expect(res.text).not.toContain(KEY);
    } finally {
      await edge.endAsync();
    }
  });

  it('answers /readyz 503 while the database is unreachable and 200 again once it returns, without a restart', async () => {
    await proxy.cut();
    try {
      await eventually('/readyz to answer 503', async () => {
        const res = await fetch(`${base}/readyz`);
        if (res.status !== 503) return false;
        const body = (await res.json()) as { notReady: string[] };
        return body.notReady.includes('database');
      });
    } finally {
      await proxy.restore();
    }
    await eventually('/readyz to answer 200', async () => (await fetch(`${base}/readyz`)).status === 200);
    const code = `${prefix}-climate`;
    await client.publishAsync(`${prefix}/room9/climate`, JSON.stringify({ temp: 30, humidity: 30 }), {
      qos: 1,
    });
    await eventually(
      'the message after the outage',
      async () => (await api('GET', `/api/flows/${code}`)).json().counters.lastMsgId === 21,
    );
    expect(server.child.exitCode).toBeNull();
  });

  it('stops on SIGTERM with exit code 0', async () => {
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.stdout()).toContain('"msg":"stopped"');
    expect(server.stdout()).not.toContain(TOKEN);
    expect(server.stdout()).not.toContain(KEY);
    expect(server.stderr()).toBe('');
  });

  it('stores after a restart what was published while it was down (persistent session)', async () => {
    for (let i = 0; i < 10; i++) {
      await client.publishAsync(`${prefix}/down/climate`, JSON.stringify({ temp: 50 + i, humidity: i }), {
        qos: 1,
      });
    }
    server = startServerProcess(serverEnv);
    const code = `${prefix}-climate`;
    await eventually(
      'the 10 messages published while the server was down',
      async () => {
        if (server.child.exitCode !== null) throw new Error(`the server exited: ${server.stderr()}`);
        return (await api('GET', `/api/flows/${code}`)).json().counters.lastMsgId === 31;
      },
      30_000,
    );
    const page = (await api('GET', `/api/records?flow=${code}&field=temp&from=0&limit=100`)).json();
    const late = page.records.filter((r: { topic: string }) => r.topic === `${prefix}/down/climate`);
    expect(late.map((r: { value: number }) => r.value).sort()).toEqual([
      50, 51, 52, 53, 54, 55, 56, 57, 58, 59,
    ]);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });
});

describe('iotgw-server start-up errors and the migrate command', () => {
  beforeAll(() => ensureBuilt(), 240_000);

  it('exits 1 with one line when there is no MQTT server to connect to', async () => {
    const p = startServerProcess({ DATABASE_URL: 'sqlite:./data/x.db', HTTP_PORT: '0' });
    expect(await p.exited).toBe(1);
    const lines = p.stderr().trimEnd().split('\n');
    expect(lines).toEqual([
      'iotgw-server: no MQTT server: set MQTT_URL, or add an enabled row to mqtt_servers (iotgw-server migrate, then insert one)',
    ]);
  });

  it('exits 1 with one line when the database cannot be reached', async () => {
    const port = await freePort();
    const p = startServerProcess({
      DATABASE_URL: `mysql://root@127.0.0.1:${port}/nothing`,
      MQTT_URL: 'mqtt://127.0.0.1:1',
    });
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toMatch(
      new RegExp(
        `^iotgw-server: cannot reach the database mysql://root@127.0.0.1:${port}/nothing: .*ECONNREFUSED.*\\n$`,
      ),
    );
  });

  it('migrate applies the migrations and prints the report', async () => {
    const p = startServerProcess({ DATABASE_URL: 'sqlite:./data/m.db' }, ['migrate']);
    expect(await p.exited).toBe(0);
    expect(p.stdout()).toMatch(/^migrations on sqlite:\.\/data\/m\.db:\n {2}up \S+: success\n/);
    expect(p.stdout()).toMatch(/up to date: \d+ migration\(s\) applied\n$/);
    const again = startServerProcess({ DATABASE_URL: `sqlite:${p.cwd}/data/m.db` }, ['migrate']);
    expect(await again.exited).toBe(0);
    expect(again.stdout()).toContain('nothing to apply');
  });
});
