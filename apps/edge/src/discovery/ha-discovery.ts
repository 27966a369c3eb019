/**
 * Home Assistant MQTT discovery messages (per-component discovery, the form every HA version and
 * openHAB understand). Pure: builds topics and payloads; the gateway publishes them retained.
 */

export interface DiscoveryMessage {
  topic: string;
  /** The retained config, or null for "delete this entity" (an empty retained payload). */
  payload: Record<string, unknown> | null;
  /** The device this entity belongs to, for reconciling. */
  deviceKey: string;
}

export interface DiscoveryContext {
  prefix: string;
  gatewayId: string;
  availabilityTopic: string;
  swVersion: string;
}

interface EntitySpec {
  key: string;
  component: 'sensor' | 'binary_sensor';
  name: string;
  template: string;
  deviceClass?: string;
  unit?: string;
  stateClass?: 'measurement' | 'total_increasing' | 'total';
  entityCategory?: 'diagnostic';
}

/** Object ids may only hold [a-zA-Z0-9_-]. */
export function objectIdPart(value: string): string {
  return value.replace(/[^a-zA-Z0-9_-]/g, '').toLowerCase();
}

/** Keeps the previous state when a value is absent from a message (e.g. CO2 not ready yet). */
function keepState(field: string): string {
  return `{% if value_json.${field} is defined %}{{ value_json.${field} }}{% else %}{{ this.state }}{% endif %}`;
}

function build(
  ctx: DiscoveryContext,
  deviceKey: string,
  stateTopic: string,
  device: Record<string, unknown>,
  entities: readonly EntitySpec[],
): DiscoveryMessage[] {
  const origin = { name: 'iotgw', sw: ctx.swVersion, url: 'https://github.com/iotgw/iotgw' };
  return entities.map((e) => {
    const objectId = `iotgw_${objectIdPart(ctx.gatewayId)}_${deviceKey}_${e.key}`;
    const payload: Record<string, unknown> = {
      name: e.name,
      unique_id: objectId,
      object_id: objectId,
      state_topic: stateTopic,
      value_template: e.template,
      availability_topic: ctx.availabilityTopic,
      payload_available: 'online',
      payload_not_available: 'offline',
      device,
      origin,
    };
    if (e.deviceClass) payload['device_class'] = e.deviceClass;
    if (e.unit) payload['unit_of_measurement'] = e.unit;
    if (e.stateClass) payload['state_class'] = e.stateClass;
    if (e.entityCategory) payload['entity_category'] = e.entityCategory;
    if (e.component === 'binary_sensor') {
      payload['payload_on'] = 'ON';
      payload['payload_off'] = 'OFF';
    }
    return { topic: `${ctx.prefix}/${e.component}/${objectId}/config`, payload, deviceKey };
  });
}

function via(ctx: DiscoveryContext): string {
  return `iotgw_${objectIdPart(ctx.gatewayId)}`;
}

/** Discovery for a Thingy:52 (custom firmware) reading on the legacy topic and payload. */
export function thingyDiscovery(ctx: DiscoveryContext, mac: string, stateTopic: string): DiscoveryMessage[] {
  const key = objectIdPart(mac);
  const device = {
    identifiers: [`iotgw_ble_${key}`],
    connections: [['mac', mac.toLowerCase()]],
    manufacturer: 'Nordic Semiconductor',
    model: 'Thingy:52 (custom firmware)',
    name: `Thingy:52 ${mac}`,
    via_device: via(ctx),
  };
  return build(ctx, key, stateTopic, device, [
    {
      key: 'temperature',
      component: 'sensor',
      name: 'Temperature',
      template: keepState('temp'),
      deviceClass: 'temperature',
      unit: '°C',
      stateClass: 'measurement',
    },
    {
      key: 'humidity',
      component: 'sensor',
      name: 'Humidity',
      template: keepState('humidity'),
      deviceClass: 'humidity',
      unit: '%',
      stateClass: 'measurement',
    },
    {
      key: 'co2',
      component: 'sensor',
      name: 'CO2',
      template: keepState('co2_ppm'),
      deviceClass: 'carbon_dioxide',
      unit: 'ppm',
      stateClass: 'measurement',
    },
    {
      key: 'battery',
      component: 'sensor',
      name: 'Battery',
      template: keepState('battery'),
      deviceClass: 'battery',
      unit: '%',
      stateClass: 'measurement',
      entityCategory: 'diagnostic',
    },
    {
      key: 'window',
      component: 'binary_sensor',
      name: 'Window',
      template:
        "{% if value_json.window_open is defined %}{{ 'ON' if value_json.window_open else 'OFF' }}{% else %}{{ this.state | upper }}{% endif %}",
      deviceClass: 'window',
    },
  ]);
}

/** HA device classes and units for our value-name suffixes (BTHome, Ruuvi and other formats). */
const SUFFIXES: readonly {
  suffix: string;
  deviceClass?: string;
  unit?: string;
  stateClass?: EntitySpec['stateClass'];
}[] = [
  { suffix: '_c', deviceClass: 'temperature', unit: '°C', stateClass: 'measurement' },
  { suffix: '_pct', unit: '%', stateClass: 'measurement' },
  { suffix: '_hpa', deviceClass: 'pressure', unit: 'hPa', stateClass: 'measurement' },
  { suffix: '_ppm', deviceClass: 'carbon_dioxide', unit: 'ppm', stateClass: 'measurement' },
  { suffix: '_lux', deviceClass: 'illuminance', unit: 'lx', stateClass: 'measurement' },
  { suffix: '_v', deviceClass: 'voltage', unit: 'V', stateClass: 'measurement' },
  { suffix: '_dbm', deviceClass: 'signal_strength', unit: 'dBm', stateClass: 'measurement' },
  { suffix: '_kwh', deviceClass: 'energy', unit: 'kWh', stateClass: 'total_increasing' },
  { suffix: '_kw', deviceClass: 'power', unit: 'kW', stateClass: 'measurement' },
  { suffix: '_w', deviceClass: 'power', unit: 'W', stateClass: 'measurement' },
  { suffix: '_m3', deviceClass: 'water', unit: 'm³', stateClass: 'total_increasing' },
  { suffix: '_m3_h', deviceClass: 'volume_flow_rate', unit: 'm³/h', stateClass: 'measurement' },
  { suffix: '_ug_m3', unit: 'µg/m³', stateClass: 'measurement' },
  { suffix: '_mg_m3', unit: 'mg/m³', stateClass: 'measurement' },
  { suffix: '_us_cm', deviceClass: 'conductivity', unit: 'µS/cm', stateClass: 'measurement' },
  { suffix: '_kg', deviceClass: 'weight', unit: 'kg', stateClass: 'measurement' },
  { suffix: '_lb', deviceClass: 'weight', unit: 'lb', stateClass: 'measurement' },
  { suffix: '_g', deviceClass: 'weight', unit: 'g', stateClass: 'measurement' },
  { suffix: '_cm', deviceClass: 'distance', unit: 'cm', stateClass: 'measurement' },
  { suffix: '_bpm', unit: 'bpm', stateClass: 'measurement' },
  { suffix: '_ohm', unit: 'Ω', stateClass: 'measurement' },
  { suffix: '_mg', unit: 'mg', stateClass: 'measurement' },
  { suffix: '_s', deviceClass: 'duration', unit: 's', stateClass: 'measurement' },
  { suffix: '_min', deviceClass: 'duration', unit: 'min', stateClass: 'measurement' },
  { suffix: '_a', deviceClass: 'current', unit: 'A', stateClass: 'measurement' },
  { suffix: '_ah', unit: 'Ah', stateClass: 'measurement' },
];

/** Device classes by value-name prefix, where the unit alone does not tell (PM, moisture, …). */
const PREFIX_CLASSES: readonly [string, string][] = [
  ['pm25', 'pm25'],
  ['pm10', 'pm10'],
  ['moisture', 'moisture'],
  ['humidity', 'humidity'],
  ['dew_point', 'temperature'],
  ['formaldehyde', 'volatile_organic_compounds'],
];

/** HA binary-sensor device classes for boolean value names. */
const BINARY_CLASSES: readonly [RegExp, string][] = [
  [/^motion/, 'motion'],
  [/^occupancy/, 'occupancy'],
  [/^window/, 'window'],
  [/^door/, 'door'],
  [/^garage_door/, 'garage_door'],
  [/^opening/, 'opening'],
  [/^battery_low/, 'battery'],
  [/^battery_charging/, 'battery_charging'],
  [/^moisture_wet/, 'moisture'],
  [/^smoke/, 'smoke'],
  [/^vibration/, 'vibration'],
  [/^light_detected/, 'light'],
  [/^plugged_in/, 'plug'],
  [/^connected/, 'connectivity'],
  [/^problem/, 'problem'],
  [/^tampered/, 'tamper'],
  [/^presen/, 'presence'],
];

function humanName(field: string): string {
  const words = field
    .replace(/_(\d+)$/, ' $1')
    .replace(/_(c|pct|hpa|ppm|lux|v|dbm|kwh|kw|w|m3|mg|ug_m3|mg_m3|us_cm|kg|lb|ohm|s|min|a|ah)( \d+)?$/, '$2')
    .split('_');
  const s = words.join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Entities for named numeric values, classified by the unit suffix of their name. */
export function valueEntities(fields: readonly string[]): EntitySpec[] {
  return fields.map((field) => {
    // Repeated values are numbered (`temperature_c_2`); the longest unit suffix wins (`_ug_m3` over `_m3`).
    const base = field.replace(/_\d+$/, '');
    const match = SUFFIXES.filter((s) => base.endsWith(s.suffix)).sort(
      (a, b) => b.suffix.length - a.suffix.length,
    )[0];
    let deviceClass = match?.deviceClass;
    for (const [prefix, cls] of PREFIX_CLASSES) if (field.startsWith(prefix)) deviceClass = cls;
    if (field.startsWith('battery') && field.endsWith('_pct')) deviceClass = 'battery';
    const spec: EntitySpec = {
      key: objectIdPart(field),
      component: 'sensor',
      name: humanName(field),
      template: keepState(field),
    };
    if (deviceClass) spec.deviceClass = deviceClass;
    if (match?.unit) spec.unit = match.unit;
    if (match?.stateClass) spec.stateClass = match.stateClass;
    if (field.endsWith('_dbm') || field.startsWith('battery')) spec.entityCategory = 'diagnostic';
    return spec;
  });
}

/** The device key of a provisioned meter (part of its entities' object ids). */
export function meterDeviceKey(manufacturerKey: string, deviceId: string): string {
  return `${objectIdPart(manufacturerKey)}_${objectIdPart(deviceId)}`;
}

/** Discovery for a wM-Bus meter on the meter-data contract (OmniPower: energy total_increasing, power). */
export function meterDiscovery(
  ctx: DiscoveryContext,
  meter: {
    deviceId: string;
    manufacturerKey: string;
    manufacturer: string;
    driver: string;
    fields: readonly string[];
  },
  stateTopic: string,
): DiscoveryMessage[] {
  const key = meterDeviceKey(meter.manufacturerKey, meter.deviceId);
  const device = {
    identifiers: [`iotgw_wmbus_${key}`],
    manufacturer: meter.manufacturer === 'KAM' ? 'Kamstrup' : meter.manufacturer,
    model: meter.driver,
    name: `${meter.driver} ${meter.deviceId}`,
    via_device: via(ctx),
  };
  return build(ctx, key, stateTopic, device, valueEntities(meter.fields));
}

/** Binary-sensor entities for boolean values (motion, opening, …), `ON`/`OFF` from true/false. */
export function flagEntities(fields: readonly string[]): EntitySpec[] {
  return fields.map((field) => {
    const spec: EntitySpec = {
      key: objectIdPart(field),
      component: 'binary_sensor',
      name: humanName(field),
      template: `{% if value_json.${field} is defined %}{{ 'ON' if value_json.${field} else 'OFF' }}{% else %}{{ this.state | upper }}{% endif %}`,
    };
    const cls = BINARY_CLASSES.find(([re]) => re.test(field))?.[1];
    if (cls) spec.deviceClass = cls;
    return spec;
  });
}

/**
 * Discovery for an identified BLE device (BTHome, Ruuvi, Xiaomi, Govee, …): the device block carries
 * its manufacturer and model; one entity per numeric value, one binary sensor per boolean value.
 */
export function bleDiscovery(
  ctx: DiscoveryContext,
  device: {
    address: string;
    format: string;
    fields: readonly string[];
    flags?: readonly string[];
    brand?: string;
    model?: string;
    modelId?: string;
  },
  stateTopic: string,
): DiscoveryMessage[] {
  const key = objectIdPart(device.address);
  const block: Record<string, unknown> = {
    identifiers: [`iotgw_ble_${key}`],
    connections: [['mac', device.address.toLowerCase()]],
    model: device.model ?? device.format,
    name: `${device.model ?? device.format} ${device.address}`,
    via_device: via(ctx),
  };
  if (device.brand !== undefined && device.brand !== 'GENERIC') block['manufacturer'] = device.brand;
  if (device.modelId !== undefined) block['model_id'] = device.modelId;
  return build(ctx, key, stateTopic, block, [
    ...valueEntities(device.fields),
    ...flagEntities(device.flags ?? []),
  ]);
}

/** Empty retained payloads for every published entity that belongs to a device no longer present. */
export function staleDiscovery(
  published: readonly DiscoveryMessage[],
  liveDeviceKeys: ReadonlySet<string>,
): DiscoveryMessage[] {
  return published.filter((m) => !liveDeviceKeys.has(m.deviceKey)).map((m) => ({ ...m, payload: null }));
}
