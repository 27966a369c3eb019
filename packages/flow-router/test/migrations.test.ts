import { execFile } from 'node:child_process';
import { dialectOf, migrateDownAll, migrateToLatest, migrationStatus } from '@iotgw/flow-router';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureBuilt } from './support/build-dist.js';
import { databaseKinds, type FreshDatabase, freshDatabase } from './support/databases.js';

const TABLES = [
  'data_records',
  'dead_letters',
  'flows',
  'http_outbox',
  'message_keys',
  'mqtt_servers',
  'router_state',
];

describe.each(databaseKinds)('migrations on $kind', ({ kind, skip }) => {
  let fresh: FreshDatabase | undefined;
  afterEach(async () => {
    await fresh?.dispose();
    fresh = undefined;
  });

  it.skipIf(skip)('go up to the latest, report pending ones, and all the way down again', async () => {
    fresh = await freshDatabase(kind);
    const handle = fresh.open();
    try {
      expect(dialectOf(handle.db)).toBe(kind);
      const before = await migrationStatus(handle.db);
      expect(before.upToDate).toBe(false);
      expect(before.pending.length).toBeGreaterThan(0);

      const up = await migrateToLatest(handle.db);
      expect(up.ok).toBe(true);
      expect(up.steps.every((s) => s.direction === 'Up' && s.status === 'Success')).toBe(true);
      expect((await migrationStatus(handle.db)).upToDate).toBe(true);
      const tables = (await handle.db.introspection.getTables())
        .map((t) => t.name)
        .filter((n) => !n.startsWith('router_migration'));
      expect(tables.sort()).toEqual(TABLES);
      // A second run has nothing to do.
      expect((await migrateToLatest(handle.db)).steps).toEqual([]);

      // The series index exists for "this field of this flow over time".
      const indexQuery =
        kind === 'mysql'
          ? sql<{
              name: string;
            }>`select index_name as name from information_schema.statistics where table_schema = database() and table_name = 'data_records'`
          : sql<{
              name: string;
            }>`select name from sqlite_master where type = 'index' and tbl_name = 'data_records'`;
      const indexes = (await indexQuery.execute(handle.db)).rows.map((r) => r.name);
      expect(indexes).toContain('data_records_series_idx');

      const down = await migrateDownAll(handle.db);
      expect(down.ok).toBe(true);
      expect(down.steps.every((s) => s.direction === 'Down' && s.status === 'Success')).toBe(true);
      const left = (await handle.db.introspection.getTables())
        .map((t) => t.name)
        .filter((n) => !n.startsWith('router_migration'));
      expect(left).toEqual([]);
      expect((await migrationStatus(handle.db)).upToDate).toBe(false);
      // And up again on the emptied database.
      expect((await migrateToLatest(handle.db)).ok).toBe(true);
    } finally {
      await handle.close();
    }
  });

  it.skipIf(skip)('is safe when two processes migrate the same database at once', async () => {
    ensureBuilt();
    fresh = await freshDatabase(kind);
    // Separate processes: node:sqlite blocks its thread while it waits for a lock, so two handles in one
    // process would wait on each other.
    const script = `import { migrateToLatest, openDatabase } from '@iotgw/flow-router';
      const h = openDatabase(process.env.DB_URL); const r = await migrateToLatest(h.db); await h.close();
      console.log(JSON.stringify({ ok: r.ok, applied: r.steps.filter((s) => s.status === 'Success').length, error: r.error?.message }));`;
    const run = () =>
      new Promise<{ ok: boolean; applied: number; error?: string }>((resolve, reject) => {
        execFile(
          process.execPath,
          ['--input-type=module', '-e', script],
          { env: { ...process.env, DB_URL: fresh?.url } },
          (err, stdout) =>
            err ? reject(err) : resolve(JSON.parse(stdout.trim()) as { ok: boolean; applied: number }),
        );
      });
    const [a, b] = await Promise.all([run(), run()]);
    expect([a.error, b.error]).toEqual([undefined, undefined]);
    expect(a.applied + b.applied).toBe(1);
  });
});
