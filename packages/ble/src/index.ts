export {
  AdvertFilter,
  type AdvertFilterOptions,
  type FilterReason,
  type FilterVerdict,
} from './advert-filter.js';
export {
  AdvertPipeline,
  type AdvertPipelineOptions,
  type DecodedReading,
  type PipelineCounters,
  type PipelineOutcome,
} from './advert-pipeline.js';
export type { Advertisement, ReadingValue, ReadingValues, ServiceData } from './advertisement.js';
export { BleError, type BleErrorCode, isBleError } from './ble-error.js';
export { bytesToHex, canonicalAddress, hexToBytes, normalizeMac } from './bytes.js';
export { type DecodeOptions, type DecodeResult, decodeAdvertisement } from './decode-advertisement.js';
export type { DecodeFailure, DecodeFailureCode } from './decode-failure.js';
export {
  DEFAULT_DEDUP_WINDOW_MS,
  DEFAULT_MAX_DEVICES,
  type DedupInput,
  Deduplicator,
  type DeduplicatorOptions,
  type DedupVerdict,
} from './deduplicator.js';
export {
  type DefinitionLoadError,
  type FamilyEntry,
  formatLoadError,
  type LoadedDefinitions,
  loadDefinitions,
} from './devices/compile-device.js';
export type {
  Condition,
  DeviceCheck,
  DeviceDefinition,
  FamilyDefinition,
  FieldSpec,
  MatchSpec,
  ReaderType,
} from './devices/definition.js';
export { defineFamily } from './devices/definition.js';
export { DeviceIndex } from './devices/device-index.js';
export { normalizeTable, renderDeviceTable, unitOf } from './devices/device-table.js';
export { type BthomeObjectValue, type EncodeBthomeOptions, encodeBthome } from './encoders/encode-bthome.js';
export { encodeRuuviV5, type RuuviV5Reading } from './encoders/encode-ruuvi-v5.js';
export { encodeThingy52, type Thingy52Reading } from './encoders/encode-thingy52.js';
export type {
  FormatDecodeContext,
  FormatDecodeResult,
  FormatDefinition,
  FormatDevice,
  FormatMatch,
} from './format-definition.js';
export {
  DEFAULT_FORMAT_IDS,
  definitionLoadErrors,
  FORMAT_IDS,
  type FormatId,
  formatById,
  formatRegistry,
  isFormatId,
} from './format-registry.js';
export { CcmBlockCipher } from './formats/aes-ccm-fast.js';
export {
  BTHOME_OBJECTS,
  BTHOME_UNSUPPORTED_IDS,
  type BthomeKind,
  type BthomeObject,
} from './formats/bthome-objects.js';
export { createKeyRing, type KeyInput, KeyRing } from './key-ring.js';
export {
  createReplayGuard,
  type ReplayGuard,
  type ReplayGuardOptions,
  type ReplayVerdict,
} from './replay-guard.js';
