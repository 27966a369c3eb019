export {
  checkAdapter,
  hasRawHciCapabilities,
  listAdapters,
  type ProbeOptions,
  probeNoble,
  resolveNoble,
} from './adapter-probe.js';
export { type CaptureLineResult, formatCaptureLine, parseCaptureLine } from './capture-format.js';
export { CaptureWriter, type CaptureWriterOptions } from './capture-writer.js';
export { NobleScanner, type NobleScannerOptions } from './noble-scanner.js';
export {
  type CaptureProblem,
  ReplayScanner,
  type ReplayScannerOptions,
  type ReplayStats,
} from './replay-scanner.js';
export type { ScannedAdvert, Scanner } from './scanned-advert.js';
export { type SimulatedDevice, SimulatedScanner, type SimulatedScannerOptions } from './simulated-scanner.js';
