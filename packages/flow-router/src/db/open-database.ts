import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import {
  CompiledQuery,
  type DialectAdapter,
  Kysely,
  type MigrationLockOptions,
  MysqlAdapter,
  MysqlDialect,
  SqliteAdapter,
  SqliteDialect,
  sql,
} from 'kysely';
import { createPool, createPoolCluster, type PoolOptions } from 'mysql2';
import { RouterError } from '../router-error.js';
import { type DatabaseKind, databaseKindOf } from '../settings/load-router-settings.js';
import { type MysqlUrl, parseMysqlUrl } from './mysql-url.js';
import { nodeSqliteDatabase } from './node-sqlite-adapter.js';
import type { RouterDatabase } from './schema.js';

export interface RouterDb {
  readonly db: Kysely<RouterDatabase>;
  readonly dialect: DatabaseKind;
  /**
   * `host:port` of the database server the last connection was opened to (MySQL; with a failover
   * list this says which node is in use), undefined before the first connection and on SQLite.
   */
  readonly server: () => string | undefined;
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

/** A migration lock older than this is taken to belong to a replica that died while migrating. */
const MIGRATION_LOCK_STALE_SECONDS = 120;

/**
 * kysely's MySQL migration lock is `GET_LOCK`, which is local to one server: on a Galera cluster two
 * replicas starting together on two nodes would both migrate. This lock is a row update instead, which
 * the cluster certifies: of two nodes taking it at once one wins, the other fails (deadlock, retried)
 * or sees it taken and waits. The row holds the time it was taken, so a lock left by a replica killed
 * mid-migration is taken over after MIGRATION_LOCK_STALE_SECONDS.
 */
class ClusterSafeMysqlAdapter extends MysqlAdapter {
  override async acquireMigrationLock(db: Kysely<unknown>, opt: MigrationLockOptions): Promise<void> {
    const table = sql.table(opt.lockTable);
    for (let attempt = 0; ; attempt++) {
      const now = Math.floor(Date.now() / 1000);
      try {
        const r =
          await sql`update ${table} set is_locked = ${now} where id = ${opt.lockRowId} and (is_locked = 0 or is_locked < ${now - MIGRATION_LOCK_STALE_SECONDS})`.execute(
            db,
          );
        if (Number(r.numAffectedRows ?? 0) === 1) return;
      } catch (err) {
        if ((err as { code?: unknown }).code !== 'ER_LOCK_DEADLOCK') throw err;
      }
      if (attempt > 10 * (MIGRATION_LOCK_STALE_SECONDS + 30)) {
        throw new RouterError('ROUTER_ERR_STATE', 'the migration lock was not released in time');
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  override async releaseMigrationLock(db: Kysely<unknown>, opt: MigrationLockOptions): Promise<void> {
    await sql`update ${sql.table(opt.lockTable)} set is_locked = 0 where id = ${opt.lockRowId}`.execute(db);
  }
}

class RouterMysqlDialect extends MysqlDialect {
  override createAdapter(): DialectAdapter {
    return new ClusterSafeMysqlAdapter();
  }
}

/** What a kysely MySQL dialect needs of a pool: one pool or a failover cluster of pools. */
interface MysqlPoolLike {
  getConnection(cb: (err: NodeJS.ErrnoException | null, conn: unknown) => void): void;
  end(cb: (err: NodeJS.ErrnoException | null) => void): void;
}

/**
 * One mysql2 pool for one host; for a failover list (`mysql://u@h1:3306,h2:3306/db`) a pool cluster
 * that takes the first host that answers: a host that refuses a connection is left out for
 * `restoreNodeMs` and then tried again first, so a replica returns to its own node once it is back.
 */
function mysqlPool(
  url: string,
  parsed: MysqlUrl,
  base: PoolOptions,
  seen: (server: string) => void,
): MysqlPoolLike {
  const track = (pool: MysqlPoolLike): MysqlPoolLike => ({
    getConnection(cb) {
      pool.getConnection((err, conn) => {
        if (!err && conn) {
          const c = conn as { config?: { host?: string; port?: number } };
          seen(`${c.config?.host ?? '?'}:${c.config?.port ?? '?'}`);
        }
        cb(err, conn);
      });
    },
    end: (cb) => pool.end(cb),
  });
  if (parsed.hosts.length === 1) {
    return track(
      createPool({ ...base, uri: url.replace(/^mariadb:/, 'mysql:') }) as unknown as MysqlPoolLike,
    );
  }
  const cluster = createPoolCluster({
    canRetry: true,
    removeNodeErrorCount: 1,
    restoreNodeTimeout: 5_000,
    defaultSelector: 'ORDER',
  });
  const query = new URLSearchParams(parsed.search);
  const extra: Record<string, string> = {};
  for (const [k, v] of query) extra[k] = v;
  parsed.hosts.forEach((h, i) => {
    cluster.add(`node${i}`, {
      ...extra,
      ...base,
      host: h.host,
      port: h.port,
      user: parsed.user,
      password: parsed.password,
      database: parsed.database,
    });
  });
  // A cluster emits 'warn' for each refused node it skips; the router logs what reaches it.
  cluster.on('warn', () => {});
  return track(cluster as unknown as MysqlPoolLike);
}

function openMysql(
  url: string,
  options: OpenDatabaseOptions,
  seen: (server: string) => void,
): Kysely<RouterDatabase> {
  const parsed = parseMysqlUrl(url);
  if ('problem' in parsed) throw new RouterError('ROUTER_ERR_DATABASE_URL', `DATABASE_URL ${parsed.problem}`);
  const pool = mysqlPool(
    url,
    parsed,
    {
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
    },
    seen,
  );
  return new Kysely<RouterDatabase>({
    dialect: new RouterMysqlDialect({
      pool: pool as never,
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
 * Opens the router's database: `mysql://user:pass@host:3306/db` (mysql2 pool; several hosts
 * `h1:3306,h2:3306` make a failover list) or `sqlite:path`
 * (Node's own node:sqlite, WAL mode). Nothing is created in the database: run `migrateToLatest`.
 */
export function openDatabase(url: string, options: OpenDatabaseOptions = {}): RouterDb {
  const dialect = databaseKindOf(url);
  let server: string | undefined;
  const db =
    dialect === 'sqlite'
      ? openSqlite(url, options)
      : openMysql(url, options, (s) => {
          server = s;
        });
  let closed: Promise<void> | undefined;
  return {
    db,
    dialect,
    server: () => server,
    close: () => {
      closed ??= db.destroy();
      return closed;
    },
  };
}
