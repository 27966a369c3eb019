import { type Kysely, sql } from 'kysely';
import type { RouterDatabase } from './schema.js';

/** Whether the server is a Galera cluster node (MariaDB Galera, Percona XtraDB Cluster). */
async function isGaleraNode(db: Kysely<RouterDatabase>): Promise<boolean> {
  try {
    const r = await sql<{ w: unknown }>`select @@wsrep_on as w`.execute(db);
    const w = r.rows[0]?.w;
    return w === 1 || w === '1' || w === 'ON';
  } catch {
    return false; // MySQL without the variable
  }
}

/**
 * Whether batches may send several statements per query: when the connections accept them
 * (openDatabase's pools do) and the server is not a Galera node. On Galera a transaction aborted by a
 * replicated write (brute-force abort) in the middle of a multi-statement query was seen to report
 * success without being committed, and to lose a counter update (3 writers on 3 nodes, a few in
 * 1,000 transactions); one statement per round trip stayed exact. See docs/scaling.md.
 */
export async function multiStatementBatches(db: Kysely<RouterDatabase>): Promise<boolean> {
  try {
    await sql`select 1; select 2`.execute(db);
  } catch {
    return false;
  }
  return !(await isGaleraNode(db));
}

/** SQLite's batch bound when ROUTER_BATCH_MAX_BYTES is not set (memory, not a protocol limit). */
export const SQLITE_BATCH_BYTES = 64 * 1024 * 1024;

/** What one batch may send on MySQL: the packet limit less room for the statements around the rows. */
export async function mysqlBatchBytes(
  db: Kysely<RouterDatabase>,
  configured: number | null,
): Promise<number> {
  const result = await sql<{ packet: number | string }>`select @@max_allowed_packet as packet`.execute(db);
  const packet = Number(result.rows[0]?.packet ?? 4 * 1024 * 1024);
  const usable = packet - Math.max(16 * 1024, Math.floor(packet / 16));
  return Math.max(16 * 1024, Math.min(configured ?? usable, usable));
}
