import { isSecretRef } from '@iotgw/config';
import type { Kysely, Selectable, Updateable } from 'kysely';
import { isDuplicateKeyError } from '../db/db-errors.js';
import type { MqttServersTable, RouterDatabase } from '../db/schema.js';
import { type InputProblem, RouterError, validationError } from '../router-error.js';
import { type FieldSpec, parseInput } from './parse-input.js';

/**
 * An MQTT server as stored and as the HTTP API shows it. `passwordRef` is a reference (`env:NAME`,
 * `file:/path`), never the password: nothing here ever returns a resolved secret.
 */
export interface MqttServer {
  readonly id: number;
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly useTls: boolean;
  readonly username: string | null;
  readonly passwordRef: string | null;
  readonly clientId: string | null;
  readonly isDefault: boolean;
  readonly enabled: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface MqttServerInput {
  name: string;
  host: string;
  port?: number;
  useTls?: boolean;
  username?: string | null;
  passwordRef?: string | null;
  clientId?: string | null;
  isDefault?: boolean;
  enabled?: boolean;
}

const FIELDS: Record<keyof MqttServerInput, FieldSpec> = {
  name: { type: 'string', required: true },
  host: { type: 'string', required: true },
  port: { type: 'integer' },
  useTls: { type: 'boolean' },
  username: { type: 'string', nullable: true },
  passwordRef: { type: 'string', nullable: true },
  clientId: { type: 'string', nullable: true },
  isDefault: { type: 'boolean' },
  enabled: { type: 'boolean' },
};

export function toMqttServer(row: Selectable<MqttServersTable>): MqttServer {
  return {
    id: Number(row.id),
    name: row.name,
    host: row.host,
    port: Number(row.port),
    useTls: Number(row.use_tls) === 1,
    username: row.username,
    passwordRef: row.password_ref,
    clientId: row.client_id,
    isDefault: Number(row.is_default) === 1,
    enabled: Number(row.enabled) === 1,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function check(v: Partial<MqttServerInput>, body: unknown): InputProblem[] {
  const problems: InputProblem[] = [];
  if (typeof body === 'object' && body !== null && 'password' in body) {
    problems.push({
      path: '$.password',
      message: 'is never stored: give passwordRef (env:NAME or file:/path)',
    });
  }
  if (v.name !== undefined && (v.name.trim() === '' || v.name.length > 100)) {
    problems.push({ path: '$.name', message: 'must be 1 to 100 characters' });
  }
  if (v.host !== undefined && !/^[A-Za-z0-9.-]{1,255}$|^\[[0-9A-Fa-f:.]+\]$/.test(v.host)) {
    problems.push({ path: '$.host', message: 'must be a host name or an IP address' });
  }
  if (v.port !== undefined && (v.port < 1 || v.port > 65_535)) {
    problems.push({ path: '$.port', message: 'must be from 1 to 65535' });
  }
  if (v.passwordRef !== undefined && v.passwordRef !== null && !isSecretRef(v.passwordRef)) {
    problems.push({
      path: '$.passwordRef',
      message: 'must be a secret reference (env:NAME or file:/path); the password itself is never stored',
    });
  }
  return problems;
}

/** MQTT servers for the HTTP API (CRUD). The router's own choice is `selectMqttServer`. */
export class MqttServerRepository {
  readonly #db: Kysely<RouterDatabase>;
  readonly #now: () => number;

  constructor(db: Kysely<RouterDatabase>, options: { now?: () => number } = {}) {
    this.#db = db;
    this.#now = options.now ?? Date.now;
  }

  async list(): Promise<MqttServer[]> {
    return (await this.#db.selectFrom('mqtt_servers').selectAll().orderBy('id').execute()).map(toMqttServer);
  }

  async get(id: number): Promise<MqttServer | undefined> {
    const row = await this.#db.selectFrom('mqtt_servers').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toMqttServer(row) : undefined;
  }

  async create(input: unknown): Promise<MqttServer> {
    const parsed = parseInput<MqttServerInput>(input, FIELDS, false);
    const problems = parsed.ok ? check(parsed.value, input) : parsed.problems;
    if (!parsed.ok || problems.length > 0) throw validationError('MQTT server', problems);
    const v = parsed.value;
    const now = this.#now();
    try {
      const r = await this.#db
        .insertInto('mqtt_servers')
        .values({
          name: v.name,
          host: v.host,
          port: v.port ?? (v.useTls ? 8883 : 1883),
          use_tls: v.useTls ? 1 : 0,
          username: v.username ?? null,
          password_ref: v.passwordRef ?? null,
          client_id: v.clientId ?? null,
          is_default: v.isDefault ? 1 : 0,
          enabled: v.enabled === false ? 0 : 1,
          created_at: now,
          updated_at: now,
        })
        .executeTakeFirstOrThrow();
      return (await this.get(Number(r.insertId))) as MqttServer;
    } catch (err) {
      if (isDuplicateKeyError(err)) {
        throw new RouterError('ROUTER_ERR_CONFLICT', `an MQTT server named '${v.name}' already exists`, {
          cause: err,
        });
      }
      throw err;
    }
  }

  async update(id: number, patch: unknown): Promise<MqttServer> {
    const parsed = parseInput<Partial<MqttServerInput>>(patch, FIELDS, true);
    const problems = parsed.ok ? check(parsed.value, patch) : parsed.problems;
    if (!parsed.ok || problems.length > 0) throw validationError('MQTT server', problems);
    const v = parsed.value;
    const set: Updateable<MqttServersTable> = { updated_at: this.#now() };
    if (v.name !== undefined) set.name = v.name;
    if (v.host !== undefined) set.host = v.host;
    if (v.port !== undefined) set.port = v.port;
    if (v.useTls !== undefined) set.use_tls = v.useTls ? 1 : 0;
    if (v.username !== undefined) set.username = v.username;
    if (v.passwordRef !== undefined) set.password_ref = v.passwordRef;
    if (v.clientId !== undefined) set.client_id = v.clientId;
    if (v.isDefault !== undefined) set.is_default = v.isDefault ? 1 : 0;
    if (v.enabled !== undefined) set.enabled = v.enabled ? 1 : 0;
    const r = await this.#db.updateTable('mqtt_servers').set(set).where('id', '=', id).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0)
      throw new RouterError('ROUTER_ERR_NOT_FOUND', `MQTT server ${id} does not exist`);
    return (await this.get(id)) as MqttServer;
  }

  async delete(id: number): Promise<boolean> {
    const r = await this.#db.deleteFrom('mqtt_servers').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
