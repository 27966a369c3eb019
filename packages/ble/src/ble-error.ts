/** Stable codes of the programmer, configuration and environment errors this package throws. */
export type BleErrorCode =
  /** Invalid option or configuration value (bad MAC in an allow list, bad interval, …). */
  | 'BLE_ERR_CONFIG'
  /** A key is not 16 bytes (32 hex digits). */
  | 'BLE_ERR_KEY'
  /** No Bluetooth adapter (or not the selected one) under /sys/class/bluetooth. */
  | 'BLE_ERR_NO_ADAPTER'
  /** The optional dependency @abandonware/noble is not installed or was not built. */
  | 'BLE_ERR_NOBLE_MISSING'
  /** noble is installed but failed to load or to open the HCI socket. */
  | 'BLE_ERR_NOBLE_LOAD'
  /** The process lacks CAP_NET_RAW for raw HCI access (or noble reports `unauthorized`). */
  | 'BLE_ERR_PERMISSION'
  /** The adapter did not reach `poweredOn` (blocked by rfkill, down, unsupported). */
  | 'BLE_ERR_ADAPTER_STATE'
  /** A capture file cannot be opened or written. */
  | 'BLE_ERR_CAPTURE'
  /** A scanner was started twice, or used after a failed start. */
  | 'BLE_ERR_STATE';

/**
 * An expected failure with a stable `code` and a one-line message that says how to fix it. Callers
 * print `err.message` for these (no stack trace); anything without a `BLE_ERR_` code is a bug.
 */
export class BleError extends Error {
  constructor(
    readonly code: BleErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BleError';
  }
}

export function isBleError(err: unknown): err is BleError {
  return err instanceof BleError;
}
