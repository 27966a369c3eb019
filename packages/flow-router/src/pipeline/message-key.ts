import { createHash } from 'node:crypto';
import { MESSAGE_ID_PROPERTY } from '@iotgw/contracts';

/** What makes a message "the same message" for a flow: its application id, else its content. */
export interface MessageKey {
  /**
   * `i:<id>@<topic scope>` (ids over 110 characters are hashed; the scope is 16 hex digits of the
   * topic's SHA-256) or `h:<sha-256 hex of topic and payload>`.
   */
  readonly value: string;
  readonly kind: 'id' | 'hash';
}

const MAX_ID_LENGTH = 110;

function sha256(...parts: Array<string | Uint8Array>): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

/**
 * An id key is scoped by its topic: a publisher that may write one topic cannot claim the ids of
 * another (a spoofed `iotgw-msg-id` elsewhere does not suppress the real message). A redelivery keeps
 * its topic, so it still finds its key.
 */
function idKey(topic: string, id: string): MessageKey {
  const readable = id.length <= MAX_ID_LENGTH ? id : `#${sha256(id)}`;
  return { value: `i:${readable}@${sha256(topic).slice(0, 16)}`, kind: 'id' };
}

/** The application id inside an id key (`i:<id>@<scope>` → `<id>`; hashed long ids stay `#<hash>`). */
export function idOfKey(key: string): string | null {
  const m = /^i:(.*)@[0-9a-f]{16}$/s.exec(key);
  return m ? (m[1] as string) : null;
}

/**
 * The message's key: the MQTT 5 user property `iotgw-msg-id` (the edge stamps it; redeliveries carry
 * the same id), else the payload field `idField` (string or number) — either scoped by the topic —
 * else a hash of topic and payload,
 * which the batch writer treats as a duplicate only within the dedup window. Pure.
 */
export function messageKey(
  topic: string,
  payload: Uint8Array,
  userProperties: Readonly<Record<string, string | string[]>>,
  payloadObject: Readonly<Record<string, unknown>> | undefined,
  idField: string,
): MessageKey {
  const prop = userProperties[MESSAGE_ID_PROPERTY];
  const fromProp = Array.isArray(prop) ? prop[0] : prop;
  if (typeof fromProp === 'string' && fromProp.trim() !== '') return idKey(topic, fromProp.trim());
  const field = payloadObject?.[idField];
  if (typeof field === 'string' && field.trim() !== '') return idKey(topic, field.trim());
  if (typeof field === 'number' && Number.isFinite(field)) return idKey(topic, String(field));
  return { value: `h:${sha256(topic, '\u0000', payload)}`, kind: 'hash' };
}
