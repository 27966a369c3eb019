/** One service-data element of an advert, as noble reports it: `uuid` lower-case hex (`fcd2`), `data` after the UUID. */
export interface ServiceData {
  uuid: string;
  data: Uint8Array;
}

/**
 * One received BLE advertisement, exactly as noble reports it: `manufacturerData` starts with the
 * 2-byte little-endian company id (`99 04` for Ruuvi, `ff ff` for the custom Thingy:52 firmware);
 * BTHome `serviceData` starts at the device-info byte.
 */
export interface Advertisement {
  /** MAC address; any case, `:`/`-` or no separator. Non-MAC ids (macOS UUIDs) are kept as given. */
  address: string;
  rssi?: number | undefined;
  localName?: string | undefined;
  manufacturerData?: Uint8Array | undefined;
  serviceData?: readonly ServiceData[] | undefined;
}

/** A decoded value: snake_case name with the unit as suffix (`temperature_c`), see docs/ble.md. */
export type ReadingValue = number | boolean | string;

export type ReadingValues = Record<string, ReadingValue>;
