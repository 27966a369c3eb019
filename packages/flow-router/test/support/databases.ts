import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateToLatest, openDatabase, type RouterDb } from '@iotgw/flow-router';
import { createMysqlDatabase, skipIfMissing } from '@iotgw/testkit';

export type DbKind = 'sqlite' | 'mysql';

/** The databases every integration suite runs against; MariaDB only when IOTGW_TEST_MYSQL_URL announces it. */
export const databaseKinds: Array<{ kind: DbKind; skip: boolean }> = [
  { kind: 'sqlite', skip: false },
  { kind: 'mysql', skip: skipIfMissing('mysql') },
];

export interface FreshDatabase {
  readonly url: string;
  readonly kind: DbKind;
  /** Opens another handle on the same database (a second router process would). */
  open(): RouterDb;
  dispose(): Promise<void>;
}

/** A new, empty database (SQLite file in a temp dir, or a fresh MariaDB database), not migrated. */
export async function freshDatabase(kind: DbKind): Promise<FreshDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'iotgw-router-'));
    const url = `sqlite:${join(dir, 'router.db')}`;
    return {
      url,
      kind,
      open: () => openDatabase(url),
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const db = await createMysqlDatabase('iotgw_router');
  return { url: db.url, kind, open: () => openDatabase(db.url), dispose: () => db.drop() };
}

/** A fresh database, migrated, with one handle open. */
export async function migratedDatabase(kind: DbKind): Promise<FreshDatabase & { handle: RouterDb }> {
  const fresh = await freshDatabase(kind);
  const handle = fresh.open();
  const report = await migrateToLatest(handle.db);
  if (!report.ok) throw new Error(`migration failed: ${report.error?.message}`);
  return {
    ...fresh,
    handle,
    dispose: async () => {
      await handle.close();
      await fresh.dispose();
    },
  };
}
