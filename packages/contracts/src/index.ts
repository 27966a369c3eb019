export { allContracts } from './all-contracts.js';
export { type BleReading, bleReading, bleReadingSchema } from './contracts/ble-reading.js';
export { isoTimestamp, timestampSchema } from './contracts/common-schemas.js';
export {
  type GatewayAvailability,
  gatewayAvailability,
  gatewayAvailabilitySchema,
} from './contracts/gateway-availability.js';
export { type GatewayCommand, gatewayCommand, gatewayCommandSchema } from './contracts/gateway-command.js';
export { type GatewayHealth, gatewayHealth, gatewayHealthSchema } from './contracts/gateway-health.js';
export {
  type GatewayReceipt,
  gatewayReceipt,
  gatewayReceiptSchema,
  MAX_RECEIPT_OUTBOXES,
  MAX_RECEIPT_RANGES,
} from './contracts/gateway-receipt.js';
export { type MeterConfig, meterConfig, meterConfigSchema } from './contracts/meter-config.js';
export { type MeterData, meterData, meterDataSchema } from './contracts/meter-data.js';
export {
  type MeterProvisioning,
  type MeterProvisioningEntry,
  meterProvisioning,
  meterProvisioningProblems,
  meterProvisioningRules,
  meterProvisioningSchema,
  type ProvisioningProblem,
} from './contracts/meter-provisioning.js';
export {
  type MeterState,
  type MeterStatus,
  type MeterStatusReport,
  meterStates,
  meterStatus,
  meterStatusSchema,
} from './contracts/meter-status.js';
export { type ThingyReading, thingyReading, thingyReadingSchema } from './contracts/thingy-reading.js';
export type { LiveReading } from './live-reading.js';
export { MESSAGE_ID_PROPERTY } from './message-id.js';
export { parseSharedFilter, topicFilterProblem, topicMatchesFilter, topicNameProblem } from './mqtt-topic.js';
export {
  compilePayloadSchema,
  type PayloadError,
  pointerToPath,
  type Validated,
} from './payload-validator.js';
export {
  gatewayIdOfTopic,
  parseOutboxMessageId,
  receiptCovers,
  receiptPayloads,
  seqRanges,
} from './receipts.js';
export {
  defineContract,
  type ParamsOf,
  type Parsed,
  type PayloadOf,
  PayloadSchemaError,
  type TopicContract,
} from './topic-contract.js';
export { TopicParamError, type TopicParams, type TopicTemplate, topicTemplate } from './topic-template.js';
