// (d) The database ceiling: what MariaDB takes for the router's rows with nothing else running — no
// broker, no router — in the router's transaction shape: one connection, one multi-statement
// transaction per batch (lock the flow row, look up the keys, insert 5 records and 1 key per message,
// update the counter, commit). The router cannot store faster than this; (c) against (d) says how
// much of the database it uses.
import { FlowRepository, migrateToLatest, openDatabase } from '@iotgw/flow-router';
import { createConnection } from 'mysql2/promise';
import type { RateResult } from './raw-ceiling.ts';

const FIELDS = ['seq', 'ts', 't', 'h', 'v'] as const;

export async function databaseCeiling(dbUrl: string, count: number, batch: number): Promise<RateResult> {
  const handle = openDatabase(dbUrl);
  try {
    const migrated = await migrateToLatest(handle.db);
    if (!migrated.ok) throw new Error(`migration failed: ${migrated.error?.message}`);
  } finally {
    await handle.close();
  }
  const setup = openDatabase(dbUrl);
  const flow = await new FlowRepository(setup.db)
    .create({
      code: 'bench-ceiling',
      topic: 'bench/ceiling/+/data',
      action: 'STORE_DB',
      payloadSchema: { seq: 'int', ts: 'number', t: 'number', h: 'number', v: 'number' },
    })
    .finally(() => setup.close());
  const conn = await createConnection({ uri: dbUrl, multipleStatements: true });
  try {
    const tuple = (n: number) => `(${Array.from({ length: n }, () => '?').join(', ')})`;
    let seq = 0;
    const started = performance.now();
    while (seq < count) {
      const n = Math.min(batch, count - seq);
      const now = Date.now();
      const keys: unknown[][] = [];
      const records: unknown[][] = [];
      for (let i = 0; i < n; i++) {
        seq++;
        const topic = `bench/ceiling/dev${seq % 16}/data`;
        keys.push([flow.id, `h:${seq.toString(16).padStart(64, '0')}`, 'hash', seq, 'stored', now]);
        for (const f of FIELDS) records.push([flow.id, seq, f, 'number', seq / 7, topic, now]);
      }
      await conn.query(
        [
          'begin',
          'select id, last_msg_id from flows where id = ? for update',
          `select flow_id, msg_key from message_keys where flow_id = ? and msg_key in (${keys.map(() => '?').join(', ')})`,
          `insert into data_records (flow_id, msg_id, field, value_type, num_value, topic, received_at) values ${records.map(() => tuple(7)).join(', ')}`,
          `insert into message_keys (flow_id, msg_key, key_kind, msg_id, outcome, received_at) values ${keys.map(() => tuple(6)).join(', ')}`,
          'update flows set last_msg_id = ? where id = ?',
          'commit',
        ].join(';\n'),
        [flow.id, flow.id, ...keys.map((k) => k[1]), ...records.flat(), ...keys.flat(), seq, flow.id],
      );
    }
    const ms = performance.now() - started;
    return { messages: count, ms, rate: (count * 1000) / ms };
  } finally {
    await conn.end();
  }
}
