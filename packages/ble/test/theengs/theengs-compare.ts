import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Advertisement, type DecodeResult, decodeAdvertisement, hexToBytes } from '@iotgw/ble';

/** One advert of Theengs Decoder's suite, as recorded in fixtures/theengs/test-ble-vectors.json. */
export interface TheengsVector {
  group: string;
  test: string;
  name?: string;
  mac?: string;
  serviceUuid?: string;
  manufacturerData?: string;
  serviceData?: string;
  expected: Record<string, unknown>;
}

const file = fileURLToPath(new URL('../../fixtures/theengs/test-ble-vectors.json', import.meta.url));

export function loadTheengsVectors(): TheengsVector[] {
  return (JSON.parse(readFileSync(file, 'utf8')) as { vectors: TheengsVector[] }).vectors;
}

/**
 * The service UUID a device sends, for Theengs test groups that give service data without one
 * (their decoder identifies those by content; an advert always has the UUID).
 */
const UUID_BY_TEST: Record<string, string> = {
  'Mi jia round sensor': 'fe95',
  'Formaldehyde detector': 'fe95',
  RoPot: 'fe95',
  'AprilBrother N03': 'ab03',
};

export function toAdvert(v: TheengsVector): Advertisement {
  const adv: Advertisement = { address: v.mac ?? '00:00:00:00:00:00' };
  if (v.name !== undefined) adv.localName = v.name;
  if (v.manufacturerData !== undefined) {
    const md = hexToBytes(
      v.manufacturerData.length % 2 ? v.manufacturerData.slice(0, -1) : v.manufacturerData,
    );
    if (md !== undefined) adv.manufacturerData = md;
  }
  if (v.serviceData !== undefined) {
    const sd = hexToBytes(v.serviceData.length % 2 ? v.serviceData.slice(0, -1) : v.serviceData);
    const uuid = (v.serviceUuid ?? UUID_BY_TEST[v.test] ?? '').replace(/^0x/, '').toLowerCase();
    if (sd !== undefined) adv.serviceData = [{ uuid, data: sd }];
  }
  return adv;
}

/** Theengs keys that are identity, derived or presentation, not readings. */
const IGNORED = new Set([
  'brand',
  'model',
  'model_id',
  'type',
  'cidc',
  'acts',
  'track',
  'mfid',
  'device',
  'avgu',
  'sumu',
  'unit',
  /** Theengs' scan hint ("continuous scan needed"), not a reading. */
  'cont',
  /** Theengs' hint that the device can be controlled, not a reading. */
  'ctrl',
  /** Theengs' hint that the device uses a private (rotating) MAC. */
  'prmac',
]);

/** Theengs key → our value name, and how our value converts to theirs. */
const KEYS: Record<string, [string, ((v: number) => number)?]> = {
  tempc: ['temperature_c'],
  hum: ['humidity_pct'],
  batt: ['battery_pct'],
  volt: ['voltage_v'],
  pres: ['pressure_hpa'],
  lux: ['illuminance_lux'],
  moi: ['moisture_pct'],
  fer: ['conductivity_us_cm'],
  for: ['formaldehyde_mg_m3'],
  co2: ['co2_ppm'],
  pm25: ['pm25_ug_m3'],
  pm10: ['pm10_ug_m3'],
  tempc2_dp: ['dew_point_c'],
  // Theengs reports most beacons' acceleration as sent (milli-g); iotgw names it `_mg`.
  accx: ['acceleration_x_mg'],
  accy: ['acceleration_y_mg'],
  accz: ['acceleration_z_mg'],
  tx: ['tx_power_dbm'],
  txpower: ['tx_power_dbm'],
  mov: ['movement_counter'],
  seq: ['measurement_sequence'],
  mac: ['mac'],
  uuid: ['ibeacon_uuid'],
  major: ['ibeacon_major'],
  minor: ['ibeacon_minor'],
  extprobe: ['external_probe'],
  weight: ['mass_kg'],
  impedance: ['impedance_ohm'],
  weighing_mode: ['weighing_mode'],
  packet: ['packet_id'],
  cont: ['contact'],
  open: ['opening_open'],
  motion: ['motion_detected'],
  button: ['button_event'],
  bpm: ['heart_rate_bpm'],
  steps: ['steps'],
  act_bpm: ['heart_rate_bpm'],
  lowbatt: ['battery_low'],
  lvl_cm: ['level_cm'],
  gravity: ['specific_gravity'],
  color: ['color'],
  shake: ['shake_count'],
  wake: ['awake'],
  rot: ['rotation_deg'],
  led: ['led_on'],
  scopetested: ['scope_tested'],
  sensingdistance: ['sensing_distance'],
  in_ct: ['in_count'],
  out_ct: ['out_count'],
  push_ct: ['button_count'],
  position: ['position_pct'],
  darkness: ['dark'],
  lightlevel: ['light_level'],
  count: ['count'],
  alarm: ['alarm'],
  rpi: ['rolling_proximity_id'],
  aem: ['associated_encrypted_metadata'],
  x_axis: ['acceleration_x_mg'],
  y_axis: ['acceleration_y_mg'],
  z_axis: ['acceleration_z_mg'],
  sync: ['sync_pressed'],
  quality: ['quality'],
  session: ['session'],
  seconds: ['duration_s'],
  litres: ['volume_l'],
  energy: ['energy_kwh'],
  state: ['state'],
  mode: ['mode'],
  pressure: ['pressure'],
  time: ['uptime_s'],
  sector: ['sector'],
  duration: ['duration_s'],
  avg: ['average'],
  sum: ['total'],
  serial: ['serial'],
  level: ['level_pct'],
  beaconmodel: ['beacon_model'],
  'plugged-in': ['plugged_in'],
  modeltype: ['model_type'],
  status: ['status'],
};
for (let i = 1; i <= 6; i++) KEYS[`tempc${i}`] = [`temperature_c_${i}`];
for (let i = 1; i <= 4; i++) KEYS[`button${i}`] = [`button_event_${i}`];

/** Theengs' numeric button codes → BTHome event names (their lookup of the same BTHome byte). */
const BUTTON_CODES: Record<number, string> = {
  0: 'none',
  1: 'press',
  2: 'double_press',
  3: 'triple_press',
  4: 'quadruple_press',
  5: 'quintuple_press',
  9: 'long_press',
  10: 'long_release',
  11: 'hold_press',
};

function close(ours: number, theirs: number): boolean {
  return Math.abs(ours - theirs) <= 0.0005 + Math.abs(theirs) * 1e-4;
}

export interface Comparison {
  ok: boolean;
  /** Why not, when not. */
  reason?: string;
  result: DecodeResult;
}

/** Decodes one Theengs advert and compares identity and every reading it expects. */
export function compareVector(v: TheengsVector): Comparison {
  const result = decodeAdvertisement(toAdvert(v));
  if (!result.ok) return { ok: false, reason: `not decoded (${result.code})`, result };
  const e = v.expected;
  if (result.modelId !== e.model_id) return { ok: false, reason: `identified as ${result.modelId}`, result };
  for (const [key, theirs] of Object.entries(e)) {
    // Derived units (°F, inches) are not compared; the °C / cm value is.
    if (
      IGNORED.has(key) ||
      /^tempf/.test(key) ||
      key === 'lvl_in' ||
      key === 'time_min' ||
      key === 'time_max'
    )
      continue;
    let map = KEYS[key] ?? [key.replace(/^tempc_(max|min)$/, 'temperature_$1_c')];
    if (key === 'weight' && e.unit === 'lb') map = ['mass_lb'];
    // iNode: the unit key says which quantity the average and the sum are.
    if (key === 'avg') map = [e.avgu === 'kW' ? 'power_kw' : 'flow_m3_h'];
    if (key === 'sum') map = [e.sumu === 'kWh' ? 'energy_kwh' : 'volume_m3'];
    // Single-probe name for probe 1 of multi-probe thermometers.
    if (key === 'tempc' && !(map[0] in result.values)) map = ['temperature_c_1'];
    if (key === 'weight' && !(map[0] in result.values)) map = ['mass_g'];
    if (key === 'time' && !(map[0] in result.values)) map = ['duration_s'];
    if (key === 'pres' && !(map[0] in result.values)) map = ['pressure_bar'];
    // Raw accelerometer counts of unpublished scale (Mopeka) carry no unit suffix.
    if (/^acc[xyz]$/.test(key) && !(map[0] in result.values)) map = [`acceleration_${key[3]}`];
    if (key === 'open' && typeof theirs === 'number') map = ['tilt_open_pct'];
    if (key === 'direction') map = ['tilt_direction'];
    if (key === 'motion' && !(map[0] in result.values)) map = ['moving'];
    // BTHome has separate door/window/opening objects; Theengs calls each `open`.
    if (key === 'open' && !(map[0] in result.values))
      map = [['window_open', 'door_open'].find((n) => n in result.values) ?? 'opening_open'];
    // The MAC is the advert's address unless the payload carries its own.
    const ours = key === 'mac' ? (result.values.mac ?? result.address) : result.values[map[0]];
    if (ours === undefined) return { ok: false, reason: `no ${map[0]} for ${key}`, result };
    if (/^button\d?$/.test(key) && typeof theirs === 'number') {
      if (ours !== BUTTON_CODES[theirs])
        return { ok: false, reason: `${key}: ${String(ours)} ≠ ${theirs}`, result };
    } else if (typeof theirs === 'number' && typeof ours === 'number') {
      const converted = map[1] ? map[1](ours) : ours;
      if (!close(converted, theirs)) return { ok: false, reason: `${key}: ${converted} ≠ ${theirs}`, result };
    } else if (String(ours).toLowerCase() !== String(theirs).toLowerCase()) {
      return { ok: false, reason: `${key}: ${String(ours)} ≠ ${String(theirs)}`, result };
    }
  }
  return { ok: true, result };
}
