import {
  type MigrationReport,
  migrateToLatest,
  migrationStatus,
  openDatabase,
  redactDatabaseUrl,
} from '@iotgw/flow-router';
import { sql } from 'kysely';
import { oneLine, ServerError } from '../server-error.js';

/** One line: `3 applied (a, b, c)` or `failed at b: <reason>`. */
export function describeMigrations(report: MigrationReport): string {
  const failed = report.steps.find((s) => s.status === 'Error');
  if (!report.ok) {
    return `failed${failed ? ` at ${failed.name}` : ''}: ${oneLine(report.error?.message ?? 'unknown error')}`;
  }
  const applied = report.steps.filter((s) => s.status === 'Success').map((s) => s.name);
  return applied.length === 0 ? 'nothing to apply' : `${applied.length} applied (${applied.join(', ')})`;
}

/** The text `iotgw-server migrate` prints: every step, then what is applied and pending. */
export function formatMigrationReport(
  database: string,
  report: MigrationReport,
  status: { executed: readonly string[]; pending: readonly string[] } | undefined,
): string {
  const lines = [`migrations on ${database}:`];
  if (report.steps.length === 0) lines.push('  nothing to apply');
  for (const s of report.steps)
    lines.push(`  ${s.direction.toLowerCase()} ${s.name}: ${s.status.toLowerCase()}`);
  if (!report.ok) lines.push(`error: ${oneLine(report.error?.message ?? 'unknown error')}`);
  if (status) {
    lines.push(
      status.pending.length === 0
        ? `up to date: ${status.executed.length} migration(s) applied`
        : `pending: ${status.pending.join(', ')}`,
    );
  }
  return lines.join('\n');
}

/** `iotgw-server migrate`: applies pending migrations; returns the report text and whether it worked. */
export async function runMigrations(databaseUrl: string): Promise<{ ok: boolean; text: string }> {
  const name = redactDatabaseUrl(databaseUrl);
  let db: ReturnType<typeof openDatabase>;
  try {
    db = openDatabase(databaseUrl);
  } catch (err) {
    throw new ServerError('SERVER_ERR_DATABASE', `cannot open the database ${name}: ${oneLine(err)}`, {
      cause: err,
    });
  }
  try {
    try {
      await sql`select 1`.execute(db.db);
    } catch (err) {
      throw new ServerError('SERVER_ERR_DATABASE', `cannot reach the database ${name}: ${oneLine(err)}`, {
        cause: err,
      });
    }
    const report = await migrateToLatest(db.db);
    const status = report.ok ? await migrationStatus(db.db) : undefined;
    return { ok: report.ok, text: formatMigrationReport(name, report, status) };
  } finally {
    await db.close();
  }
}
