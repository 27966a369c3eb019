import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { ConnectorError } from './connector-error.js';

/** The outbox's SQLite file, opened: the statements SqliteOutbox runs and what the file held. */
export interface OutboxDatabase {
  db: DatabaseSync;
  /** The outbox's durable id (created with the file). */
  id: string;
  depth: number;
  bytes: number;
  lastSeq: number;
  insert: StatementSync;
  deleteSeq: StatementSync;
  deleteRange: StatementSync;
  oldest: StatementSync;
  peek: StatementSync;
  totals: StatementSync;
  /** Removes the waiting messages with a replace key (RETURNING seq, size). */
  deleteKey: StatementSync;
  /** Copies one message into the parked table (with its reason and time). */
  parkCopy: StatementSync;
  /** The parked table's count and bytes, and its oldest row. */
  parkedTotals: StatementSync;
  deleteOldestParked: StatementSync;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS outbox_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    topic TEXT NOT NULL,
    payload BLOB NOT NULL,
    qos INTEGER NOT NULL,
    retain INTEGER NOT NULL,
    user_properties TEXT,
    enqueued_at INTEGER NOT NULL,
    size INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS outbox_parked (
    seq INTEGER PRIMARY KEY,
    topic TEXT NOT NULL,
    payload BLOB NOT NULL,
    qos INTEGER NOT NULL,
    retain INTEGER NOT NULL,
    user_properties TEXT,
    enqueued_at INTEGER NOT NULL,
    size INTEGER NOT NULL,
    reason TEXT NOT NULL,
    parked_at INTEGER NOT NULL
  );`;

/** Files made before replace keys existed get the column (and its index) on open. */
function addReplaceKey(db: DatabaseSync): void {
  const columns = db.prepare('PRAGMA table_info(outbox)').all() as { name: string }[];
  if (!columns.some((c) => c.name === 'replace_key'))
    db.exec('ALTER TABLE outbox ADD COLUMN replace_key TEXT');
  db.exec(
    'CREATE INDEX IF NOT EXISTS outbox_replace_key ON outbox (replace_key) WHERE replace_key IS NOT NULL',
  );
}

export function storageError(message: string, cause: unknown): ConnectorError {
  return new ConnectorError('OUTBOX_ERR_STORAGE', `${message}: ${(cause as Error)?.message ?? cause}`, {
    cause,
  });
}

/**
 * Opens (or creates) the outbox file: WAL journal, `synchronous=FULL` (a commit is fsynced), exclusive
 * locking (a second process gets OUTBOX_ERR_LOCKED instead of sending the same messages), AUTOINCREMENT
 * so that a seq, and therefore a message id, is never reused.
 */
export function openOutboxDatabase(path: string): OutboxDatabase {
  let db: DatabaseSync;
  try {
    mkdirSync(dirname(path), { recursive: true });
    db = new DatabaseSync(path, { timeout: 0 });
  } catch (cause) {
    throw storageError(`cannot open outbox ${path}`, cause);
  }
  try {
    db.exec('PRAGMA locking_mode = EXCLUSIVE');
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = FULL');
    db.exec('BEGIN IMMEDIATE');
  } catch (cause) {
    db.close();
    if (/locked|busy/i.test(String((cause as Error).message))) {
      throw new ConnectorError(
        'OUTBOX_ERR_LOCKED',
        `outbox ${path} is in use by another process (one connector per outbox file)`,
        { cause },
      );
    }
    throw storageError(`cannot open outbox ${path}`, cause);
  }
  try {
    db.exec(SCHEMA);
    addReplaceKey(db);
    const meta = db.prepare(`SELECT value FROM outbox_meta WHERE key = 'id'`).get() as
      | { value: string }
      | undefined;
    const id = meta?.value ?? randomUUID();
    if (!meta) db.prepare(`INSERT INTO outbox_meta (key, value) VALUES ('id', ?)`).run(id);
    const totals = db.prepare(
      'SELECT COUNT(*) AS n, COALESCE(SUM(size), 0) AS bytes, COALESCE(MAX(seq), 0) AS last FROM outbox',
    );
    const t = totals.get() as { n: number; bytes: number; last: number };
    db.exec('COMMIT');
    return {
      db,
      id,
      depth: t.n,
      bytes: t.bytes,
      lastSeq: t.last,
      totals,
      insert: db.prepare(
        'INSERT INTO outbox (topic, payload, qos, retain, user_properties, enqueued_at, size, replace_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      deleteKey: db.prepare('DELETE FROM outbox WHERE replace_key = ? RETURNING seq, size, user_properties'),
      parkCopy: db.prepare(
        `INSERT OR REPLACE INTO outbox_parked (seq, topic, payload, qos, retain, user_properties, enqueued_at, size, reason, parked_at)
         SELECT seq, topic, payload, qos, retain, user_properties, enqueued_at, size, ?, ? FROM outbox WHERE seq = ?`,
      ),
      parkedTotals: db.prepare(
        'SELECT COUNT(*) AS n, COALESCE(SUM(size), 0) AS bytes, MIN(seq) AS oldest FROM outbox_parked',
      ),
      deleteOldestParked: db.prepare(
        'DELETE FROM outbox_parked WHERE seq = (SELECT MIN(seq) FROM outbox_parked)',
      ),
      deleteSeq: db.prepare('DELETE FROM outbox WHERE seq = ? RETURNING size'),
      deleteRange: db.prepare('DELETE FROM outbox WHERE seq BETWEEN ? AND ? RETURNING size'),
      oldest: db.prepare('SELECT seq, size, enqueued_at FROM outbox ORDER BY seq LIMIT 1'),
      peek: db.prepare(
        'SELECT seq, topic, payload, qos, retain, user_properties, enqueued_at FROM outbox WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?',
      ),
    };
  } catch (cause) {
    db.close();
    throw storageError(`cannot initialise outbox ${path}`, cause);
  }
}
