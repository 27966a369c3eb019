import type { Selectable } from 'kysely';
import type { FlowsTable } from '../db/schema.js';
import type { FlowSchemaForm } from '../validation/flow-schema.js';
import type { CompiledSchema } from '../validation/schema-compiler.js';
import { checkFlowDefinition, type FlowAction, type FlowCheckOptions } from './flow-definition.js';

export type FlowRow = Selectable<FlowsTable>;

/** A flow ready to route: its filter, action and compiled payload validator. Immutable. */
export interface CompiledFlow {
  readonly id: number;
  readonly code: string;
  readonly topic: string;
  readonly action: FlowAction;
  readonly endpointUrl: string | null;
  readonly schema: CompiledSchema;
  readonly schemaForm: FlowSchemaForm;
  /** Changes whenever anything that affects routing changes: reloads recompile on a new fingerprint. */
  readonly fingerprint: string;
}

/** A flow the router would not load, and why (it is reported; the other flows keep running). */
export interface FlowRefusal {
  readonly id: number;
  readonly code: string;
  readonly reason: string;
}

export type FlowCompile = { ok: true; flow: CompiledFlow } | { ok: false; refusal: FlowRefusal };

export function flowFingerprint(row: FlowRow): string {
  return JSON.stringify([row.code, row.topic, row.payload_schema, row.action, row.endpoint_url]);
}

export function compileFlow(row: FlowRow, options: FlowCheckOptions): FlowCompile {
  let payloadSchema: unknown = null;
  if (row.payload_schema !== null && row.payload_schema.trim() !== '') {
    try {
      payloadSchema = JSON.parse(row.payload_schema);
    } catch (e) {
      return {
        ok: false,
        refusal: {
          id: row.id,
          code: row.code,
          reason: `$.payloadSchema: is not valid JSON: ${(e as Error).message}`,
        },
      };
    }
  }
  const check = checkFlowDefinition(
    { code: row.code, topic: row.topic, payloadSchema, action: row.action, endpointUrl: row.endpoint_url },
    options,
  );
  if (!check.ok) {
    const reason = check.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    return { ok: false, refusal: { id: row.id, code: row.code, reason } };
  }
  return {
    ok: true,
    flow: Object.freeze({
      id: Number(row.id),
      code: row.code,
      topic: row.topic,
      action: check.action,
      endpointUrl: row.endpoint_url,
      schema: check.schema,
      schemaForm: check.schemaForm,
      fingerprint: flowFingerprint(row),
    }),
  };
}
