import type { Kysely } from 'kysely';
import type { RouterDatabase } from '../db/schema.js';

function stateName(clientId: string): string {
  return `subscriptions:${clientId}`;
}

/**
 * The filters this router (by MQTT client id) last subscribed. A persistent session keeps
 * subscriptions across restarts, so a filter whose flow was removed while the router was down must be
 * unsubscribed explicitly on the next start: this is how the router knows it.
 */
export async function loadSubscriptions(db: Kysely<RouterDatabase>, clientId: string): Promise<string[]> {
  const row = await db
    .selectFrom('router_state')
    .select('value')
    .where('name', '=', stateName(clientId))
    .executeTakeFirst();
  if (!row) return [];
  try {
    const value: unknown = JSON.parse(row.value);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

export async function saveSubscriptions(
  db: Kysely<RouterDatabase>,
  clientId: string,
  filters: readonly string[],
  now: number,
): Promise<void> {
  const name = stateName(clientId);
  const value = JSON.stringify([...filters].sort());
  await db.transaction().execute(async (trx) => {
    const exists = await trx
      .selectFrom('router_state')
      .select('name')
      .where('name', '=', name)
      .executeTakeFirst();
    if (exists) {
      await trx
        .updateTable('router_state')
        .set({ value, updated_at: now })
        .where('name', '=', name)
        .execute();
    } else {
      await trx.insertInto('router_state').values({ name, value, updated_at: now }).execute();
    }
  });
}
