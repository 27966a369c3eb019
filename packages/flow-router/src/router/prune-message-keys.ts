import type { Kysely } from 'kysely';
import type { RouterDatabase } from '../db/schema.js';
import type { DatabaseKind } from '../settings/load-router-settings.js';

const CHUNK = 10_000;

/**
 * Forgets message keys that can no longer catch a redelivery: content hashes older than the dedup
 * window, ids older than their retention. MySQL deletes in chunks so no long lock is held.
 */
export async function pruneMessageKeys(
  db: Kysely<RouterDatabase>,
  dialect: DatabaseKind,
  options: { now: number; hashWindowMs: number; idRetentionMs: number },
): Promise<number> {
  let removed = 0;
  const passes = [
    { kind: 'hash' as const, before: options.now - options.hashWindowMs },
    { kind: 'id' as const, before: options.now - options.idRetentionMs },
  ];
  for (const pass of passes) {
    for (;;) {
      let q = db
        .deleteFrom('message_keys')
        .where('received_at', '<', pass.before)
        .where('key_kind', '=', pass.kind);
      if (dialect === 'mysql') q = q.limit(CHUNK);
      const r = await q.executeTakeFirst();
      const n = Number(r.numDeletedRows);
      removed += n;
      if (dialect !== 'mysql' || n < CHUNK) break;
    }
  }
  return removed;
}
