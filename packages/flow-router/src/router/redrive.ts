import type { Kysely } from 'kysely';
import { errorText } from '../db/db-errors.js';
import type { RouterDatabase } from '../db/schema.js';
import { type CompiledFlow, compileFlow } from '../flows/compile-flow.js';
import type { FlowCheckOptions } from '../flows/flow-definition.js';
import type { MessageKey } from '../pipeline/message-key.js';
import type { ItemOutcome, WorkItem } from '../pipeline/work-item.js';
import type { FlowSet } from './flow-set.js';
import { type RouteOptions, routeMessage } from './route-message.js';

export type RedriveStatus = 'stored' | 'queued' | 'still_invalid' | 'not_found' | 'flow_missing' | 'failed';

export interface RedriveResult {
  readonly id: number;
  readonly status: RedriveStatus;
  readonly msgId?: number;
  readonly reason?: string;
}

export interface RedriveReport {
  readonly redriven: number;
  readonly failed: number;
  readonly results: readonly RedriveResult[];
}

export interface RedriveContext {
  readonly db: Kysely<RouterDatabase>;
  readonly flows: FlowSet;
  readonly check: FlowCheckOptions;
  readonly route: RouteOptions;
  write(items: readonly WorkItem[]): Promise<ItemOutcome[]>;
}

function parseProperties(text: string | null): Record<string, string | string[]> {
  if (!text) return {};
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, string | string[]>)
      : {};
  } catch {
    return {};
  }
}

/**
 * Sends dead letters through their flow again (after the flow or the sender was fixed): each is
 * validated against the flow as it is now; if it passes it is stored or queued and its dead-letter row
 * deleted in the same transaction, with a new msg id. One result per id, in order.
 */
export async function redriveDeadLetters(
  ctx: RedriveContext,
  ids: readonly number[],
): Promise<RedriveReport> {
  const results: RedriveResult[] = [];
  const compiledFromDb = new Map<number, CompiledFlow | null>();
  for (const id of ids) {
    const dl = await ctx.db.selectFrom('dead_letters').selectAll().where('id', '=', id).executeTakeFirst();
    if (!dl) {
      results.push({ id, status: 'not_found' });
      continue;
    }
    const flowId = dl.flow_id === null ? null : Number(dl.flow_id);
    let flow: CompiledFlow | null | undefined = flowId === null ? null : ctx.flows.get(flowId);
    if (flow === undefined && flowId !== null) {
      if (!compiledFromDb.has(flowId)) {
        const row = await ctx.db.selectFrom('flows').selectAll().where('id', '=', flowId).executeTakeFirst();
        const compiled = row ? compileFlow(row, ctx.check) : undefined;
        compiledFromDb.set(flowId, compiled?.ok ? compiled.flow : null);
      }
      flow = compiledFromDb.get(flowId);
    }
    if (!flow) {
      results.push({ id, status: 'flow_missing', reason: 'the flow no longer exists or is invalid' });
      continue;
    }
    const keyOverride: MessageKey | undefined = dl.msg_key
      ? { value: dl.msg_key, kind: dl.msg_key.startsWith('h:') ? 'hash' : 'id' }
      : undefined;
    const [item] = routeMessage(
      {
        topic: dl.topic,
        payload: Buffer.from(dl.payload),
        qos: 1,
        retain: false,
        userProperties: parseProperties(dl.user_properties),
        receivedAt: Number(dl.received_at),
      },
      [flow],
      ctx.route,
      keyOverride,
    );
    if (!item) continue;
    if (item.action.kind === 'dead') {
      results.push({
        id,
        status: 'still_invalid',
        reason: `${item.action.reason.code}: ${item.action.reason.reason}`,
      });
      continue;
    }
    try {
      const [outcome] = await ctx.write([{ ...item, redriveOf: id }]);
      if (outcome?.outcome === 'stored' || outcome?.outcome === 'queued') {
        results.push({ id, status: outcome.outcome, msgId: outcome.msgId });
      } else {
        results.push({ id, status: 'failed', reason: `unexpected outcome ${outcome?.outcome ?? 'none'}` });
      }
    } catch (err) {
      results.push({ id, status: 'failed', reason: errorText(err) });
    }
  }
  const redriven = results.filter((r) => r.status === 'stored' || r.status === 'queued').length;
  return { redriven, failed: results.length - redriven, results };
}
