import { type Kysely, sql } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';
import type { DatabaseKind } from '../settings/load-router-settings.js';

type AnyDb = Kysely<unknown>;

/**
 * The router's schema, one migration per step, forward-only in production (each has a `down` for the
 * up-and-down tests). Dialect differences are kept here: id column types, MySQL's MEDIUMTEXT/MEDIUMBLOB
 * and table options.
 */
export function routerMigrations(dialect: DatabaseKind): Record<string, Migration> {
  const mysql = dialect === 'mysql';
  const bigId = mysql ? 'bigint' : 'integer';
  const longText = mysql ? sql`mediumtext` : sql`text`;
  const longBlob = mysql ? sql`mediumblob` : sql`blob`;
  const tableOptions = mysql ? sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_bin` : sql``;

  const initial: Migration = {
    async up(db: AnyDb) {
      await db.schema
        .createTable('mqtt_servers')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('name', 'varchar(100)', (c) => c.notNull().unique())
        .addColumn('host', 'varchar(255)', (c) => c.notNull())
        .addColumn('port', 'integer', (c) => c.notNull())
        .addColumn('use_tls', 'boolean', (c) => c.notNull().defaultTo(0))
        .addColumn('username', 'varchar(255)')
        .addColumn('password_ref', 'varchar(1024)')
        .addColumn('client_id', 'varchar(200)')
        .addColumn('is_default', 'boolean', (c) => c.notNull().defaultTo(0))
        .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .modifyEnd(tableOptions)
        .execute();

      await db.schema
        .createTable('flows')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('code', 'varchar(100)', (c) => c.notNull().unique())
        .addColumn('description', 'varchar(1000)')
        .addColumn('topic', 'varchar(1024)', (c) => c.notNull())
        .addColumn('payload_schema', longText)
        .addColumn('action', 'varchar(20)', (c) => c.notNull())
        .addColumn('endpoint_url', 'varchar(2048)')
        .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(1))
        .addColumn('last_msg_id', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .modifyEnd(tableOptions)
        .execute();

      // Clustered by (flow, msg id, field): inserts of a flow append at its end; the unique key makes a
      // second copy of a record impossible.
      await db.schema
        .createTable('data_records')
        .addColumn('flow_id', 'integer', (c) => c.notNull())
        .addColumn('msg_id', 'bigint', (c) => c.notNull())
        .addColumn('field', 'varchar(255)', (c) => c.notNull())
        .addColumn('value_type', 'varchar(8)', (c) => c.notNull())
        .addColumn('num_value', 'double precision')
        .addColumn('str_value', longText)
        .addColumn('bool_value', 'boolean')
        .addColumn('json_value', longText)
        .addColumn('topic', 'varchar(1024)', (c) => c.notNull())
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('data_records_pk', ['flow_id', 'msg_id', 'field'])
        .modifyEnd(tableOptions)
        .execute();
      // "This field of this flow over time" (and cursor pagination on it).
      await db.schema
        .createIndex('data_records_series_idx')
        .on('data_records')
        .columns(['flow_id', 'field', 'received_at', 'msg_id'])
        .execute();

      await db.schema
        .createTable('message_keys')
        .addColumn('flow_id', 'integer', (c) => c.notNull())
        .addColumn('msg_key', 'varchar(130)', (c) => c.notNull())
        .addColumn('key_kind', 'varchar(4)', (c) => c.notNull())
        .addColumn('msg_id', 'bigint')
        .addColumn('outcome', 'varchar(8)', (c) => c.notNull())
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('message_keys_pk', ['flow_id', 'msg_key'])
        .modifyEnd(tableOptions)
        .execute();
      await db.schema
        .createIndex('message_keys_received_idx')
        .on('message_keys')
        .column('received_at')
        .execute();

      await db.schema
        .createTable('dead_letters')
        .addColumn('id', bigId, (c) => c.primaryKey().autoIncrement())
        .addColumn('flow_id', 'integer')
        .addColumn('flow_code', 'varchar(100)')
        .addColumn('topic', 'text', (c) => c.notNull())
        .addColumn('payload', longBlob, (c) => c.notNull())
        .addColumn('reason_code', 'varchar(40)', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('json_path', 'varchar(1000)')
        .addColumn('msg_key', 'varchar(130)')
        .addColumn('user_properties', 'text')
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .modifyEnd(tableOptions)
        .execute();
      await db.schema
        .createIndex('dead_letters_flow_idx')
        .on('dead_letters')
        .columns(['flow_id', 'id'])
        .execute();

      await db.schema
        .createTable('http_outbox')
        .addColumn('id', bigId, (c) => c.primaryKey().autoIncrement())
        .addColumn('flow_id', 'integer', (c) => c.notNull())
        .addColumn('flow_code', 'varchar(100)', (c) => c.notNull())
        .addColumn('msg_id', 'bigint', (c) => c.notNull())
        .addColumn('msg_key', 'varchar(130)', (c) => c.notNull())
        .addColumn('url', 'varchar(2048)', (c) => c.notNull())
        .addColumn('payload', longText, (c) => c.notNull())
        .addColumn('topic', 'text', (c) => c.notNull())
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
        .addColumn('lease_owner', 'varchar(100)')
        .addColumn('lease_until', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .addColumn('last_status', 'integer')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .modifyEnd(tableOptions)
        .execute();
      await db.schema
        .createIndex('http_outbox_due_idx')
        .on('http_outbox')
        .columns(['next_attempt_at', 'id'])
        .execute();

      await db.schema
        .createTable('router_state')
        .addColumn('name', 'varchar(200)', (c) => c.primaryKey())
        .addColumn('value', longText, (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .modifyEnd(tableOptions)
        .execute();
    },
    async down(db: AnyDb) {
      for (const table of [
        'router_state',
        'http_outbox',
        'dead_letters',
        'message_keys',
        'data_records',
        'flows',
        'mqtt_servers',
      ]) {
        await db.schema.dropTable(table).execute();
      }
    },
  };

  return { '2026_11_01_0001_initial': initial };
}

export function routerMigrationProvider(dialect: DatabaseKind): MigrationProvider {
  return { getMigrations: async () => routerMigrations(dialect) };
}
