import type { XmqNode } from './xmq-parser.js';

/** A driver object converted from xmq, with the source line of every JSON path and what was left out. */
export interface ConvertedXmq {
  readonly value: Record<string, unknown>;
  readonly lines: Map<string, number>;
  readonly warnings: Array<{ readonly path: string; readonly line: number; readonly message: string }>;
}

const list = (v: string): string[] =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

function nrRange(v: string): number | [number, number] | string {
  const parts = list(v).map(Number);
  if (parts.length === 1 && Number.isInteger(parts[0])) return parts[0] as number;
  if (parts.length === 2 && parts.every(Number.isInteger)) return [parts[0] as number, parts[1] as number];
  return v;
}

const MATCH_KEYS: Record<string, string> = {
  measurement_type: 'measurementType',
  vif_range: 'vifRange',
  vif_raw: 'vifRaw',
  difvifkey: 'difvifkey',
  storage_nr: 'storage',
  tariff_nr: 'tariff',
  subunit_nr: 'subunit',
  index_nr: 'index',
};

const FIELD_KEYS: Record<string, string> = {
  name: 'name',
  quantity: 'quantity',
  info: 'info',
  display_unit: 'displayUnit',
  vif_scaling: 'vifScaling',
  dif_signedness: 'difSignedness',
  readable_string: 'readableString',
  calculate: 'calculate',
};

/**
 * Converts a parsed wmbusmeters driver file into an iotgw driver object (not yet validated: the caller runs
 * validateDriverSpec, so a bad xmq file gets the same errors as a bad YAML one, with xmq line numbers).
 * Constructs iotgw does not implement (ixml payload grammars, manufacturer TPL status bits, …) are left
 * out with a warning each.
 */
export function xmqToSpec(nodes: readonly XmqNode[]): ConvertedXmq {
  const lines = new Map<string, number>();
  const warnings: Array<{ path: string; line: number; message: string }> = [];
  const at = (path: string, node: XmqNode): void => {
    lines.set(path, node.line);
  };
  const skip = (path: string, node: XmqNode, what = `'${node.key}'`): void => {
    warnings.push({ path, line: node.line, message: `${what} is not supported; left out` });
  };
  const driverNode = nodes.find((x) => x.key === 'driver');
  const value: Record<string, unknown> = {};
  if (driverNode === undefined) {
    lines.set('/', nodes[0]?.line ?? 1);
    return { value, lines, warnings };
  }
  at('/', driverNode);
  const fields: unknown[] = [];
  const tests: unknown[] = [];
  const detect: unknown[] = [];
  const library: string[] = [];
  const compact: string[] = [];
  for (const c of driverNode.children ?? []) {
    const v = c.value ?? '';
    switch (c.key) {
      case 'name':
        value['name'] = v;
        at('/name', c);
        break;
      case 'aliases':
        value['aliases'] = list(v);
        at('/aliases', c);
        break;
      case 'meter_type':
        value['meterType'] = v;
        at('/meterType', c);
        break;
      case 'default_fields':
        value['defaultFields'] = list(v);
        at('/defaultFields', c);
        break;
      case 'detect':
        at('/detect', c);
        for (const d of c.children ?? []) {
          const [mfct, version, type] = list(d.value ?? '');
          // wmbusmeters writes version and type as bare hex.
          at(`/detect/${detect.length}`, d);
          detect.push({
            mfct: mfct ?? '',
            version: version === '*' ? '*' : `0x${version ?? ''}`,
            type: `0x${type ?? ''}`,
          });
        }
        break;
      case 'library':
        for (const u of c.children ?? []) {
          at(`/library/${library.length}`, u);
          library.push(...list(u.value ?? ''));
        }
        break;
      case 'compact_frame_formats':
        for (const u of c.children ?? []) {
          at(`/compactFormats/${compact.length}`, u);
          compact.push(u.value ?? '');
        }
        break;
      case 'mfct_tpl_status_bits': {
        const lookups: unknown[] = [];
        for (const l of c.children ?? []) {
          if (l.key !== 'lookup') continue;
          at(`/tplStatusLookups/${lookups.length}`, l);
          lookups.push(convertLookup(l));
        }
        // The block may also be the lookup itself (mask_bits, map … directly inside).
        if (lookups.length === 0) {
          at('/tplStatusLookups/0', c);
          lookups.push({ name: 'TPL_MFCT', mapType: 'BitToString', ...convertLookup(c) });
        }
        value['tplStatusLookups'] = lookups;
        break;
      }
      case 'fields':
        for (const f of c.children ?? []) {
          const path = `/fields/${fields.length}`;
          const field = convertField(f, path, at, skip);
          if (field !== undefined) fields.push(field);
        }
        break;
      case 'tests':
        for (const t of c.children ?? []) {
          const path = `/tests/${tests.length}`;
          at(path, t);
          tests.push(convertTest(t));
        }
        break;
      default:
        skip(`/${c.key}`, c);
    }
  }
  value['detect'] = detect;
  if (library.length > 0) value['library'] = library;
  if (compact.length > 0) value['compactFormats'] = compact;
  value['fields'] = fields;
  if (tests.length > 0) value['tests'] = tests;
  return { value, lines, warnings };
}

type At = (path: string, node: XmqNode) => void;
type Skip = (path: string, node: XmqNode, what?: string) => void;

function convertField(f: XmqNode, path: string, at: At, skip: Skip): Record<string, unknown> | undefined {
  at(path, f);
  const out: Record<string, unknown> = {};
  for (const c of f.children ?? []) {
    const v = c.value ?? '';
    const key = FIELD_KEYS[c.key];
    if (key !== undefined) {
      out[key] = v;
      at(`${path}/${key}`, c);
    } else if (c.key === 'attributes') {
      out['attributes'] = list(v);
      at(`${path}/attributes`, c);
    } else if (c.key === 'force_scale') {
      // wmbusmeters writes fractions too: force_scale = 1/60.
      const [num, den] = v.split('/');
      out['forceScale'] = den === undefined ? Number(num) : Number(num) / Number(den);
      at(`${path}/forceScale`, c);
    } else if (c.key === 'match') {
      at(`${path}/match`, c);
      out['match'] = convertMatch(c, `${path}/match`, at, skip);
    } else if (c.key === 'lookup') {
      const lookups = (out['lookups'] as unknown[] | undefined) ?? [];
      at(`${path}/lookups/${lookups.length}`, c);
      lookups.push(convertLookup(c));
      out['lookups'] = lookups;
    } else if (c.key === 'ixml') {
      skip(path, c, `field ${out['name'] ?? ''}: ixml`);
      return undefined;
    } else if (c.key !== 'comment' && c.key !== 'coment') skip(`${path}/${c.key}`, c);
  }
  return out;
}

function convertMatch(m: XmqNode, path: string, at: At, skip: Skip): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of m.children ?? []) {
    const v = c.value ?? '';
    const key = MATCH_KEYS[c.key];
    if (key === 'storage' || key === 'tariff' || key === 'subunit') out[key] = nrRange(v);
    else if (key === 'index') out[key] = Number(v);
    else if (key !== undefined) out[key] = v;
    else if (c.key === 'add_combinable') {
      out['combinable'] = [...((out['combinable'] as string[] | undefined) ?? []), ...list(v)];
    } else if (c.key === 'add_combinable_raw') {
      out['combinableRaw'] = [...((out['combinableRaw'] as string[] | undefined) ?? []), ...list(v)];
    } else {
      skip(`${path}/${c.key}`, c);
      continue;
    }
    at(`${path}/${key ?? (c.key === 'add_combinable' ? 'combinable' : 'combinableRaw')}`, c);
  }
  // wmbusmeters writes add_combinable_raw = 0 for "no combinable": the default here.
  const raw = out['combinableRaw'] as string[] | undefined;
  if (raw !== undefined) {
    const kept = raw.filter((r) => Number(r) !== 0);
    if (kept.length === 0) delete out['combinableRaw'];
    else out['combinableRaw'] = kept;
  }
  return out;
}

function convertLookup(l: XmqNode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const map: unknown[] = [];
  for (const c of l.children ?? []) {
    const v = c.value ?? '';
    if (c.key === 'name') out['name'] = v;
    else if (c.key === 'map_type') out['mapType'] = v;
    else if (c.key === 'mask_bits') out['maskBits'] = v;
    else if (c.key === 'default_message') out['defaultMessage'] = v;
    else if (c.key === 'map') {
      const entry: Record<string, unknown> = {};
      for (const e of c.children ?? []) {
        const ev = e.value ?? '';
        if (e.key === 'name') entry['name'] = ev;
        else if (e.key === 'value') entry['value'] = ev;
        else if (e.key === 'bit') entry['value'] = `0x${(1n << BigInt(Number(ev))).toString(16)}`;
        else if (e.key === 'test')
          entry['test'] = ev.toLowerCase() === 'notset' ? 'NotSet' : ev.toLowerCase() === 'set' ? 'Set' : ev;
      }
      map.push(entry);
    }
  }
  out['map'] = map;
  return out;
}

function convertTest(t: XmqNode): Record<string, unknown> {
  const telegrams: string[] = [];
  const out: Record<string, unknown> = {};
  let expected: unknown = {};
  for (const c of t.children ?? []) {
    const v = c.value ?? '';
    // Several telegrams of one meter may be given comma-separated, in order.
    if (c.key === 'telegram') telegrams.push(...list(v));
    else if (c.key === 'comment') out['comment'] = v;
    else if (c.key === 'args') {
      const [name, , , key] = v.split(/\s+/);
      if (name !== undefined) out['meterName'] = name;
      if (key !== undefined && key !== 'NOKEY') out['key'] = key;
    } else if (c.key === 'json') {
      try {
        expected = JSON.parse(v);
      } catch {
        expected = { _error: `json is not JSON: ${v.slice(0, 40)}` };
      }
    }
  }
  return { ...out, telegrams, expected };
}
