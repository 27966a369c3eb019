import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allContracts, gatewayCommand, gatewayReceipt, meterProvisioning } from '@iotgw/contracts';
import { createTestLogger } from '@iotgw/logger';
import { IotgwServer, loadServerConfig } from '@iotgw/server';
import { type MosquittoProcess, repoRoot, skipIfMissing, startMosquitto, waitFor } from '@iotgw/testkit';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// Issue 13 item 5 (broker side): the shipped Mosquitto config allowed anonymous clients, so anyone could
// publish as any gateway (and spoof its message ids). It now requires a login and an ACL that keeps each
// gateway under its own topics. This runs a real Mosquitto with the shipped config, ACL and a password
// file written by the shipped add-gateway.sh. On today's main the anonymous client connects.
const infra = join(repoRoot, 'infra');
const shipped = readFileSync(join(infra, 'mosquitto/mosquitto.conf'), 'utf8');
const setting = (name: string) => new RegExp(`^\\s*${name}\\s+(\\S+)\\s*$`, 'm').exec(shipped)?.[1];

const dir = mkdtempSync(join(tmpdir(), 'iotgw-broker-acl-'));
const passwords: Record<string, string> = {};
let broker: MosquittoProcess;
const clients: MqttClient[] = [];

function addAccount(...args: string[]): void {
  const out = execFileSync(
    'sh',
    [join(infra, 'mosquitto/add-gateway.sh'), '--file', join(dir, 'passwords'), ...args],
    {
      encoding: 'utf8',
    },
  );
  const [user, password] = out.trim().split(' ');
  passwords[user as string] = password as string;
}

/** Connects (MQTT 5); resolves the client, or rejects with the broker's refusal. */
function connect(username?: string, password?: string): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(broker.url, {
      protocolVersion: 5,
      reconnectPeriod: 0,
      connectTimeout: 5_000,
      ...(username !== undefined ? { username, password: password ?? passwords[username] } : {}),
    });
    clients.push(c);
    const refused = (err: Error) => {
      c.end(true);
      reject(err);
    };
    c.once('error', refused);
    c.once('connect', () => {
      // MQTT.js also emits a refused publish (PUBACK 0x87) as an error: the callback reports it.
      c.off('error', refused);
      c.on('error', () => undefined);
      resolve(c);
    });
  });
}

/** Publishes QoS 1; resolves with the PUBACK reason code (0 = accepted, 135 = not authorised). */
function publish(c: MqttClient, topic: string, payload: string): Promise<number> {
  return new Promise((resolve) => {
    c.publish(topic, payload, { qos: 1 }, (err, packet) => {
      const code =
        (err as { code?: number } | undefined)?.code ?? (packet as { reasonCode?: number })?.reasonCode;
      resolve(code ?? (err ? -1 : 0));
    });
  });
}

/**
 * Publishes on a connection of its own: Mosquitto 2.0.11 with the shipped `max_queued_messages 0` closes
 * a client's connection right after refusing its publish with PUBACK 0x87.
 */
async function refusedPublish(user: string, topic: string, payload: string): Promise<number> {
  const c = await connect(user);
  try {
    return await publish(c, topic, payload);
  } finally {
    c.end(true);
  }
}

describe.skipIf(skipIfMissing('mosquitto'))('the shipped Mosquitto config (auth + ACL)', () => {
  beforeAll(async () => {
    expect(setting('allow_anonymous')).toBe('false');
    const passwordFile = setting('password_file');
    const aclFile = setting('acl_file');
    // compose mounts the shipped ACL and the operator's password file where the config looks for them.
    const compose = parse(readFileSync(join(infra, 'compose.yaml'), 'utf8'));
    const volumes: string[] = compose.services.mosquitto.volumes;
    expect(volumes).toContain(`./mosquitto/acl:${aclFile}:ro`);
    expect(volumes).toContain(`./mosquitto/passwords:${passwordFile}:ro`);
    copyFileSync(join(infra, 'mosquitto/acl'), join(dir, 'acl'));
    addAccount('gw-a');
    addAccount('gw-b');
    addAccount('--server');
    broker = await startMosquitto({
      // The shipped settings with the paths of the temporary copies (testkit drops the shipped lines).
      extraConfig: [
        `allow_anonymous ${setting('allow_anonymous')}`,
        `password_file ${join(dir, 'passwords')}`,
        `acl_file ${join(dir, 'acl')}`,
      ].join('\n'),
    });
  });
  afterAll(async () => {
    for (const c of clients) c.end(true);
    await broker?.stop();
  });

  it('refuses anonymous clients and wrong passwords', async () => {
    await expect(connect()).rejects.toMatchObject({ code: 135 });
    // Mosquitto 2.0 answers a bad login with 0x87 (not authorised) rather than 0x86.
    for (const [user, password] of [
      ['gw-a', 'not-the-password'],
      ['gw-c', 'whatever'],
    ]) {
      const err = await connect(user, password).catch((e: { code?: number }) => e);
      expect([134, 135]).toContain((err as { code?: number }).code);
    }
  });

  it("delivers a gateway's own messages to the server and refuses it another gateway's topics", async () => {
    const server = await connect('iotgw-server');
    const received: string[] = [];
    server.on('message', (topic, payload) => received.push(`${topic} ${payload}`));
    await server.subscribeAsync(['$share/iotgw-server/v2/#', '+/+/update'], { qos: 1 });
    // Every contract topic: a gateway publishes all but provisioning, commands and receipts (the server's).
    const sentByServer = new Set([meterProvisioning.name, gatewayCommand.name, gatewayReceipt.name]);
    const sample: Record<string, string> = { manufacturerKey: 'kam', deviceId: '12345678' };
    const topicOf = (c: (typeof allContracts)[number], gatewayId: string) =>
      c.build(
        Object.fromEntries(
          c.params.map((p) => [p, p === 'gatewayId' ? gatewayId : (sample[p] ?? 'A4C138000002')]),
        ),
      );
    const own = allContracts.filter((c) => !sentByServer.has(c.name)).map((c) => topicOf(c, 'gw-a'));
    expect(own).toContain('gw-a/A4C138000002/update'); // the legacy thingyReading topic is among them
    // Refused: another gateway's topics (new and legacy), and what only the server sends.
    const refused = [
      ...allContracts.filter((c) => !sentByServer.has(c.name)).map((c) => topicOf(c, 'gw-b')),
      ...allContracts.filter((c) => sentByServer.has(c.name)).map((c) => topicOf(c, 'gw-a')),
    ];
    for (const topic of refused) {
      expect(await refusedPublish('gw-a', topic, 'spoof'), topic).toBe(135);
    }
    // Accepted: its own topic of every contract it publishes, delivered to the server.
    const a = await connect('gw-a');
    for (const topic of own) expect(await publish(a, topic, 'own'), topic).toBe(0);
    await waitFor(() => received.length >= own.length, "gw-a's own messages at the server");
    await new Promise((r) => setTimeout(r, 200));
    expect(received.sort()).toEqual(own.map((t) => `${t} own`).sort());
    expect(received.join('\n')).not.toContain('spoof');
  });

  it('lets only the addressed gateway read its provisioning (AES keys), and only the server send it', async () => {
    const server = await connect('iotgw-server');
    const a = await connect('gw-a');
    const b = await connect('gw-b');
    const atA: string[] = [];
    const atB: string[] = [];
    a.on('message', (topic) => atA.push(topic));
    b.on('message', (topic) => atB.push(topic));
    await a.subscribeAsync('v2/gw-a/sensors/set', { qos: 1 });
    await b.subscribeAsync(['v2/gw-a/sensors/set', 'v2/+/sensors/set'], { qos: 1 });
    expect(await publish(server, 'v2/gw-a/sensors/set', '[]')).toBe(0);
    expect(await refusedPublish('gw-b', 'v2/gw-a/sensors/set', '[]')).toBe(135);
    await waitFor(() => atA.length >= 1, 'the provisioning message at gw-a');
    await new Promise((r) => setTimeout(r, 200));
    expect(atA).toEqual(['v2/gw-a/sensors/set']);
    expect(atB).toEqual([]);
  });

  it('lets a gateway read only its own receipts, which only the server sends', async () => {
    const server = await connect('iotgw-server');
    const a = await connect('gw-a');
    const b = await connect('gw-b');
    const atA: string[] = [];
    const atB: string[] = [];
    a.on('message', (topic) => atA.push(topic));
    b.on('message', (topic) => atB.push(topic));
    await a.subscribeAsync('v2/gw-a/receipts', { qos: 1 });
    await b.subscribeAsync('v2/+/receipts', { qos: 1 });
    const receipt = '{"outboxes":[{"outbox":"x","ranges":[[1,2]]}]}';
    expect(await publish(server, 'v2/gw-a/receipts', receipt)).toBe(0);
    expect(await refusedPublish('gw-b', 'v2/gw-a/receipts', receipt)).toBe(135);
    await waitFor(() => atA.length >= 1, 'the receipt at gw-a');
    await new Promise((r) => setTimeout(r, 200));
    expect(atA).toEqual(['v2/gw-a/receipts']);
    expect(atB).toEqual([]);
  });

  it('runs iotgw-server with its account: flows, status topics and provisioning under the ACL', async () => {
    const config = loadServerConfig(
      {
        DATABASE_URL: `sqlite:${join(dir, 'server.db')}`,
        HTTP_PORT: '0',
        MQTT_URL: broker.url,
        MQTT_USERNAME: 'iotgw-server',
        MQTT_PASSWORD: passwords['iotgw-server'] as string,
        MQTT_CLIENT_ID: 'acl-test-server',
        MQTT_SHARE_GROUP: 'iotgw-server',
        MQTT_CONNECTIONS: '2',
        FLOWS_RELOAD_INTERVAL_SECONDS: '0',
        PROVISIONING_WAIT_SECONDS: '0',
      },
      { envFile: false },
    );
    const server = await IotgwServer.start(config, createTestLogger('acl', 'silent').logger);
    try {
      const created = await server.app.inject({
        method: 'POST',
        url: '/api/flows',
        payload: { code: 'acl', topic: 'v2/+/+/data', action: 'STORE_DB', payloadSchema: { v: 'number' } },
      });
      expect(created.json().reload.errors).toEqual([]);
      expect((await server.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
      const a = await connect('gw-a');
      expect(await publish(a, 'v2/gw-a/status/availability', 'online')).toBe(0);
      expect(await refusedPublish('gw-a', 'v2/gw-b/kam-1/data', '{"v":666}')).toBe(135);
      expect(await publish(a, 'v2/gw-a/kam-1/data', '{"v":1}')).toBe(0);
      await waitFor(async () => {
        const res = await server.app.inject({ method: 'GET', url: '/api/records?flow=acl' });
        return res.json().records.length === 1;
      }, 'the record of gw-a');
      const records = (await server.app.inject({ method: 'GET', url: '/api/records?flow=acl' })).json()
        .records;
      expect(records).toEqual([expect.objectContaining({ topic: 'v2/gw-a/kam-1/data', value: 1 })]);
      await waitFor(
        () =>
          server.app.inject({ method: 'GET', url: '/api/gateways/gw-a' }).then((r) => r.statusCode === 200),
        'gw-a in the directory',
      );
      // Provisioning goes out through the server's account and reaches gw-a.
      const atA: string[] = [];
      a.on('message', (topic) => atA.push(topic));
      await a.subscribeAsync('v2/gw-a/sensors/set', { qos: 1 });
      const put = await server.app.inject({ method: 'PUT', url: '/api/gateways/gw-a/meters', payload: [] });
      expect(put.statusCode).toBe(202);
      await waitFor(() => atA.length === 1, 'the provisioning message at gw-a');
    } finally {
      await server.stop();
    }
  });
});
