import { describe, expect, it } from 'vitest';
import {
  meterDiscovery,
  staleDiscovery,
  thingyDiscovery,
  valueEntities,
} from '../src/discovery/ha-discovery.js';

const ctx = {
  prefix: 'homeassistant',
  gatewayId: '706462169',
  availabilityTopic: 'v2/706462169/status/availability',
  swVersion: '0.1.0',
};

describe('Home Assistant discovery', () => {
  it('announces every Thingy:52 value with device block and availability', () => {
    const msgs = thingyDiscovery(ctx, 'F4:3C:21:0A:9B:11', '706462169/F4:3C:21:0A:9B:11/update');
    expect(msgs.map((m) => m.topic)).toEqual([
      'homeassistant/sensor/iotgw_706462169_f43c210a9b11_temperature/config',
      'homeassistant/sensor/iotgw_706462169_f43c210a9b11_humidity/config',
      'homeassistant/sensor/iotgw_706462169_f43c210a9b11_co2/config',
      'homeassistant/sensor/iotgw_706462169_f43c210a9b11_battery/config',
      'homeassistant/binary_sensor/iotgw_706462169_f43c210a9b11_window/config',
    ]);
    const temp = msgs[0]?.payload ?? {};
    expect(temp).toMatchObject({
      unique_id: 'iotgw_706462169_f43c210a9b11_temperature',
      state_topic: '706462169/F4:3C:21:0A:9B:11/update',
      device_class: 'temperature',
      unit_of_measurement: '°C',
      state_class: 'measurement',
      availability_topic: 'v2/706462169/status/availability',
      payload_available: 'online',
      payload_not_available: 'offline',
      device: { identifiers: ['iotgw_ble_f43c210a9b11'], via_device: 'iotgw_706462169' },
    });
    expect(String(temp['value_template'])).toContain('value_json.temp');
    expect(msgs[4]?.payload).toMatchObject({ device_class: 'window', payload_on: 'ON', payload_off: 'OFF' });
  });

  it('marks OmniPower energy total_increasing and power as measurement', () => {
    const msgs = meterDiscovery(
      ctx,
      {
        deviceId: '32666857',
        manufacturerKey: 'kam',
        manufacturer: 'KAM',
        driver: 'omnipower',
        fields: [
          'total_energy_consumption_kwh',
          'total_energy_production_kwh',
          'current_power_consumption_kw',
          'current_power_production_kw',
        ],
      },
      'v2/706462169/kam-32666857/data',
    );
    expect(msgs).toHaveLength(4);
    expect(msgs[0]?.payload).toMatchObject({
      device_class: 'energy',
      unit_of_measurement: 'kWh',
      state_class: 'total_increasing',
    });
    expect(msgs[2]?.payload).toMatchObject({
      device_class: 'power',
      unit_of_measurement: 'kW',
      state_class: 'measurement',
    });
    expect(msgs[0]?.payload?.['device']).toMatchObject({ manufacturer: 'Kamstrup', model: 'omnipower' });
  });

  it('classifies value names by unit suffix', () => {
    const [t, h, p, b] = valueEntities(['temperature_c', 'humidity_pct', 'pressure_hpa', 'battery_pct']);
    expect([t?.deviceClass, h?.deviceClass, p?.deviceClass, b?.deviceClass]).toEqual([
      'temperature',
      'humidity',
      'pressure',
      'battery',
    ]);
  });

  it('clears entities of devices that are gone', () => {
    const a = thingyDiscovery(ctx, 'F4:3C:21:0A:9B:11', 't1');
    const b = thingyDiscovery(ctx, 'F4:3C:21:0A:9B:12', 't2');
    const stale = staleDiscovery([...a, ...b], new Set(['f43c210a9b11']));
    expect(stale).toHaveLength(5);
    expect(stale.every((m) => m.payload === null && m.deviceKey === 'f43c210a9b12')).toBe(true);
  });
});
