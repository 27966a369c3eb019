import type { Kysely } from 'kysely';
import { type MigrationResult, Migrator } from 'kysely/migration';
import { isDuplicateKeyError, isTransientDbError } from './db-errors.js';
import { dialectOf } from './dialect-of.js';
import { routerMigrationProvider } from './migrations.js';
import type { RouterDatabase } from './schema.js';

export interface MigrationStep {
  readonly name: string;
  readonly direction: 'Up' | 'Down';
  readonly status: 'Success' | 'Error' | 'NotExecuted';
}

/** What a migration run did, step by step; `ok: false` with `error` when a step failed (the run stops there). */
export interface MigrationReport {
  readonly ok: boolean;
  readonly steps: readonly MigrationStep[];
  readonly error?: { readonly message: string; readonly cause: unknown };
}

export interface MigrationStatus {
  readonly executed: readonly string[];
  readonly pending: readonly string[];
  readonly upToDate: boolean;
}

function migrator(db: Kysely<RouterDatabase>): Migrator {
  return new Migrator({
    db,
    provider: routerMigrationProvider(dialectOf(db)),
    migrationTableName: 'router_migrations',
    migrationLockTableName: 'router_migrations_lock',
  });
}

function report(result: { error?: unknown; results?: MigrationResult[] }): MigrationReport {
  const steps = (result.results ?? []).map((r) => ({
    name: r.migrationName,
    direction: r.direction,
    status: r.status,
  }));
  if (result.error === undefined) return { ok: true, steps };
  const message = result.error instanceof Error ? result.error.message : String(result.error);
  return { ok: false, steps, error: { message, cause: result.error } };
}

/**
 * Whether a failed migration run lost a race with another replica rather than failed: on a cluster,
 * two replicas create kysely's bookkeeping tables and lock row at once (table exists, duplicate row,
 * certification deadlock) or one talks to a node that is still joining.
 */
function lostRace(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return (
    isTransientDbError(err) ||
    isDuplicateKeyError(err) ||
    code === 'ER_TABLE_EXISTS_ERROR' ||
    code === 'ER_DUP_KEYNAME' ||
    code === 'ER_DUP_FIELDNAME'
  );
}

/**
 * Applies every pending migration (the only direction production uses). Never throws: read `ok`.
 * A run that lost a race with another replica migrating the same database is run again (up to
 * `attempts` times): the next run sees what the other one did.
 */
export async function migrateToLatest(db: Kysely<RouterDatabase>, attempts = 20): Promise<MigrationReport> {
  let last: MigrationReport = { ok: true, steps: [] };
  const done: MigrationStep[] = [];
  for (let i = 0; i < attempts; i++) {
    last = report(await migrator(db).migrateToLatest());
    done.push(...last.steps.filter((s) => s.status === 'Success'));
    if (last.ok || !lostRace(last.error?.cause)) break;
    await new Promise((r) => setTimeout(r, 100 + Math.random() * 400));
  }
  return last.ok
    ? { ok: true, steps: done }
    : { ...last, steps: [...done, ...last.steps.filter((s) => s.status !== 'Success')] };
}

/** Undoes the last `steps` migrations (tests and development only). */
export async function migrateDown(db: Kysely<RouterDatabase>, steps = 1): Promise<MigrationReport> {
  const all: MigrationStep[] = [];
  for (let i = 0; i < steps; i++) {
    const r = report(await migrator(db).migrateDown());
    all.push(...r.steps);
    if (!r.ok) return { ...r, steps: all };
    if (r.steps.length === 0) break;
  }
  return { ok: true, steps: all };
}

/** Undoes every migration: an empty database again (tests only). */
export async function migrateDownAll(db: Kysely<RouterDatabase>): Promise<MigrationReport> {
  return migrateDown(db, Number.MAX_SAFE_INTEGER);
}

/** Which migrations ran and which are pending, for readiness checks. */
export async function migrationStatus(db: Kysely<RouterDatabase>): Promise<MigrationStatus> {
  const list = await migrator(db).getMigrations();
  const executed = list.filter((m) => m.executedAt !== undefined).map((m) => m.name);
  const pending = list.filter((m) => m.executedAt === undefined).map((m) => m.name);
  return { executed, pending, upToDate: pending.length === 0 };
}
