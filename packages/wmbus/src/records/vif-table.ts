import { durationVif, scaleText, unknownVif, type VifInfo, vifInfo } from './vif-info.js';

/** The primary VIF table of EN 13757-3 (the 7 bits without the extension bit). */
export function primaryVif(code: number): VifInfo {
  const n3 = code & 0x07;
  const n2 = code & 0x03;
  if (code <= 0x07) return vifInfo('energy', 'kWh', n3 - 6, `Energy ${scaleText(n3 - 3, 'Wh')}`);
  if (code <= 0x0f) return vifInfo('energy', 'MJ', n3 - 6, `Energy ${scaleText(n3, 'J')}`);
  if (code <= 0x17) return vifInfo('volume', 'm3', n3 - 6, `Volume ${scaleText(n3 - 6, 'm3')}`);
  if (code <= 0x1f) return vifInfo('mass', 'kg', n3 - 3, `Mass ${scaleText(n3 - 3, 'kg')}`);
  if (code <= 0x23) return durationVif('on_time', 'On time', n2, 'h');
  if (code <= 0x27) return durationVif('operating_time', 'Operating time', n2, 'h');
  if (code <= 0x2f) return vifInfo('power', 'kW', n3 - 6, `Power ${scaleText(n3 - 3, 'W')}`);
  if (code <= 0x37) return vifInfo('power', 'kW', n3 - 3, `Power ${scaleText(n3, 'J/h')}`, 1 / 3600);
  if (code <= 0x3f) return vifInfo('volume_flow', 'm3/h', n3 - 6, `Volume flow ${scaleText(n3 - 6, 'm3/h')}`);
  if (code <= 0x47)
    return vifInfo('volume_flow', 'm3/h', n3 - 7, `Volume flow ${scaleText(n3 - 7, 'm3/min')}`, 60);
  if (code <= 0x4f)
    return vifInfo('volume_flow', 'm3/h', n3 - 9, `Volume flow ${scaleText(n3 - 9, 'm3/s')}`, 3600);
  if (code <= 0x57) return vifInfo('mass_flow', 'kg/h', n3 - 3, `Mass flow ${scaleText(n3 - 3, 'kg/h')}`);
  if (code <= 0x5b)
    return vifInfo('flow_temperature', 'C', n2 - 3, `Flow temperature ${scaleText(n2 - 3, '°C')}`);
  if (code <= 0x5f)
    return vifInfo('return_temperature', 'C', n2 - 3, `Return temperature ${scaleText(n2 - 3, '°C')}`);
  if (code <= 0x63)
    return vifInfo('temperature_difference', 'K', n2 - 3, `Temperature difference ${scaleText(n2 - 3, 'K')}`);
  if (code <= 0x67)
    return vifInfo('external_temperature', 'C', n2 - 3, `External temperature ${scaleText(n2 - 3, '°C')}`);
  if (code <= 0x6b) return vifInfo('pressure', 'bar', n2 - 3, `Pressure ${scaleText(n2 - 3, 'bar')}`);
  if (code === 0x6c) return vifInfo('date', '', 0, 'Date (type G)', 1, 'date');
  if (code === 0x6d) return vifInfo('datetime', '', 0, 'Date and time (type F/I)', 1, 'datetime');
  if (code === 0x6e) return vifInfo('hca', '', 0, 'Units for heat cost allocator');
  if (code <= 0x73) return durationVif('averaging_duration', 'Averaging duration', n2, 's');
  if (code <= 0x77) return durationVif('actuality_duration', 'Actuality duration', n2, 's');
  if (code === 0x78) return vifInfo('fabrication_no', '', 0, 'Fabrication number');
  if (code === 0x79) return vifInfo('enhanced_identification', '', 0, 'Enhanced identification');
  if (code === 0x7a) return vifInfo('bus_address', '', 0, 'Bus address');
  return unknownVif(`VIF 0x${code.toString(16)}`);
}

/** First extension table (after VIF 0xFD). Only the entries meters are known to use; the rest are named. */
export function extensionFdVif(code: number): VifInfo {
  const n2 = code & 0x03;
  if (code <= 0x03) return vifInfo('credit', '', n2 - 3, `Credit ${scaleText(n2 - 3, 'currency units')}`);
  if (code <= 0x07) return vifInfo('debit', '', n2 - 3, `Debit ${scaleText(n2 - 3, 'currency units')}`);
  const named: Record<number, string> = {
    8: 'access_number',
    9: 'medium',
    10: 'manufacturer',
    11: 'parameter_set_id',
    12: 'model_version',
    13: 'hardware_version',
    14: 'firmware_version',
    15: 'software_version',
    16: 'customer_location',
    17: 'customer',
    22: 'password',
    23: 'error_flags',
    24: 'error_mask',
    26: 'digital_output',
    27: 'digital_input',
    28: 'baud_rate',
    29: 'response_delay_time',
    30: 'retry',
    96: 'reset_counter',
    97: 'cumulation_counter',
    99: 'day_of_week',
    100: 'week_number',
    113: 'rssi',
    117: 'stop_counter',
  };
  const name = named[code];
  if (name !== undefined) return vifInfo(name, code === 0x71 ? 'dBm' : '', 0, name.replace(/_/g, ' '));
  if (code >= 0x24 && code <= 0x27) return durationVif('storage_interval', 'Storage interval', n2, 's');
  if (code >= 0x2c && code <= 0x2f)
    return durationVif('duration_since_readout', 'Duration since readout', n2, 's');
  if (code >= 0x40 && code <= 0x4f)
    return vifInfo('voltage', 'V', (code & 0x0f) - 9, `Voltage ${scaleText((code & 0x0f) - 9, 'V')}`);
  if (code >= 0x50 && code <= 0x5f)
    return vifInfo('current', 'A', (code & 0x0f) - 12, `Current ${scaleText((code & 0x0f) - 12, 'A')}`);
  if (code >= 0x6c && code <= 0x6f)
    return durationVif('battery_operating_time', 'Battery operating time', n2, 'h');
  if (code === 0x70)
    return vifInfo('battery_change_date', '', 0, 'Date and time of battery change', 1, 'datetime');
  if (code === 0x74) return vifInfo('remaining_battery_life', 'd', 0, 'Remaining battery life (days)');
  return unknownVif(`VIF FD 0x${code.toString(16)}`);
}

/** Second extension table (after VIF 0xFB): the large units and the °F temperatures. */
export function extensionFbVif(code: number): VifInfo {
  const n1 = code & 0x01;
  const n2 = code & 0x03;
  if (code <= 0x01) return vifInfo('energy', 'kWh', n1 + 2, `Energy ${scaleText(n1 - 1, 'MWh')}`);
  if (code <= 0x03)
    return vifInfo('reactive_energy', 'kVARh', n1, `Reactive energy ${scaleText(n1, 'kVARh')}`);
  if (code >= 0x08 && code <= 0x09)
    return vifInfo('energy', 'MJ', n1 + 2, `Energy ${scaleText(n1 - 1, 'GJ')}`);
  if (code >= 0x10 && code <= 0x11)
    return vifInfo('volume', 'm3', n1 + 2, `Volume ${scaleText(n1 + 2, 'm3')}`);
  if (code >= 0x18 && code <= 0x19) return vifInfo('mass', 'kg', n1 + 5, `Mass ${scaleText(n1 + 2, 't')}`);
  if (code >= 0x1a && code <= 0x1b)
    return vifInfo('relative_humidity', '%', n1 - 1, `Relative humidity ${scaleText(n1 - 1, '%')}`);
  if (code >= 0x28 && code <= 0x29) return vifInfo('power', 'kW', n1 + 2, `Power ${scaleText(n1 - 1, 'MW')}`);
  if (code >= 0x30 && code <= 0x31)
    return vifInfo('power', 'kW', n1 + 2, `Power ${scaleText(n1 - 1, 'GJ/h')}`, 1 / 3.6);
  if (code >= 0x74 && code <= 0x77)
    return vifInfo('temperature_limit', 'C', n2 - 3, `Temperature limit ${scaleText(n2 - 3, '°C')}`);
  return unknownVif(`VIF FB 0x${code.toString(16)}`);
}
