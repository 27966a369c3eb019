import { type Kysely, sql } from 'kysely';
import type { RouterDatabase } from './schema.js';

/** Whether the MySQL connections accept several statements per query (openDatabase's pools do). */
export async function supportsMultiStatements(db: Kysely<RouterDatabase>): Promise<boolean> {
  try {
    await sql`select 1; select 2`.execute(db);
    return true;
  } catch {
    return false;
  }
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
