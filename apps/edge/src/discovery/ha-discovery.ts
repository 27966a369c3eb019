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
];

function humanName(field: string): string {
  const words = field.replace(/_(c|pct|hpa|ppm|lux|v|dbm|kwh|kw|w|m3|mg)$/, '').split('_');
  const s = words.join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Entities for named numeric values, classified by the unit suffix of their name. */
export function valueEntities(fields: readonly string[]): EntitySpec[] {
  return fields.map((field) => {
    const match = SUFFIXES.find((s) => field.endsWith(s.suffix));
    let deviceClass = match?.deviceClass;
    if (field.startsWith('humidity')) deviceClass = 'humidity';
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

/** Discovery for another BLE format (BTHome, Ruuvi): one entity per value name. */
export function bleDiscovery(
  ctx: DiscoveryContext,
  device: { address: string; format: string; fields: readonly string[] },
  stateTopic: string,
): DiscoveryMessage[] {
  const key = objectIdPart(device.address);
  const block = {
    identifiers: [`iotgw_ble_${key}`],
    connections: [['mac', device.address.toLowerCase()]],
    model: device.format,
    name: `${device.format} ${device.address}`,
    via_device: via(ctx),
  };
  return build(ctx, key, stateTopic, block, valueEntities(device.fields));
}

/** Empty retained payloads for every published entity that belongs to a device no longer present. */
export function staleDiscovery(
  published: readonly DiscoveryMessage[],
  liveDeviceKeys: ReadonlySet<string>,
): DiscoveryMessage[] {
  return published.filter((m) => !liveDeviceKeys.has(m.deviceKey)).map((m) => ({ ...m, payload: null }));
}
