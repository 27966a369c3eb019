import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Kysely, MysqlDialect, SqliteDialect } from 'kysely';
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
  return new Kysely<RouterDatabase>({ dialect: new SqliteDialect({ database: nodeSqliteDatabase(raw) }) });
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
  });
  return new Kysely<RouterDatabase>({ dialect: new MysqlDialect({ pool }) });
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
