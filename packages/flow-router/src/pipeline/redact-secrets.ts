/** What a secret value is replaced with in stored payloads. */
export const REDACTED = '[redacted]';

/**
 * Field names whose values are secrets: `key`, `token` (alone or after `_`, `-`, `.`), and anything
 * ending in password, passwd, secret, encryptionKey, aesKey, privateKey, apiKey, accessToken or
 * authToken, in any case and with or without `_`. `manufacturerKey` (a maker code) is not one.
 */
const SECRET_FIELD =
  /(?:^|[_.-])(?:key|token)$|(?:password|passwd|secret|encryption_?key|aes_?key|private_?key|api_?key|access_?token|auth_?token)$/i;

export function isSecretField(name: string): boolean {
  return SECRET_FIELD.test(name);
}

/** Deeper than this, a value is not searched but replaced whole (it might hide a secret). */
const MAX_DEPTH = 64;

/** A JSON value with every secret field's value replaced by REDACTED, at any depth. Pure. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return REDACTED;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = isSecretField(k) ? REDACTED : redactValue(v, depth + 1);
  }
  return out;
}

/** Whether redactValue would change the value. */
export function hasSecretField(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (depth > MAX_DEPTH) return true;
  if (Array.isArray(value)) return value.some((v) => hasSecretField(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (isSecretField(k) || hasSecretField(v, depth + 1)) return true;
    }
  }
  return false;
}

/** `"encryptionKey": "…"` in text that is not valid JSON (a quoted secret name and a string value). */
const SECRET_IN_TEXT =
  /("(?:[^"\\]*[_.-])?(?:key|token)"|"[^"\\]*(?:password|passwd|secret|encryption_?key|aes_?key|private_?key|api_?key|access_?token|auth_?token)")(\s*:\s*)"(?:[^"\\]|\\.)*"/gi;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Every secret field name holds one of these words: a payload without any needs no parsing. */
const SECRET_WORD = /key|token|passw|secret/i;

/**
 * A payload as it may be stored (dead letters): secret fields redacted. JSON is rewritten only when it
 * holds a secret field (otherwise the bytes are kept as received); text that is not JSON has quoted
 * `"name": "value"` pairs with a secret name redacted; bytes that are not UTF-8 are kept. Pure.
 */
export function redactPayload(payload: Uint8Array): Uint8Array {
  let text: string;
  try {
    text = utf8.decode(payload);
  } catch {
    return payload;
  }
  if (!SECRET_WORD.test(text)) return payload;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const replaced = text.replace(SECRET_IN_TEXT, `$1$2"${REDACTED}"`);
    return replaced === text ? payload : Buffer.from(replaced, 'utf8');
  }
  if (!hasSecretField(value)) return payload;
  return Buffer.from(JSON.stringify(redactValue(value)), 'utf8');
}
