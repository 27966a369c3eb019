/** iM871A host-controller interface constants (WMBus_HCI_Spec_V1_6, as wmbusmeters uses them). */

export const HCI_SOF = 0xa5;

export const Endpoint = { devmgmt: 0x01, radiolink: 0x02, radiolinkTest: 0x03, hwTest: 0x04 } as const;

export const DevMgmt = {
  pingReq: 0x01,
  pingRsp: 0x02,
  setConfigReq: 0x03,
  setConfigRsp: 0x04,
  getConfigReq: 0x05,
  getConfigRsp: 0x06,
  resetReq: 0x07,
  resetRsp: 0x08,
  getDeviceInfoReq: 0x0f,
  getDeviceInfoRsp: 0x10,
} as const;

export const RadioLink = { wmbusMsgInd: 0x03 } as const;

/** Control bits (high nibble of byte 1). */
export const Control = { crc: 0x80, rssi: 0x40, timestamp: 0x20, reserved: 0x10 } as const;

const MAX_MESSAGE_ID: Record<number, number> = { 1: 0x27, 2: 0x05, 3: 0x07, 4: 0x02 };

/** wmbusmeters' validity rule: message ids per endpoint are 0x01..max. */
export function isValidMessageId(endpoint: number, msgId: number): boolean {
  const max = MAX_MESSAGE_ID[endpoint];
  return max !== undefined && msgId >= 0x01 && msgId <= max;
}

export type LinkMode = 'c1' | 't1' | 'c1t1';

/** The dongle's link-mode codes: C1 → 6 (C1a), T1 → 3, C1+T1 → 10 (firmware ≥ 0x14 only). */
export const LINK_MODE_CODES: Record<LinkMode, number> = { c1: 6, t1: 3, c1t1: 10 };

/** Raw RSSI to dBm with wmbusmeters' fit: ≥ 230 → 0, else trunc(−100 + 0.5·(raw − 45)). 63 → −91, 76 → −84. */
export function rssiToDbm(raw: number): number {
  if (raw >= 230) return 0;
  return Math.trunc(-100 + 0.5 * (raw - 45));
}

/** The raw value a stick would report for `dbm` (inverse of rssiToDbm), for the simulator. */
export function dbmToRssi(dbm: number): number {
  return Math.max(0, Math.min(229, Math.round((dbm + 100) * 2 + 45)));
}
