import { numericField } from './field-matchers.js';
import type { MeterDriver } from './meter-driver.js';

/**
 * Kamstrup OmniPower electricity meter (KAM, version 0x30, type 0x02), C1, ELL AES-128-CTR. Names and units
 * as wmbusmeters' omnipower driver prints them. The compact format 0x8C13 (A+ A− P+ P−) is built in, so the
 * first compact frame after start decodes without waiting for a full frame.
 */
export const omnipower: MeterDriver = {
  name: 'omnipower',
  aliases: [],
  description: 'Kamstrup OmniPower electricity meter',
  media: 'electricity',
  detect: [{ manufacturer: 'KAM', version: 0x30, deviceType: 0x02 }],
  compactFormats: ['040404843C042B04AB3C'],
  fields: [
    numericField(
      'total_energy_consumption_kwh',
      'kWh',
      'The total energy consumption recorded by this meter.',
      {
        quantity: 'energy',
      },
    ),
    numericField(
      'total_energy_production_kwh',
      'kWh',
      'The total energy backward (production) recorded by this meter.',
      {
        quantity: 'energy',
        combinable: ['backward_flow'],
      },
    ),
    numericField('current_power_consumption_kw', 'kW', 'The current power consumption.', {
      quantity: 'power',
    }),
    numericField('current_power_production_kw', 'kW', 'The current power production.', {
      quantity: 'power',
      combinable: ['backward_flow'],
    }),
  ],
};
