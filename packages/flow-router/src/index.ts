export { errorText } from './db/db-errors.js';
export { dialectOf } from './db/dialect-of.js';
export {
  type MigrationReport,
  type MigrationStatus,
  type MigrationStep,
  migrateDown,
  migrateDownAll,
  migrateToLatest,
  migrationStatus,
} from './db/migrate.js';
export { routerMigrations } from './db/migrations.js';
export { nodeSqliteDatabase } from './db/node-sqlite-adapter.js';
export { type OpenDatabaseOptions, openDatabase, type RouterDb, sqlitePath } from './db/open-database.js';
export type {
  DataRecordsTable,
  DeadLettersTable,
  FlowsTable,
  HttpOutboxTable,
  MessageKeysTable,
  MqttServersTable,
  RouterDatabase,
  RouterStateTable,
  ValueType,
} from './db/schema.js';
export { type CompiledFlow, compileFlow, type FlowRefusal, type FlowRow } from './flows/compile-flow.js';
export {
  checkFlowDefinition,
  FLOW_ACTIONS,
  type FlowAction,
  type FlowDefinition,
} from './flows/flow-definition.js';
export { retryAfterMs, retryDelayMs } from './http/backoff.js';
export { endpointProblem } from './http/endpoint-policy.js';
export { minimalFilterSet, TopicTrie } from './matching/topic-trie.js';
export { decodePayload, type PayloadDecode } from './pipeline/decode-payload.js';
export { type CommitStall, type GroupCommitOptions, GroupCommitter } from './pipeline/group-commit.js';
export { fitMessage, itemBytes } from './pipeline/item-bytes.js';
export { idOfKey, type MessageKey, messageKey } from './pipeline/message-key.js';
export { type RecordValue, recordValues } from './pipeline/record-values.js';
export { isSecretField, REDACTED, redactPayload } from './pipeline/redact-secrets.js';
export type { DeadReason, ItemOutcome, WorkAction, WorkItem } from './pipeline/work-item.js';
export {
  type DeadLetter,
  type DeadLetterFilter,
  DeadLetterRepository,
} from './repositories/dead-letter-repository.js';
export {
  type Flow,
  type FlowInput,
  FlowRepository,
  type FlowRepositoryOptions,
} from './repositories/flow-repository.js';
export {
  type MqttServer,
  type MqttServerInput,
  MqttServerRepository,
} from './repositories/mqtt-server-repository.js';
export {
  type DataRecord,
  type RecordPage,
  RecordQuery,
  type RecordQueryOptions,
} from './repositories/record-query.js';
export {
  type MqttServerConnection,
  mqttServerConnection,
  selectMqttServer,
} from './repositories/select-mqtt-server.js';
export type { ReloadReport } from './router/flow-reloader.js';
export {
  type AcknowledgedMessage,
  type ExplainedFlow,
  FlowRouter,
  type FlowRouterOptions,
  type RouterStats,
  type StoredMessage,
} from './router/flow-router.js';
export type { RedriveReport, RedriveResult, RedriveStatus } from './router/redrive.js';
export type { RouterCounters } from './router/router-accounting.js';
export {
  type HttpOutcome,
  type MessageOutcome,
  noopRouterMetrics,
  type RouterMetrics,
  type UnroutedOutcome,
} from './router/router-metrics.js';
export {
  type InboundMessage,
  type MessageAck,
  REASON_PAYLOAD_FORMAT_INVALID,
  type RouterTransport,
  WANT_REASON_CODE_PROPERTY,
} from './router/router-transport.js';
export { secretContractOf } from './router/secret-topics.js';
export { type InputProblem, RouterError, type RouterErrorCode } from './router-error.js';
export {
  type DatabaseKind,
  DEFAULT_DATABASE_URL,
  databaseKindOf,
  loadRouterSettings,
  type RouterSettings,
  redactDatabaseUrl,
} from './settings/load-router-settings.js';
export { LEGACY_TYPES, parseFlowSchema } from './validation/flow-schema.js';
export { type CompiledSchema, type PayloadCheck, SchemaCompiler } from './validation/schema-compiler.js';
