import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import {
  CompiledQuery,
  type DialectAdapter,
  Kysely,
  MysqlDialect,
  SqliteAdapter,
  SqliteDialect,
} from 'kysely';
import { createPool } from 'mysql2';
import { RouterError } from '../router-error.js';
import { type DatabaseKind, databaseKindOf } from '../settings/load-router-settings.js';
import { nodeSqliteDatabase } from './node-sqlite-adapter.js';
import type { RouterDatabase } from './schema.js';

export interface RouterDb {
  readonly db: Kysely<RouterDatabase>;
  readonly dialect: DatabaseKind;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** MySQL pool size (default 8). */
  connectionLimit?: number;
  /** SQLite `synchronous` pragma in WAL mode: FULL (default, survives power loss) or NORMAL (survives a process crash). */
  sqliteSynchronous?: 'FULL' | 'NORMAL';
}

/** `sqlite:./data/x.db` → `./data/x.db`; `sqlite:///abs/x.db` → `/abs/x.db`; `sqlite::memory:` → `:memory:`. */
export function sqlitePath(url: string): string {
  let rest = url.slice('sqlite:'.length);
  if (rest.startsWith('//')) rest = rest.slice(2);
  return rest;
}

/**
 * SQLite runs DDL in transactions; saying so makes kysely's Migrator wrap migrations in one, which
 * (with `begin immediate`) serializes two processes migrating the same file at once.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class RouterSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

function openSqlite(url: string, options: OpenDatabaseOptions): Kysely<RouterDatabase> {
  const path = sqlitePath(url);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let raw: DatabaseSync;
  try {
    raw = new DatabaseSync(path, { timeout: 10_000 });
  } catch (cause) {
    throw new RouterError('ROUTER_ERR_DATABASE_URL', `cannot open SQLite database ${path}`, { cause });
  }
  raw.exec('PRAGMA journal_mode = WAL');
  raw.exec(`PRAGMA synchronous = ${options.sqliteSynchronous ?? 'FULL'}`);
  raw.exec('PRAGMA busy_timeout = 10000');
  return new Kysely<RouterDatabase>({
    dialect: new RouterSqliteDialect({ database: nodeSqliteDatabase(raw) }),
  });
}

function openMysql(url: string, options: OpenDatabaseOptions): Kysely<RouterDatabase> {
  const pool = createPool({
    uri: url.replace(/^mariadb:/, 'mysql:'),
    connectionLimit: options.connectionLimit ?? 8,
    maxIdle: options.connectionLimit ?? 8,
    enableKeepAlive: true,
    connectTimeout: 5_000,
    supportBigNumbers: true,
    bigNumberStrings: false,
    charset: 'utf8mb4',
    timezone: 'Z',
    // The batch writer sends a transaction's statements in two round trips. Every value is a bound
    // parameter (escaped by mysql2); no SQL text is ever built from data.
    multipleStatements: true,
  });
  return new Kysely<RouterDatabase>({
    dialect: new MysqlDialect({
      pool,
      // READ COMMITTED for the whole session (not a SET per transaction: one round trip less per batch).
      // Batches are correct under REPEATABLE READ too: their first read is the locking one.
      onCreateConnection: async (connection) => {
        await connection.executeQuery(
          CompiledQuery.raw('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED'),
        );
      },
    }),
  });
}

/**
 * Opens the router's database: `mysql://user:pass@host:3306/db` (mysql2 pool) or `sqlite:path`
 * (Node's own node:sqlite, WAL mode). Nothing is created in the database: run `migrateToLatest`.
 */
export function openDatabase(url: string, options: OpenDatabaseOptions = {}): RouterDb {
  const dialect = databaseKindOf(url);
  const db = dialect === 'sqlite' ? openSqlite(url, options) : openMysql(url, options);
  let closed: Promise<void> | undefined;
  return {
    db,
    dialect,
    close: () => {
      closed ??= db.destroy();
      return closed;
    },
  };
}
