export {
  type CaptureLine,
  CaptureReplay,
  formatCaptureLine,
  parseCaptureLine,
} from './capture-replay.js';
export {
  defaultSimulatedMeters,
  type SimulatedMeter,
  SimulatedMeters,
  type SimulatedMetersOptions,
  telegramFor,
} from './simulated-meters.js';
export {
  StickSimulator,
  type StickSimulatorCounters,
  type StickSimulatorOptions,
} from './stick-simulator.js';
export {
  listSource,
  type PaceOptions,
  paceTelegrams,
  type SourceTelegram,
  type TelegramSource,
} from './telegram-source.js';
