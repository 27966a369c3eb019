import { decodeAdvertisement, hexToBytes } from '@iotgw/ble';
import { bleReading } from '@iotgw/contracts';
import { describe, expect, it } from 'vitest';
import { bleDiscovery } from '../src/discovery/ha-discovery.js';
import { blePayload } from '../src/publish/reading-payloads.js';

const ctx = { prefix: 'homeassistant', gatewayId: 'gw1', availabilityTopic: 'v2/gw1/status', swVersion: '0' };

function entities(messages: ReturnType<typeof bleDiscovery>) {
  return Object.fromEntries(
    messages.map((m) => [
      m.topic.split('/')[1] + ':' + String(m.payload?.['unique_id']).split('_').slice(3).join('_'),
      m.payload,
    ]),
  );
}

describe('BLE discovery and payload carry the identified device', () => {
  // Qingping Air Monitor Lite advert from Theengs Decoder's tests/BLE/test_ble.cpp.
  const result = decodeAdvertisement({
    address: 'AA:BB:CC:DD:EE:FF',
    serviceData: [{ uuid: 'fdcd', data: hexToBytes('080eaabbccddeeff010422014c011204710072001302ed03')! }],
  });

  it('names the device by manufacturer and model, and classifies PM, CO2, temperature and humidity', () => {
    expect(result).toMatchObject({
      ok: true,
      brand: 'Qingping',
      model: 'Air Monitor Lite',
      modelId: 'CGDN1',
    });
    if (!result.ok) return;
    const fields = Object.keys(result.values).filter((k) => typeof result.values[k] === 'number');
    const messages = bleDiscovery(ctx, { ...result, fields }, 'v2/gw1/ble/AA:BB:CC:DD:EE:FF/data');
    const device = messages[0]!.payload!['device'] as Record<string, unknown>;
    expect(device).toMatchObject({ manufacturer: 'Qingping', model: 'Air Monitor Lite', model_id: 'CGDN1' });
    expect(device['name']).toBe('Air Monitor Lite AA:BB:CC:DD:EE:FF');
    const byKey = entities(messages);
    expect(byKey['sensor:pm25_ug_m3']).toMatchObject({ device_class: 'pm25', unit_of_measurement: 'µg/m³' });
    expect(byKey['sensor:pm10_ug_m3']).toMatchObject({ device_class: 'pm10', unit_of_measurement: 'µg/m³' });
    expect(byKey['sensor:co2_ppm']).toMatchObject({ device_class: 'carbon_dioxide' });
    expect(byKey['sensor:temperature_c']).toMatchObject({
      device_class: 'temperature',
      unit_of_measurement: '°C',
    });
    expect(byKey['sensor:humidity_pct']).toMatchObject({ device_class: 'humidity' });
  });

  it('turns boolean values into binary sensors with their device class', () => {
    const motion = decodeAdvertisement({
      address: 'AA:BB:CC:DD:EE:FF',
      serviceData: [{ uuid: 'fdcd', data: hexToBytes('4812ffeeddccbbaa0804010300000f0150')! }],
    });
    expect(motion.ok).toBe(true);
    if (!motion.ok) return;
    const flags = Object.keys(motion.values).filter((k) => typeof motion.values[k] === 'boolean');
    const messages = bleDiscovery(ctx, { ...motion, fields: [], flags }, 'state');
    expect(entities(messages)['binary_sensor:motion_detected']).toMatchObject({ device_class: 'motion' });
  });

  it('publishes brand, model and model_id in the payload, valid against the contract; legacy payloads stay valid', () => {
    if (!result.ok) return;
    const payload = blePayload(result.format, result.values, 0, -60, result);
    expect(payload).toMatchObject({
      format: 'qingping',
      brand: 'Qingping',
      model: 'Air Monitor Lite',
      model_id: 'CGDN1',
    });
    expect(bleReading.validate(payload)).toMatchObject({ ok: true });
    expect(bleReading.validate(blePayload('ruuvi_v5', { temperature_c: 1 }, 0, undefined))).toMatchObject({
      ok: true,
    });
  });
});
