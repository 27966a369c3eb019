const TRANSIENT_MYSQL_CODES = new Set([
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_QUERY_INTERRUPTED',
  // Galera: a node that is not (yet) part of the primary component answers 1047 "WSREP has not yet
  // prepared node for application use"; a commit the cluster could not order fails with 1180.
  'ER_UNKNOWN_COM_ERROR',
  'ER_ERROR_DURING_COMMIT',
  // mysql2 pool cluster (a failover list of hosts) with every host refusing connections.
  'POOL_NONEONLINE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;

function field(err: unknown, name: string): unknown {
  return typeof err === 'object' && err !== null ? (err as Record<string, unknown>)[name] : undefined;
}

/**
 * Whether a database error is worth retrying as is: lost connections, deadlocks, lock timeouts, a busy
 * SQLite file. Anything else that repeats while the database answers is a problem with the data.
 */
export function isTransientDbError(err: unknown): boolean {
  const code = field(err, 'code');
  if (typeof code === 'string' && TRANSIENT_MYSQL_CODES.has(code)) return true;
  if (err instanceof WriteConflict) return true;
  if (field(err, 'fatal') === true) return true;
  const errcode = field(err, 'errcode');
  if (
    typeof errcode === 'number' &&
    ((errcode & 0xff) === SQLITE_BUSY || (errcode & 0xff) === SQLITE_LOCKED)
  ) {
    return true;
  }
  const message = err instanceof Error ? err.message : '';
  return /connection (is in closed state|lost)|database is locked|Pool is closed|read ECONNRESET/i.test(
    message,
  );
}

/**
 * A batch lost a race with a concurrent commit and must be planned again: nothing of it was stored.
 * On one database server the flow row locks make this rare; on Galera (locks are local to a node)
 * the loser sees a certification failure (ER_LOCK_DEADLOCK, at COMMIT or earlier) or, once the
 * winner's write set has been applied on its node, a duplicate key under its own locks.
 */
export class WriteConflict extends Error {
  readonly code = 'WRITE_CONFLICT';
}

/** Whether a failed batch lost a race (retry at once, replanned) rather than met an outage or bad data. */
export function isWriteConflict(err: unknown): boolean {
  return err instanceof WriteConflict || field(err, 'code') === 'ER_LOCK_DEADLOCK';
}

/** A unique-key violation (MySQL ER_DUP_ENTRY, SQLite UNIQUE/PRIMARY KEY constraint). */
export function isDuplicateKeyError(err: unknown): boolean {
  if (field(err, 'code') === 'ER_DUP_ENTRY') return true;
  const errcode = field(err, 'errcode');
  return errcode === 1555 || errcode === 2067;
}

/** A database server's error (mysql2 sets sqlState, node:sqlite errcode): its message may quote values. */
function isDbError(err: Error): boolean {
  return typeof field(err, 'sqlState') === 'string' || typeof field(err, 'errcode') === 'number';
}

/** Quoted literals a database error message takes from the statement's values. */
const VALUE_IN_MESSAGE = /\b(entry|near|value:?) '(?:[^'\\]|\\.)*'/gi;
const LONG_QUOTED = /'(?:[^'\\]|\\.){64,}'/g;

/**
 * A short, secret-free description of an error for logs and dead-letter reasons: the code and the
 * message, never the SQL text (mysql2 keeps it in `err.sql`, which a logged error object would show).
 * A database error's message may quote values from a payload (`Duplicate entry '…'`, `near '…'`,
 * `Incorrect string value: '…'`): those, and any long quoted text, are elided; names of tables and
 * keys stay.
 */
export function errorText(err: unknown): string {
  if (err instanceof Error) {
    const code = field(err, 'code');
    const message = isDbError(err)
      ? err.message.replace(VALUE_IN_MESSAGE, "$1 '…'").replace(LONG_QUOTED, "'…'")
      : err.message;
    const text = typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
    return text.length > 500 ? `${text.slice(0, 500)}…` : text;
  }
  return String(err);
}
