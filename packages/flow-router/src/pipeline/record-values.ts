import type { ValueType } from '../db/schema.js';
import { hasSecretField, isSecretField, REDACTED, redactValue } from './redact-secrets.js';

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
  | { ok: false; code: 'PAYLOAD_ERR_FIELD' | 'PAYLOAD_ERR_TOO_MANY_FIELDS'; path: string; detail: string };

export const MAX_FIELD_LENGTH = 255;

/** Default of ROUTER_MAX_FIELDS: most top-level fields (records) one stored message may have. */
export const DEFAULT_MAX_FIELDS = 1_000;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether a string can be written as UTF-8 (no lone UTF-16 surrogate). */
function wellFormed(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}

function quoted(field: string): string {
  return JSON.stringify(field.length > 40 ? `${field.slice(0, 40)}…` : field);
}

/**
 * One record per top-level payload field (as the legacy server stored them), typed so numeric series
 * can be queried: numbers → num_value, strings → str_value, booleans → bool_value, objects and arrays
 * → json_value (JSON text), null → value_type 'null'. The message-id field is metadata, not a record.
 * Secret fields (`encryptionKey`, `key`, `password`, …, at any depth) are stored as `[redacted]`.
 */
export function recordValues(
  payload: Readonly<Record<string, unknown>>,
  skipField: string,
  maxFields = DEFAULT_MAX_FIELDS,
): RecordValues {
  const entries = Object.entries(payload);
  const count = entries.length - (Object.hasOwn(payload, skipField) ? 1 : 0);
  if (count > maxFields) {
    return {
      ok: false,
      code: 'PAYLOAD_ERR_TOO_MANY_FIELDS',
      path: '$',
      detail: `payload has ${count} fields; at most ${maxFields} are stored per message (ROUTER_MAX_FIELDS)`,
    };
  }
  const values: RecordValue[] = [];
  // The field column compares like MySQL's utf8mb4_bin: trailing spaces are ignored (PAD SPACE).
  const padded = new Map<string, string>();
  for (const [field, v] of entries) {
    if (field === skipField) continue;
    if (!wellFormed(field)) {
      return {
        ok: false,
        code: 'PAYLOAD_ERR_FIELD',
        path: '$',
        detail: `field name ${quoted(field)} holds a lone UTF-16 surrogate (not storable as UTF-8)`,
      };
    }
    const unpadded = field.replace(/ +$/, '');
    const twin = padded.get(unpadded);
    if (twin !== undefined) {
      return {
        ok: false,
        code: 'PAYLOAD_ERR_FIELD',
        path: '$',
        detail: `field names ${quoted(twin)} and ${quoted(field)} differ only in trailing spaces (the database sees one name)`,
      };
    }
    padded.set(unpadded, field);
    if (field.length > MAX_FIELD_LENGTH) {
      return {
        ok: false,
        code: 'PAYLOAD_ERR_FIELD',
        path: '$',
        detail: `field name '${field.slice(0, 40)}…' is longer than ${MAX_FIELD_LENGTH} characters`,
      };
    }
    if (isSecretField(field)) {
      // A key, password or token is never stored: the record keeps that the field was there.
      values.push({ field, type: 'string', num: null, str: REDACTED, bool: null, json: null });
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) {
        return { ok: false, code: 'PAYLOAD_ERR_FIELD', path: `$.${field}`, detail: 'number out of range' };
      }
      values.push({ field, type: 'number', num: v, str: null, bool: null, json: null });
    } else if (typeof v === 'string') {
      if (!wellFormed(v)) {
        return {
          ok: false,
          code: 'PAYLOAD_ERR_FIELD',
          path: `$.${field}`,
          detail: 'string holds a lone UTF-16 surrogate (not storable as UTF-8)',
        };
      }
      values.push({ field, type: 'string', num: null, str: v, bool: null, json: null });
    } else if (typeof v === 'boolean') {
      values.push({ field, type: 'boolean', num: null, str: null, bool: v ? 1 : 0, json: null });
    } else if (v === null) {
      values.push({ field, type: 'null', num: null, str: null, bool: null, json: null });
    } else {
      const stored = hasSecretField(v) ? redactValue(v) : v;
      values.push({ field, type: 'json', num: null, str: null, bool: null, json: JSON.stringify(stored) });
    }
  }
  return { ok: true, values };
}
