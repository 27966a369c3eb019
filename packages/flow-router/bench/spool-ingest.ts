// The alternative design, measured for the choice: a local durable spool acknowledged on append. One
// MQTT.js connection; each message is appended to a node:sqlite WAL table and then acknowledged. This is
// only the spool's intake ceiling: draining it into MariaDB would cost the router's commit work on top.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import mqtt from 'mqtt';
import { publish, until } from './bench-env.ts';
import type { RateResult } from './raw-ceiling.ts';

export async function spoolIngest(
  brokerUrl: string,
  count: number,
  synchronous: 'NORMAL' | 'FULL',
): Promise<RateResult> {
  const dir = mkdtempSync(join(tmpdir(), 'iotgw-spool-'));
  const db = new DatabaseSync(join(dir, 'spool.db'));
  db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${synchronous};`);
  db.exec('CREATE TABLE spool (id INTEGER PRIMARY KEY, topic TEXT, payload BLOB, received_at INTEGER)');
  const insert = db.prepare('INSERT INTO spool (topic, payload, received_at) VALUES (?, ?, ?)');
  let received = 0;
  let first = 0;
  let last = 0;
  const label = `spool-${synchronous.toLowerCase()}`;
  const client = await mqtt.connectAsync(brokerUrl, {
    clientId: `bench-${label}`,
    protocolVersion: 5,
    clean: true,
    customHandleAcks: (topic, message, _packet, done) => {
      if (first === 0) first = performance.now();
      insert.run(topic, message, Date.now());
      received++;
      last = performance.now();
      done(0, 0);
    },
  });
  await client.subscribeAsync(`bench/${label}/#`, { qos: 1 });
  const pub = publish({
    url: brokerUrl,
    clientId: `bench-${label}-pub`,
    topicPrefix: `bench/${label}`,
    count,
  });
  await until(() => received >= count, 300_000, label);
  await pub;
  await client.endAsync();
  db.close();
  rmSync(dir, { recursive: true, force: true });
  const ms = last - first;
  return { messages: received, ms, rate: ((received - 1) * 1000) / ms };
}
