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
    ...reading.values,
    ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }),
  };
}
