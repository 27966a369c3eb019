// Erasable TypeScript: the benchmark uses it too.

import type { RouterDatabase } from '@iotgw/flow-router';
import type { Kysely } from 'kysely';

export interface RawFlow {
  code: string;
  topic: string;
  action?: string;
  endpointUrl?: string | null;
  /** JSON text, as the column holds it. */
  payloadSchema?: string | null;
}

/** Writes flow rows straight into the table, bypassing FlowRepository's checks (as legacy tools did). */
export async function insertRawFlows(db: Kysely<RouterDatabase>, flows: readonly RawFlow[]): Promise<void> {
  for (let i = 0; i < flows.length; i += 500) {
    const rows = flows.slice(i, i + 500).map((f) => ({
      code: f.code,
      description: null,
      topic: f.topic,
      payload_schema: f.payloadSchema ?? null,
      action: f.action ?? 'STORE_DB',
      endpoint_url: f.endpointUrl ?? null,
      enabled: 1,
      last_msg_id: 0,
      version: 1,
      created_at: 0,
      updated_at: 0,
    }));
    await db.insertInto('flows').values(rows).execute();
  }
}
