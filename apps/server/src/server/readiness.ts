import { migrationStatus, type RouterDatabase } from '@iotgw/flow-router';
import { type Kysely, sql } from 'kysely';
import { oneLine } from '../server-error.js';

export type ReadinessCheckName = 'database' | 'migrations' | 'broker';

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

/** `/readyz`: the database answers, its migrations are current, and the broker connections are up. */
export function readinessProbe(options: ReadinessOptions): ReadinessProbe {
  const timeoutMs = options.timeoutMs ?? 2_000;
  return async () => {
    let database: ReadinessCheck;
    let migrations: ReadinessCheck;
    try {
      await withTimeout(sql`select 1`.execute(options.db), timeoutMs);
      const server = options.databaseServer?.();
      database = { ok: true, detail: server ? `reachable at ${server}` : 'reachable' };
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
    const checks = { database, migrations, broker };
    const notReady = (Object.keys(checks) as ReadinessCheckName[]).filter((k) => !checks[k].ok);
    return { ready: notReady.length === 0, notReady, checks };
  };
}
