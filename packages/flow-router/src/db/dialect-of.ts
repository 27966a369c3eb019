import { type Kysely, MysqlAdapter, SqliteAdapter } from 'kysely';
import type { DatabaseKind } from '../settings/load-router-settings.js';

/** Which of the two supported databases a kysely instance talks to. */
export function dialectOf<DB>(db: Kysely<DB>): DatabaseKind {
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof MysqlAdapter) return 'mysql';
  if (adapter instanceof SqliteAdapter) return 'sqlite';
  throw new Error('the flow router supports MySQL/MariaDB and SQLite databases only');
}
