import { createHash } from 'node:crypto';
import { MESSAGE_ID_PROPERTY } from '@iotgw/contracts';

/** What makes a message "the same message" for a flow: its application id, else its content. */
export interface MessageKey {
  /** `i:<id>` (ids over 128 characters are hashed) or `h:<sha-256 hex of topic and payload>`. */
  readonly value: string;
  readonly kind: 'id' | 'hash';
}

const MAX_ID_LENGTH = 128;

function sha256(...parts: Array<string | Uint8Array>): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

function idKey(id: string): MessageKey {
  return { value: id.length <= MAX_ID_LENGTH ? `i:${id}` : `i:#${sha256(id)}`, kind: 'id' };
}

/**
 * The message's key: the MQTT 5 user property `iotgw-msg-id` (the edge stamps it; redeliveries carry
 * the same id), else the payload field `idField` (string or number), else a hash of topic and payload,
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
  if (typeof fromProp === 'string' && fromProp.trim() !== '') return idKey(fromProp.trim());
  const field = payloadObject?.[idField];
  if (typeof field === 'string' && field.trim() !== '') return idKey(field.trim());
  if (typeof field === 'number' && Number.isFinite(field)) return idKey(String(field));
  return { value: `h:${sha256(topic, '\u0000', payload)}`, kind: 'hash' };
}
