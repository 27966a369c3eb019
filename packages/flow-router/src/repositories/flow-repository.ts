import type { Kysely, Selectable } from 'kysely';
import { isDuplicateKeyError } from '../db/db-errors.js';
import type { FlowsTable, RouterDatabase } from '../db/schema.js';
import { checkFlowDefinition } from '../flows/flow-definition.js';
import { type InputProblem, RouterError, validationError } from '../router-error.js';
import { SchemaCompiler } from '../validation/schema-compiler.js';
import { type FieldSpec, parseInput } from './parse-input.js';

/** A flow as the HTTP API shows it. */
export interface Flow {
  readonly id: number;
  readonly code: string;
  readonly description: string | null;
  readonly topic: string;
  /** Parsed JSON: null, the legacy `{"field": "type"}` form or a JSON Schema. */
  readonly payloadSchema: unknown;
  readonly action: string;
  readonly endpointUrl: string | null;
  readonly enabled: boolean;
  readonly lastMsgId: number;
  readonly version: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface FlowInput {
  code: string;
  topic: string;
  action: string;
  description?: string | null;
  payloadSchema?: unknown;
  endpointUrl?: string | null;
  enabled?: boolean;
}

const FIELDS: Record<keyof FlowInput, FieldSpec> = {
  code: { type: 'string', required: true },
  topic: { type: 'string', required: true },
  action: { type: 'string', required: true },
  description: { type: 'string', nullable: true },
  payloadSchema: { type: 'any' },
  endpointUrl: { type: 'string', nullable: true },
  enabled: { type: 'boolean' },
};

/** The columns a flow input sets (create and update alike). */
function definitionColumns(v: FlowInput) {
  return {
    code: v.code,
    description: v.description ?? null,
    topic: v.topic,
    payload_schema:
      v.payloadSchema === undefined || v.payloadSchema === null ? null : JSON.stringify(v.payloadSchema),
    action: v.action,
    endpoint_url: v.endpointUrl ?? null,
    enabled: v.enabled === false ? 0 : 1,
  };
}

function toFlow(row: Selectable<FlowsTable>): Flow {
  let payloadSchema: unknown = null;
  if (row.payload_schema !== null) {
    try {
      payloadSchema = JSON.parse(row.payload_schema);
    } catch {
      payloadSchema = row.payload_schema;
    }
  }
  return {
    id: Number(row.id),
    code: row.code,
    description: row.description,
    topic: row.topic,
    payloadSchema,
    action: row.action,
    endpointUrl: row.endpoint_url,
    enabled: Number(row.enabled) === 1,
    lastMsgId: Number(row.last_msg_id),
    version: Number(row.version),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export interface FlowRepositoryOptions {
  /** HTTP_ALLOWED_HOSTS: POST_ENDPOINT URLs are checked against it on every write. */
  readonly allowedHosts?: readonly string[] | null;
  readonly now?: () => number;
}

/**
 * Flows for the HTTP API: CRUD with the same validation the router applies when it loads a flow
 * (topic filter, action, endpoint URL, payload schema in legacy form or JSON Schema), every problem
 * reported with its JSON path. The router picks changes up on its next reload.
 */
export class FlowRepository {
  readonly #db: Kysely<RouterDatabase>;
  readonly #allowedHosts: readonly string[] | null;
  readonly #now: () => number;
  readonly #compiler = new SchemaCompiler();

  constructor(db: Kysely<RouterDatabase>, options: FlowRepositoryOptions = {}) {
    this.#db = db;
    this.#allowedHosts = options.allowedHosts ?? null;
    this.#now = options.now ?? Date.now;
  }

  async list(filter: { enabled?: boolean } = {}): Promise<Flow[]> {
    let q = this.#db.selectFrom('flows').selectAll().orderBy('id');
    if (filter.enabled !== undefined) q = q.where('enabled', '=', filter.enabled ? 1 : 0);
    return (await q.execute()).map(toFlow);
  }

  async get(id: number): Promise<Flow | undefined> {
    const row = await this.#db.selectFrom('flows').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toFlow(row) : undefined;
  }

  async getByCode(code: string): Promise<Flow | undefined> {
    const row = await this.#db.selectFrom('flows').selectAll().where('code', '=', code).executeTakeFirst();
    return row ? toFlow(row) : undefined;
  }

  /** Checks an API body as a whole flow: `{ ok: true, value }` or every problem with its JSON path. */
  validate(input: unknown): { ok: true; value: FlowInput } | { ok: false; problems: InputProblem[] } {
    const parsed = parseInput<FlowInput>(input, FIELDS, false);
    if (!parsed.ok) return parsed;
    const value = parsed.value;
    const check = checkFlowDefinition(
      {
        code: value.code,
        topic: value.topic,
        payloadSchema: value.payloadSchema ?? null,
        action: value.action,
        endpointUrl: value.endpointUrl ?? null,
      },
      { compiler: this.#compiler, allowedHosts: this.#allowedHosts },
    );
    return check.ok ? { ok: true, value } : { ok: false, problems: check.problems };
  }

  async create(input: unknown): Promise<Flow> {
    const checked = this.validate(input);
    if (!checked.ok) throw validationError('flow', checked.problems);
    const v = checked.value;
    const now = this.#now();
    try {
      const result = await this.#db
        .insertInto('flows')
        .values({
          ...definitionColumns(v),
          last_msg_id: 0,
          version: 1,
          created_at: now,
          updated_at: now,
        })
        .executeTakeFirstOrThrow();
      return (await this.get(Number(result.insertId))) as Flow;
    } catch (err) {
      if (isDuplicateKeyError(err)) {
        throw new RouterError('ROUTER_ERR_CONFLICT', `a flow with code '${v.code}' already exists`, {
          cause: err,
        });
      }
      throw err;
    }
  }

  /** Changes some fields; the result is validated as a whole. Bumps `version`. */
  async update(id: number, patch: unknown): Promise<Flow> {
    const current = await this.get(id);
    if (!current) throw new RouterError('ROUTER_ERR_NOT_FOUND', `flow ${id} does not exist`);
    const parsed = parseInput<Partial<FlowInput>>(patch, FIELDS, true);
    if (!parsed.ok) throw validationError('flow', parsed.problems);
    const merged: FlowInput = {
      code: current.code,
      topic: current.topic,
      action: current.action,
      description: current.description,
      payloadSchema: current.payloadSchema,
      endpointUrl: current.endpointUrl,
      enabled: current.enabled,
      ...parsed.value,
    };
    const checked = this.validate(merged);
    if (!checked.ok) throw validationError('flow', checked.problems);
    const v = checked.value;
    try {
      await this.#db
        .updateTable('flows')
        .set((eb) => ({
          ...definitionColumns(v),
          version: eb('version', '+', 1),
          updated_at: this.#now(),
        }))
        .where('id', '=', id)
        .execute();
    } catch (err) {
      if (isDuplicateKeyError(err)) {
        throw new RouterError('ROUTER_ERR_CONFLICT', `a flow with code '${v.code}' already exists`, {
          cause: err,
        });
      }
      throw err;
    }
    return (await this.get(id)) as Flow;
  }

  async setEnabled(id: number, enabled: boolean): Promise<Flow> {
    const r = await this.#db
      .updateTable('flows')
      .set((eb) => ({ enabled: enabled ? 1 : 0, version: eb('version', '+', 1), updated_at: this.#now() }))
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0)
      throw new RouterError('ROUTER_ERR_NOT_FOUND', `flow ${id} does not exist`);
    return (await this.get(id)) as Flow;
  }

  /**
   * Deletes a flow. A flow with stored records or queued POSTs is kept (ROUTER_ERR_HAS_DATA) unless
   * `cascade` is set, which deletes them too. Dead letters are kept (they name the flow by code).
   */
  async delete(id: number, options: { cascade?: boolean } = {}): Promise<boolean> {
    return this.#db.transaction().execute(async (trx) => {
      const exists = await trx.selectFrom('flows').select('id').where('id', '=', id).executeTakeFirst();
      if (!exists) return false;
      if (!options.cascade) {
        const record = await trx
          .selectFrom('data_records')
          .select('msg_id')
          .where('flow_id', '=', id)
          .limit(1)
          .executeTakeFirst();
        const queued = await trx
          .selectFrom('http_outbox')
          .select('id')
          .where('flow_id', '=', id)
          .limit(1)
          .executeTakeFirst();
        if (record || queued) {
          throw new RouterError(
            'ROUTER_ERR_HAS_DATA',
            `flow ${id} has stored records or queued POSTs; delete with cascade`,
          );
        }
      }
      await trx.deleteFrom('data_records').where('flow_id', '=', id).execute();
      await trx.deleteFrom('http_outbox').where('flow_id', '=', id).execute();
      await trx.deleteFrom('message_keys').where('flow_id', '=', id).execute();
      await trx.deleteFrom('flows').where('id', '=', id).execute();
      return true;
    });
  }
}
