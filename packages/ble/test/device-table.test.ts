import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatRegistry, normalizeTable, renderDeviceTable, unitOf } from '@iotgw/ble';
import { describe, expect, it } from 'vitest';

const docPath = fileURLToPath(new URL('../../../docs/ble.md', import.meta.url));
const START =
  '<!-- device-table:start (generated from the definitions: IOTGW_WRITE_DEVICE_TABLE=1 vitest) -->';
const END = '<!-- device-table:end -->';

describe('docs/ble.md device table', () => {
  it('is the table generated from the loaded definitions', () => {
    const table = renderDeviceTable(formatRegistry);
    let doc = readFileSync(docPath, 'utf8');
    if (process.env.IOTGW_WRITE_DEVICE_TABLE === '1') {
      const a = doc.indexOf(START);
      const b = doc.indexOf(END);
      doc = `${doc.slice(0, a + START.length)}\n\n${table}\n\n${doc.slice(b)}`;
      writeFileSync(docPath, doc);
    }
    const a = doc.indexOf(START);
    const b = doc.indexOf(END);
    expect(a, 'docs/ble.md has the device-table markers').toBeGreaterThan(0);
    expect(normalizeTable(doc.slice(a + START.length, b))).toBe(normalizeTable(table));
  });

  it('gives every numeric value name of a plain definition a unit or a unit-less meaning', () => {
    const unitless = new Set([
      'mac',
      'packet_id',
      'measurement_sequence',
      'movement_counter',
      'ibeacon_uuid',
      'ibeacon_major',
      'ibeacon_minor',
      'color',
      'specific_gravity',
      'weighing_mode',
      'external_probe',
      'opening_open',
      'motion_detected',
      'window_open',
      'charge_state',
      'mode',
      'state',
      'scope_tested',
      'led_on',
      'sensing_distance',
      'light_level',
      'contact',
      'in_count',
      'out_count',
      'button_count',
      'calibrated',
      'moving',
      'sync_pressed',
      'quality',
      'acceleration_x',
      'acceleration_y',
      'present',
      'unlocked',
      'rolling_proximity_id',
      'associated_encrypted_metadata',
      'tilt_direction',
      'session',
      'beacon_model',
      'plugged_in',
      'count',
      'button_event',
      'level_pct',
      'pressure',
      'sector',
      'steps',
      'status',
      'serial',
      'model_type',
      'awake',
      'shake_count',
      'battery_low',
      'charger_error',
      'alarm',
    ]);
    for (const f of formatRegistry) {
      if (f.id === 'bthome_v2') continue;
      for (const name of f.valueNames) {
        if (!unitless.has(name)) expect(unitOf(name), `${f.id}: ${name}`).toBeDefined();
      }
    }
  });
});
