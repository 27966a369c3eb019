import type { FieldSpec, MatchSpec, QuantityName } from './driver-spec.js';

function f(
  name: string,
  quantity: QuantityName,
  info: string,
  match: MatchSpec,
  displayUnit?: string,
): FieldSpec {
  return { name, quantity, info, match, ...(displayUnit ? { displayUnit } : {}) };
}

const I = 'Instantaneous' as const;

/**
 * Common fields a driver can take by name instead of spelling out (`library: [total_m3, target_date]` in an
 * iotgw driver file, `use = total_m3` in a wmbusmeters .xmq file). Names and matchers as wmbusmeters
 * defines its library fields, so drivers written against it print the same keys.
 */
export const fieldLibrary: Readonly<Record<string, FieldSpec>> = {
  'status-tpl-only': {
    name: 'status',
    quantity: 'Text',
    info: 'Status from the TPL status byte.',
    attributes: ['INCLUDE_TPL_STATUS'],
  },
  status: {
    name: 'status',
    quantity: 'Text',
    info: 'Status and error flags.',
    attributes: ['STATUS', 'INCLUDE_TPL_STATUS'],
  },
  actuality_duration_s: f(
    'actuality_duration',
    'Time',
    'Lapsed time between measurement and transmission.',
    { measurementType: I, vifRange: 'ActualityDuration' },
    's',
  ),
  actuality_duration_h: f(
    'actuality_duration',
    'Time',
    'Lapsed time between measurement and transmission.',
    { measurementType: I, vifRange: 'ActualityDuration' },
    'h',
  ),
  battery_v: f('battery', 'Voltage', 'Battery voltage.', { measurementType: I, vifRange: 'Voltage' }),
  fabrication_no: f('fabrication_no', 'Text', 'Fabrication number.', {
    measurementType: I,
    vifRange: 'FabricationNo',
  }),
  enhanced_id: f('enhanced_id', 'Text', 'Enhanced identification number.', {
    measurementType: I,
    vifRange: 'EnhancedIdentification',
  }),
  software_version: f('software_version', 'Text', 'Software version.', {
    measurementType: I,
    vifRange: 'SoftwareVersion',
  }),
  manufacturer: f('manufacturer', 'Text', 'Manufacturer.', { measurementType: I, vifRange: 'Manufacturer' }),
  model_version: f('model_version', 'Text', 'Model version.', {
    measurementType: I,
    vifRange: 'ModelVersion',
  }),
  firmware_version: f('firmware_version', 'Text', 'Firmware version.', {
    measurementType: I,
    vifRange: 'FirmwareVersion',
  }),
  parameter_set: f('parameter_set', 'Text', 'Parameter set.', {
    measurementType: I,
    vifRange: 'ParameterSet',
  }),
  customer: f('customer', 'Text', 'Customer name.', { measurementType: I, vifRange: 'Customer' }),
  location: f('location', 'Text', 'Meter installed at this customer location.', {
    measurementType: I,
    vifRange: 'Location',
  }),
  operating_time_h: f('operating_time', 'Time', 'How long the meter has been collecting data.', {
    measurementType: I,
    vifRange: 'OperatingTime',
  }),
  on_time_h: f('on_time', 'Time', 'How long the meter has been powered up.', {
    measurementType: I,
    vifRange: 'OnTime',
  }),
  on_time_at_error_h: f('on_time_at_error', 'Time', 'How long the meter has been in an error state.', {
    measurementType: 'AtError',
    vifRange: 'OnTime',
  }),
  meter_date: f(
    'meter',
    'PointInTime',
    'Date when the meter sent the telegram.',
    { measurementType: I, vifRange: 'Date' },
    'date',
  ),
  meter_date_at_error: f(
    'meter_date_at_error',
    'PointInTime',
    'Date when the meter was in error.',
    { measurementType: 'AtError', vifRange: 'Date' },
    'date',
  ),
  meter_datetime: {
    ...f(
      'meter',
      'PointInTime',
      'Date and time when the meter sent the telegram.',
      { measurementType: I, vifRange: 'DateTime' },
      'datetime',
    ),
    seconds: true,
  },
  meter_datetime_at_error: f(
    'meter_datetime_at_error',
    'PointInTime',
    'Date and time when the meter was in error.',
    { measurementType: 'AtError', vifRange: 'DateTime' },
    'datetime',
  ),
  total_m3: f('total', 'Volume', 'The total media volume consumption recorded by this meter.', {
    measurementType: I,
    vifRange: 'Volume',
  }),
  target_m3: f('target', 'Volume', 'The volume recorded by this meter at the target date.', {
    measurementType: I,
    vifRange: 'Volume',
    storage: 1,
  }),
  total_kwh: f('total', 'Energy', 'The total energy consumption recorded by this meter.', {
    measurementType: I,
    vifRange: 'AnyEnergyVIF',
  }),
  target_kwh: f('target', 'Energy', 'The energy consumption recorded by this meter at the target date.', {
    measurementType: I,
    vifRange: 'AnyEnergyVIF',
    storage: 1,
  }),
  target_date: f(
    'target',
    'PointInTime',
    'The most recent billing period date.',
    { measurementType: I, vifRange: 'Date', storage: 1 },
    'date',
  ),
  total_forward_m3: f('total_forward', 'Volume', 'The total media volume flowing forward.', {
    measurementType: I,
    vifRange: 'Volume',
    combinable: ['ForwardFlow'],
  }),
  total_backward_m3: f('total_backward', 'Volume', 'The total media volume flowing backward.', {
    measurementType: I,
    vifRange: 'Volume',
    combinable: ['BackwardFlow'],
  }),
  flow_temperature_c: f('flow_temperature', 'Temperature', 'The flow temperature.', {
    measurementType: I,
    vifRange: 'FlowTemperature',
  }),
  external_temperature_c: f('external_temperature', 'Temperature', 'The external temperature.', {
    measurementType: I,
    vifRange: 'ExternalTemperature',
  }),
  return_temperature_c: f('return_temperature', 'Temperature', 'The return temperature.', {
    measurementType: I,
    vifRange: 'ReturnTemperature',
  }),
  flow_return_temperature_difference_c: f(
    'flow_return_temperature_difference',
    'Temperature',
    'The difference between flow and return media temperatures.',
    { measurementType: I, vifRange: 'TemperatureDifference' },
  ),
  volume_flow_m3h: f('volume_flow', 'Flow', 'Media volume flow.', {
    measurementType: I,
    vifRange: 'VolumeFlow',
  }),
  access_counter: {
    ...f('access', 'Dimensionless', 'Meter access counter.', {
      measurementType: I,
      vifRange: 'AccessNumber',
    }),
    difSignedness: 'Unsigned',
  },
  consumption_hca: f('consumption', 'HCA', 'The current heat cost allocation for this meter.', {
    measurementType: I,
    vifRange: 'HeatCostAllocation',
  }),
  target_hca: f('target', 'HCA', 'The heat cost allocation recorded by this meter at the target date.', {
    measurementType: I,
    vifRange: 'HeatCostAllocation',
    storage: 1,
  }),
};

/** A library reference may carry its own info after a bar (wmbusmeters: `use = flow_temperature_c|Radiator …`). */
export function libraryName(ref: string): string {
  const bar = ref.indexOf('|');
  return bar < 0 ? ref : ref.slice(0, bar);
}
