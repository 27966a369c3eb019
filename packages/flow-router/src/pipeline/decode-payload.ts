export type PayloadDecode =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; code: 'PAYLOAD_ERR_UTF8' | 'PAYLOAD_ERR_JSON' | 'PAYLOAD_ERR_NOT_OBJECT'; detail: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 JSON object, or why not. Pure: never throws. */
export function decodePayload(payload: Uint8Array): PayloadDecode {
  let text: string;
  try {
    text = utf8.decode(payload);
  } catch {
    return { ok: false, code: 'PAYLOAD_ERR_UTF8', detail: 'payload is not UTF-8 text' };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, code: 'PAYLOAD_ERR_JSON', detail: `payload is not JSON: ${(e as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
    return { ok: false, code: 'PAYLOAD_ERR_NOT_OBJECT', detail: `payload is ${kind}, not a JSON object` };
  }
  return { ok: true, value: value as Record<string, unknown> };
}
