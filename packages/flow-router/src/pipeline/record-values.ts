import type { ValueType } from '../db/schema.js';

/** One payload field as stored: its type and the one typed column that holds it. */
export interface RecordValue {
  readonly field: string;
  readonly type: ValueType;
  readonly num: number | null;
  readonly str: string | null;
  readonly bool: number | null;
  readonly json: string | null;
}

export type RecordValues =
  | { ok: true; values: RecordValue[] }
  | { ok: false; code: 'PAYLOAD_ERR_FIELD'; path: string; detail: string };

export const MAX_FIELD_LENGTH = 255;

/**
 * One record per top-level payload field (as the legacy server stored them), typed so numeric series
 * can be queried: numbers → num_value, strings → str_value, booleans → bool_value, objects and arrays
 * → json_value (JSON text), null → value_type 'null'. The message-id field is metadata, not a record.
 */
export function recordValues(payload: Readonly<Record<string, unknown>>, skipField: string): RecordValues {
  const values: RecordValue[] = [];
  for (const [field, v] of Object.entries(payload)) {
    if (field === skipField) continue;
    if (field.length > MAX_FIELD_LENGTH) {
      return {
        ok: false,
        code: 'PAYLOAD_ERR_FIELD',
        path: '$',
        detail: `field name '${field.slice(0, 40)}…' is longer than ${MAX_FIELD_LENGTH} characters`,
      };
    }
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) {
        return { ok: false, code: 'PAYLOAD_ERR_FIELD', path: `$.${field}`, detail: 'number out of range' };
      }
      values.push({ field, type: 'number', num: v, str: null, bool: null, json: null });
    } else if (typeof v === 'string') {
      values.push({ field, type: 'string', num: null, str: v, bool: null, json: null });
    } else if (typeof v === 'boolean') {
      values.push({ field, type: 'boolean', num: null, str: null, bool: v ? 1 : 0, json: null });
    } else if (v === null) {
      values.push({ field, type: 'null', num: null, str: null, bool: null, json: null });
    } else {
      values.push({ field, type: 'json', num: null, str: null, bool: null, json: JSON.stringify(v) });
    }
  }
  return { ok: true, values };
}
