export { type AnalysisLine, formatAnalysis } from './analyze/analysis-line.js';
export { type AnalyzeOptions, analyzeTelegram } from './analyze/analyze-telegram.js';
export {
  type CompactFormat,
  compactFormatFromDifVif,
  compactFormatFromHex,
  formatSignatureHex,
} from './compact/compact-format.js';
export { crc16En13757 } from './crc/crc16-en13757.js';
export { crc16X25 } from './crc/crc16-x25.js';
export {
  type DecodeFailure,
  type DecodeOptions,
  type DecodeResult,
  decodeTelegram,
  type MeterReading,
} from './decode/decode-telegram.js';
export { MeterDecodeState } from './decode/meter-decode-state.js';
export { wmbusmetersJson } from './decode/wmbusmeters-json.js';
export { compileDriver } from './driver-spec/compile-driver.js';
export { driverSpecSchema } from './driver-spec/driver-schema.js';
export type {
  DetectSpec,
  DriverSpec,
  DriverTestSpec,
  FieldSpec,
  LookupSpec,
  MatchSpec,
} from './driver-spec/driver-spec.js';
export { fieldLibrary } from './driver-spec/field-library.js';
export { type DriverTestResult, runDriverTests } from './driver-spec/run-driver-tests.js';
export {
  type DriverProblem,
  type DriverSpecResult,
  validateDriverSpec,
} from './driver-spec/validate-driver-spec.js';
export {
  builtInDriverFiles,
  builtInDriverRegistry,
  builtInDrivers,
  kamwater,
  omnipower,
} from './drivers/built-in-drivers.js';
export { DriverRegistry } from './drivers/driver-registry.js';
export { type MergedDrivers, mergeDrivers } from './drivers/merge-drivers.js';
export type {
  DriverDetection,
  DriverField,
  ExtractContext,
  ExtractedValues,
  FieldValue,
  MeterDriver,
} from './drivers/meter-driver.js';
export { type EllHeader, parseEll } from './ell/ell.js';
export {
  buildMultical21Telegram,
  type Multical21TelegramSpec,
  type Multical21Values,
} from './encode/build-multical21-telegram.js';
export {
  buildOmnipowerTelegram,
  type OmnipowerTelegramSpec,
  type OmnipowerValues,
} from './encode/build-omnipower-telegram.js';
export {
  buildEllTelegram,
  buildMode5Telegram,
  buildRecordsTelegram,
  type DllCrcOption,
  type EllTelegramSpec,
  type MeterTelegramSpec,
  type Mode5TelegramSpec,
  type TelegramAddress,
} from './encode/build-telegram.js';
export type { RecordSpec } from './encode/record-bytes.js';
export { bytesToHex, hexToBytes } from './hex.js';
export { addDllCrcs, type DllFrameFormat, stripDllCrcs } from './link/dll-crc.js';
export {
  type FrameFormatOption,
  frameFormatCandidates,
  type LinkFrame,
  type LinkHeader,
  parseLinkLayer,
} from './link/link-layer.js';
export { manufacturerCode, manufacturerField } from './link/manufacturer.js';
export { type DecodedRecord, parseRecords } from './records/parse-records.js';
export type { RecordFunction } from './records/record-header.js';
export { FileRegistryStore } from './registry/file-registry-store.js';
export {
  MeterRegistry,
  type MeterRegistryOptions,
  type RegisteredMeter,
  type TelegramOutcome,
} from './registry/meter-registry.js';
export type { RegistryCountersSnapshot } from './registry/registry-counters.js';
export { MemoryRegistryStore, type RegistryStore, type StoredMeter } from './registry/registry-store.js';
export { type Failure, type Result, WmbusError, type WmbusErrorCode, wmbusErrorCodes } from './result.js';
