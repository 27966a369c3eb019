import type { MeterReading } from './decode-telegram.js';

/**
 * A reading in wmbusmeters' JSON shape: `{"_":"telegram","media":…,"meter":<driver>,"name":…,"id":…,
 * <fields>…,"timestamp":…}`, so that consumers written for wmbusmeters read it unchanged.
 */
export function wmbusmetersJson(
  reading: MeterReading,
  options: { readonly name?: string; readonly timestamp?: string } = {},
): Record<string, unknown> {
  return {
    _: 'telegram',
    media: reading.media,
    meter: reading.driver,
    ...(options.name === undefined ? {} : { name: options.name }),
    id: reading.id,
    ...rounded(reading.values),
    ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }),
  };
}

/** wmbusmeters prints numbers with at most 6 decimals. */
function rounded(values: Record<string, number | string>): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const [k, v] of Object.entries(values))
    out[k] = typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1e6) / 1e6 : v;
  return out;
}
