// (b) A faithful port of the legacy server's per-message design: PUBACK as soon as the message arrives
// (before anything is stored), then for every matching flow and every message, one transaction:
// SELECT … FOR UPDATE the flow row, validate, UPDATE last_msg_id, one INSERT per payload field, COMMIT.
import mqtt from 'mqtt';
import mysql from 'mysql2/promise';
import { publish, until } from './bench-env.ts';
import type { RateResult } from './raw-ceiling.ts';

const LEGACY_TYPES: Record<string, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  str: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number',
  float: (v) => typeof v === 'number',
  int: (v) => Number.isInteger(v),
  integer: (v) => Number.isInteger(v),
  bool: (v) => typeof v === 'boolean',
  boolean: (v) => typeof v === 'boolean',
  object: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  array: (v) => Array.isArray(v),
};

function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length || (f[i] !== '+' && f[i] !== t[i])) return false;
  }
  return f.length === t.length;
}

export async function legacyPort(brokerUrl: string, dbUrl: string, count: number): Promise<RateResult> {
  const pool = mysql.createPool({ uri: dbUrl, connectionLimit: 2 });
  await pool.query(`CREATE TABLE legacy_flows (id INT PRIMARY KEY AUTO_INCREMENT, code VARCHAR(100) UNIQUE,
    topic VARCHAR(255), payload_schema TEXT, action VARCHAR(20), endpoint_url VARCHAR(500), enabled TINYINT(1),
    last_msg_id BIGINT NOT NULL DEFAULT 0) ENGINE=InnoDB`);
  await pool.query(`CREATE TABLE legacy_data_records (id BIGINT PRIMARY KEY AUTO_INCREMENT, flow_id INT,
    msg_id BIGINT, field VARCHAR(255), value TEXT, created_at DATETIME(3), INDEX (flow_id, msg_id)) ENGINE=InnoDB`);
  await pool.query(
    `INSERT INTO legacy_flows (code, topic, payload_schema, action, enabled) VALUES ('legacy', 'bench/legacy/+/data', ?, 'STORE_DB', 1)`,
    [JSON.stringify({ seq: 'int', ts: 'number', t: 'number', h: 'number', v: 'number' })],
  );
  const [flows] = await pool.query('SELECT * FROM legacy_flows WHERE enabled = 1');
  const flowRows = flows as Array<{ id: number; topic: string }>;

  const queue: Array<{ topic: string; payload: Buffer }> = [];
  let processed = 0;
  let first = 0;
  let last = 0;
  let working = false;
  async function processOne(topic: string, payload: Buffer): Promise<void> {
    let data: unknown;
    try {
      data = JSON.parse(payload.toString('utf8'));
    } catch {
      return;
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return;
    for (const flow of flowRows) {
      if (!topicMatches(flow.topic, topic)) continue;
      const conn = await pool.getConnection();
      try {
        await conn.beginTransaction();
        const [rows] = await conn.query('SELECT * FROM legacy_flows WHERE id = ? FOR UPDATE', [flow.id]);
        const row = (rows as Array<{ payload_schema: string; last_msg_id: number }>)[0];
        if (!row) throw new Error('flow vanished');
        const schema = JSON.parse(row.payload_schema) as Record<string, string>;
        for (const [field, type] of Object.entries(schema)) {
          const check = LEGACY_TYPES[type];
          if (!(field in (data as object)) || !check?.((data as Record<string, unknown>)[field])) {
            throw new Error(`invalid ${field}`);
          }
        }
        const msgId = Number(row.last_msg_id) + 1;
        await conn.query('UPDATE legacy_flows SET last_msg_id = ? WHERE id = ?', [msgId, flow.id]);
        for (const [field, value] of Object.entries(data as Record<string, unknown>)) {
          await conn.query(
            'INSERT INTO legacy_data_records (flow_id, msg_id, field, value, created_at) VALUES (?, ?, ?, ?, NOW(3))',
            [flow.id, msgId, field, JSON.stringify(value)],
          );
        }
        await conn.commit();
      } catch {
        await conn.rollback();
      } finally {
        conn.release();
      }
    }
  }
  async function work(): Promise<void> {
    if (working) return;
    working = true;
    while (queue.length > 0) {
      const m = queue.shift() as { topic: string; payload: Buffer };
      await processOne(m.topic, m.payload);
      processed++;
      last = performance.now();
    }
    working = false;
  }
  // Default handleMessage: MQTT.js acknowledges at once — before the message is stored, as the legacy server did.
  const client = await mqtt.connectAsync(brokerUrl, {
    clientId: 'bench-legacy',
    protocolVersion: 5,
    clean: true,
  });
  client.on('message', (topic, payload) => {
    if (first === 0) first = performance.now();
    queue.push({ topic, payload });
    void work();
  });
  await client.subscribeAsync('bench/legacy/#', { qos: 1 });
  const pub = publish({ url: brokerUrl, clientId: 'bench-legacy-pub', topicPrefix: 'bench/legacy', count });
  await until(() => processed >= count, 600_000, 'legacy port');
  await pub;
  await client.endAsync();
  await pool.end();
  const ms = last - first;
  return { messages: processed, ms, rate: (processed * 1000) / ms };
}
