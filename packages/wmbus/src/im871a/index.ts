export { type BackoffOptions, backoffMs } from './backoff.js';
export {
  type Im871aDeviceInfo,
  moduleName,
  parseConfig,
  parseDeviceInfo,
  setLinkModePayload,
} from './device-info.js';
export { type EncodeHciFrame, encodeHciFrame, type HciFrame } from './hci-frame.js';
export { HciFrameParser, type HciParserCounters, MAX_HCI_FRAME } from './hci-frame-parser.js';
export {
  Control,
  DevMgmt,
  dbmToRssi,
  Endpoint,
  HCI_SOF,
  isValidMessageId,
  LINK_MODE_CODES,
  type LinkMode,
  RadioLink,
  rssiToDbm,
} from './hci-protocol.js';
export {
  type Im871aCounters,
  type Im871aOptions,
  Im871aTransport,
  type StickTelegram,
  type TransportState,
} from './im871a-transport.js';
