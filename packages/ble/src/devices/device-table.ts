import type { FormatDefinition } from '../format-definition.js';

/** Unit of a value from its name's suffix (the project's naming rule, docs/ble.md). */
const UNITS: readonly [RegExp, string][] = [
  [/_c(_\d+)?$/, '°C'],
  [/_pct$/, '%'],
  [/_v$/, 'V'],
  [/_hpa$/, 'hPa'],
  [/_lux$/, 'lx'],
  [/_ppm$/, 'ppm'],
  [/_ug_m3$/, 'µg/m³'],
  [/_mg_m3$/, 'mg/m³'],
  [/_us_cm$/, 'µS/cm'],
  [/_kg$/, 'kg'],
  [/_lb$/, 'lb'],
  [/_g$/, 'g'],
  [/_cm$/, 'cm'],
  [/_bpm$/, 'bpm'],
  [/_ohm$/, 'Ω'],
  [/_mg$/, 'mg (milli-g)'],
  [/_dbm$/, 'dBm'],
  [/_s$/, 's'],
  [/_min$/, 'min'],
  [/_kwh$/, 'kWh'],
  [/_kw$/, 'kW'],
  [/_m3_h$/, 'm³/h'],
  [/_m3$/, 'm³'],
  [/_bar$/, 'bar'],
  [/_l$/, 'l'],
  [/_w$/, 'W'],
  [/_a$/, 'A'],
  [/_ah$/, 'Ah'],
];

export function unitOf(name: string): string | undefined {
  return UNITS.find(([re]) => re.test(name))?.[1];
}

function matchText(m: FormatDefinition['devices'][number]['match']): string {
  const parts: string[] = [];
  if (m.companyId)
    parts.push(
      `company ${m.companyId.map((c) => `0x${c.toString(16).padStart(4, '0').toUpperCase()}`).join('/')}`,
    );
  if (m.serviceUuid) parts.push(`service 0x${m.serviceUuid.toUpperCase()}`);
  if (m.name) parts.push(`name \`${m.name}\``);
  return parts.join(', ');
}

/**
 * The device table of docs/ble.md, generated from the loaded definitions: one row per model and
 * way of recognising it, with its values and units. BTHome-based devices list "BTHome objects".
 */
export function renderDeviceTable(registry: readonly FormatDefinition[]): string {
  const rows = [
    '| format | brand | model | model id | recognised by | values (unit) |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const family of registry) {
    const seen = new Set<string>();
    for (const d of family.devices) {
      const values =
        family.id === 'bthome_v2'
          ? 'BTHome objects (table above)'
          : d.valueNames
              .map((n) => {
                const unit = unitOf(n);
                return unit === undefined ? `\`${n}\`` : `\`${n}\` (${unit})`;
              })
              .join(', ');
      const row = `| \`${family.id}\` | ${d.brand} | ${d.model} | ${d.modelId} | ${matchText(d.match)} | ${values} |`;
      if (seen.has(row)) continue;
      seen.add(row);
      rows.push(row);
    }
  }
  return rows.join('\n');
}

/** Table text with cell padding removed, to compare a generated table with a formatted one. */
export function normalizeTable(text: string): string {
  return text
    .split('\n')
    .map((line) =>
      line
        .trim()
        .replace(/\s*\|\s*/g, '|')
        .replace(/\|-+(?=\|)/g, '|---'),
    )
    .filter((line) => line.length > 0)
    .join('\n');
}
