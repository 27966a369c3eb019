import { type CommitStall, migrationStatus, type RouterDatabase } from '@iotgw/flow-router';
import { type Kysely, sql } from 'kysely';
import { oneLine } from '../server-error.js';

export type ReadinessCheckName = 'database' | 'migrations' | 'broker' | 'commits';

export interface ReadinessCheck {
  readonly ok: boolean;
  readonly detail: string;
}

export interface ReadinessReport {
  readonly ready: boolean;
  /** The checks that failed, e.g. `['database', 'migrations']`. */
  readonly notReady: readonly ReadinessCheckName[];
  readonly checks: Readonly<Record<ReadinessCheckName, ReadinessCheck>>;
}

export type ReadinessProbe = () => Promise<ReadinessReport>;

export interface ReadinessOptions {
  readonly db: Kysely<RouterDatabase>;
  /** Whether every MQTT connection is up, and if not which. */
  readonly broker: () => ReadinessCheck;
  /** `host:port` of the database server in use (a failover list names several), when known. */
  readonly databaseServer?: () => string | undefined;
  /** Batches the router planned again after losing a race with another Galera node (so far). */
  readonly conflictRetries?: () => number;
  /** Whether the router's batches commit (commitCheck of its stats), if a router runs here. */
  readonly commits?: () => ReadinessCheck;
  /** How long the database may take to answer (default 2,000 ms). */
  readonly timeoutMs?: number;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A batch failing for this long makes the server not ready (a deadlock retry does not). */
export const COMMIT_STALL_GRACE_MS = 2_000;

/**
 * The `commits` check from the router's `stats().commitStall`: not ready while a batch has kept
 * failing for COMMIT_STALL_GRACE_MS or more, naming its flows, how long and the last error.
 */
export function commitCheck(stall: CommitStall | null, now: number): ReadinessCheck {
  if (stall === null || now - stall.since < COMMIT_STALL_GRACE_MS) {
    return { ok: true, detail: 'batches commit' };
  }
  const seconds = Math.round((now - stall.since) / 1000);
  return {
    ok: false,
    detail: `flows ${stall.flows.join(', ')} cannot commit for ${seconds} s (${stall.attempts} attempts): ${oneLine(stall.error)}`,
  };
}

/**
 * `/readyz`: the database answers, its migrations are current, the broker connections are up, and the
 * router's batches commit.
 */
export function readinessProbe(options: ReadinessOptions): ReadinessProbe {
  const timeoutMs = options.timeoutMs ?? 2_000;
  return async () => {
    let database: ReadinessCheck;
    let migrations: ReadinessCheck;
    try {
      await withTimeout(sql`select 1`.execute(options.db), timeoutMs);
      const server = options.databaseServer?.();
      const conflicts = options.conflictRetries?.() ?? 0;
      database = {
        ok: true,
        detail: `${server ? `reachable at ${server}` : 'reachable'}${conflicts > 0 ? `; ${conflicts} conflict retries` : ''}`,
      };
    } catch (err) {
      database = { ok: false, detail: `unreachable: ${oneLine(err)}` };
    }
    if (database.ok) {
      try {
        const status = await withTimeout(migrationStatus(options.db), timeoutMs);
        migrations = status.upToDate
          ? { ok: true, detail: `${status.executed.length} applied, none pending` }
          : { ok: false, detail: `pending: ${status.pending.join(', ')} (run iotgw-server migrate)` };
      } catch (err) {
        migrations = { ok: false, detail: `cannot be read: ${oneLine(err)}` };
      }
    } else {
      migrations = { ok: false, detail: 'unknown: the database is unreachable' };
    }
    const broker = options.broker();
    const commits = options.commits?.() ?? { ok: true, detail: 'no router here' };
    const checks = { database, migrations, broker, commits };
    const notReady = (Object.keys(checks) as ReadinessCheckName[]).filter((k) => !checks[k].ok);
    return { ready: notReady.length === 0, notReady, checks };
  };
}
